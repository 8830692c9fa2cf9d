"""Turn built records into GeoDataFrames shaped exactly as `_schema` describes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from planner.geo._schema import CRS, Layer


def make_frame(
    layer: Layer,
    records: Sequence[Mapping[str, Any]],
    geometries: Sequence[BaseGeometry],
) -> gpd.GeoDataFrame:
    """Columns in schema order and type, rows sorted by the layer's key (unique)."""
    if len(records) != len(geometries):
        raise ValueError(f"{layer.name}: {len(records)} records, {len(geometries)} geometries")
    names = layer.attribute_names
    frame = pd.DataFrame.from_records(list(records), columns=names)
    for column in layer.columns:
        if column.type == "geometry":
            continue
        values = frame[column.name]
        if not column.nullable and values.isna().any():
            raise ValueError(f"{layer.name}.{column.name} has missing values")
        if column.type == "str":
            frame[column.name] = pd.Series(
                [None if pd.isna(v) else str(v) for v in values], dtype="object"
            )
        elif column.type == "int":
            frame[column.name] = values.astype("int64")
        elif column.type == "float":
            frame[column.name] = values.astype("float64")
        else:
            frame[column.name] = values.astype("bool")
    result = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(list(geometries)), crs=CRS)
    result = result.sort_values(layer.key, kind="stable").reset_index(drop=True)
    if result[layer.key].duplicated().any():
        duplicated = sorted(set(result.loc[result[layer.key].duplicated(), layer.key]))
        raise ValueError(f"{layer.name}: duplicated {layer.key} {duplicated[:5]}")
    return result

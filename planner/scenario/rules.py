"""COVID-19 rules over time and place: which level is in force where, on which day.

A scenario's `covid.timeline` puts levels in force in provinces, groups (districts in the
2020 structure, clusters in 2025) or communes, each from a start to an end date. On a given
day, a commune is under:

1. the level of a commune entry in force for that commune, else
2. the level of a group entry in force for its group, else
3. the level of a province entry in force for its province, else
4. `covid.default_level`.

Entries of one scope never disagree on a place and day (the loader rejects such overlaps),
so the answer does not depend on the order of the timeline.
"""

from __future__ import annotations

import datetime as dt

from planner.scenario.schema import RuleLevel, Scenario, Scope

__all__ = ["isolated_days", "level_on"]


def level_on(
    scenario: Scenario,
    date: dt.date,
    province_code: str,
    group_code: str | None = None,
    commune_code: str | None = None,
) -> RuleLevel:
    """The rule level in force on `date` in a place: the most specific entry in force wins.

    Leave `group_code` or `commune_code` out (None) to ask about a whole group or province;
    entries of the more specific scopes are then not considered.
    """
    covid = scenario.covid
    places: tuple[tuple[Scope, str | None], ...] = (
        ("commune", commune_code),
        ("group", group_code),
        ("province", province_code),
    )
    for scope, code in places:
        if code is None:
            continue
        for entry in covid.entries_by_place.get((scope, code), ()):
            if entry.start <= date <= entry.end:
                return covid.levels[entry.level]
    return covid.levels[covid.default_level]


def isolated_days(
    scenario: Scenario,
    province_code: str,
    group_code: str | None = None,
    commune_code: str | None = None,
) -> list[dt.date]:
    """The campaign days on which the place is isolated (nobody may enter it)."""
    return [
        day
        for day in scenario.campaign.days
        if level_on(scenario, day, province_code, group_code, commune_code).isolated
    ]

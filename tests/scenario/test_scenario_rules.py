"""COVID-19 timeline resolution: the most specific entry in force wins."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planner.scenario import Scenario
from planner.scenario.rules import isolated_days, level_on

D = dt.date


def scenario_with(timeline: list[dict[str, Any]], default: str = "open") -> Scenario:
    return Scenario.model_validate(
        {
            "name": "rules",
            "structure": "2020",
            "provinces": ["27"],
            "campaign": {"start": D(2020, 5, 23), "end": D(2020, 5, 31)},
            "teams": {"rule": {"vehicle": "motorbike", "crew": 3}},
            "covid": {
                "default_level": default,
                "levels": {
                    "open": {},
                    "cap30": {"max_gathering": 30},
                    "cap20": {"max_gathering": 20},
                    "shut": {"isolated": True},
                },
                "timeline": timeline,
            },
        }
    )


def entry(level: str, start: int, end: int, scope: str, *codes: str) -> dict[str, Any]:
    return {
        "level": level,
        "start": D(2020, 5, start),
        "end": D(2020, 5, end),
        "scope": scope,
        "codes": list(codes),
    }


NESTED = scenario_with(
    [
        entry("cap30", 23, 31, "province", "27"),
        entry("cap20", 25, 28, "group", "260"),
        entry("shut", 26, 27, "commune", "09349"),
    ]
)


@pytest.mark.parametrize(
    ("day", "group", "commune", "expected"),
    [
        (22, "260", "09349", "open"),  # before any entry: the default level
        (23, "260", "09349", "cap30"),  # only the province entry is in force
        (25, "260", "09349", "cap20"),  # group beats province
        (26, "260", "09349", "shut"),  # commune beats group
        (27, "260", "09349", "shut"),  # end date included
        (28, "260", "09349", "cap20"),  # commune entry over
        (26, "260", "09346", "cap20"),  # another commune of the group
        (26, "256", "09163", "cap30"),  # another group
        (29, "260", "09349", "cap30"),
        (26, "260", None, "cap20"),  # asking about the whole group
        (26, None, None, "cap30"),  # asking about the whole province
    ],
)
def test_most_specific_entry_in_force_wins(
    day: int, group: str | None, commune: str | None, expected: str
) -> None:
    level = level_on(NESTED, D(2020, 5, day), "27", group, commune)
    assert level.name == expected
    assert level == NESTED.covid.levels[expected]


def test_other_province_gets_the_default_level() -> None:
    assert level_on(NESTED, D(2020, 5, 26), "01", "001", "00001").name == "open"


def test_default_level_is_configurable() -> None:
    strict = scenario_with([entry("open", 24, 24, "province", "27")], default="cap20")
    assert level_on(strict, D(2020, 5, 23), "27").name == "cap20"
    assert level_on(strict, D(2020, 5, 24), "27").name == "open"


def test_same_level_overlaps_are_allowed() -> None:
    scenario = scenario_with(
        [entry("cap20", 23, 26, "group", "260"), entry("cap20", 25, 28, "group", "260", "256")]
    )
    assert level_on(scenario, D(2020, 5, 27), "27", "260").max_gathering == 20


def test_different_scopes_may_overlap_with_different_levels() -> None:
    scenario = scenario_with(
        [entry("cap30", 23, 31, "province", "27"), entry("cap20", 23, 31, "group", "260")]
    )
    assert level_on(scenario, D(2020, 5, 24), "27", "260").name == "cap20"


def test_isolated_days() -> None:
    assert isolated_days(NESTED, "27", "260", "09349") == [D(2020, 5, 26), D(2020, 5, 27)]
    assert isolated_days(NESTED, "27", "260", "09346") == []


def test_isolated_level_allows_nothing() -> None:
    shut = NESTED.covid.levels["shut"]
    assert shut.isolated and not shut.passes_allowed and not shut.conferences_allowed

"""The turnout band: seeded, reproducible, around the plan's figure, and inside the caps.

Small plans are made by hand with figures computed the way planner/solve/evaluate.py does
(passes: people x conversion; conferences: invited x show-up x conversion); one test runs
the demo scenario's real plan for a short time.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute
from planner.scenario import load_scenario
from planner.scenario.schema import Scenario
from planner.uncertainty import (
    CONFERENCE_BAND_COLUMNS,
    Band,
    Correlation,
    RateRange,
    TurnoutBand,
    band_summary,
    normal_cdf,
    triangular_quantile,
    turnout_band,
    write_conference_band_csv,
)

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.toml"
DAY1, DAY2 = dt.date(2020, 5, 23), dt.date(2020, 5, 25)
#: Ranges symmetric about the demo's rates: the recommended defaults (module docstring).
SYMMETRIC = {
    "uncertainty.pass_reach_share": (0.03, 0.07),
    "uncertainty.pass_conversion": (0.0025, 0.0075),
    "uncertainty.conference_show_up": (0.5, 0.9),
    "uncertainty.conference_conversion": (0.067, 0.133),
}


def _scenario(overrides: Mapping[str, Any]) -> Scenario:
    """The demo scenario with dotted fields changed, as `planner sweep --vary` does."""
    return load_scenario(DEMO, overrides)


def _degenerate(scenario: Scenario) -> dict[str, Any]:
    """Overrides that shrink every range to the scenario's own rate."""
    own = {
        "pass_reach_share": scenario.propaganda.reach_share,
        "pass_conversion": scenario.propaganda.conversion,
        "conference_show_up": scenario.conferences.show_up,
        "conference_conversion": scenario.conferences.conversion,
    }
    return {f"uncertainty.{name}": (value, value) for name, value in own.items()}


# --- hand-made plans ---------------------------------------------------------------------


def _stop(kind: str, code: str, people: float, enrolments: float, **conference: Any) -> Stop:
    return Stop(
        kind=kind,  # type: ignore[arg-type]
        commune_code=code,
        commune_name=f"Xã {code}",
        group_code="256",
        group_name="Huyện A",
        lat=21.0,
        lon=106.0,
        arrival_min=480,
        start_min=485,
        end_min=530,
        km_from_previous=5.0,
        minutes_from_previous=10,
        people_reached=people,
        expected_enrolments=enrolments,
        rule_level="open",
        pass_number=1 if kind == "pass" else None,
        **conference,
    )


def a_pass(scenario: Scenario, code: str, target_people: int, number: int = 1) -> Stop:
    """A pass with the figures evaluate.py gives it (domain.PassRules.people_reached)."""
    rules = scenario.propaganda
    people = target_people * rules.reach_share * rules.repeat_value ** (number - 1)
    return _stop("pass", code, people, people * rules.conversion)


def a_conference(
    scenario: Scenario,
    venue_id: str,
    invited: int,
    *,
    gathering_cap: int | None = None,
    seats_by_area: int = 80,
) -> Stop:
    """A conference with the figures evaluate.py gives it: invited x show-up x conversion."""
    attendance = invited * scenario.conferences.show_up
    return _stop(
        "conference",
        "09001",
        attendance,
        attendance * scenario.conferences.conversion,
        venue_id=venue_id,
        venue_name=f"Bưu điện {venue_id}",
        slot="morning",
        invited=invited,
        expected_attendance=attendance,
        gathering_cap=gathering_cap,
        seats_by_area=seats_by_area,
    )


def a_route(team_id: str, date: dt.date, stops: Sequence[Stop]) -> TeamDayRoute:
    return TeamDayRoute(
        team_id=team_id,
        date=date,
        vehicle="motorbike",
        base_venue_id="PO-D-256",
        base_name="Bưu điện huyện",
        base_lat=21.0,
        base_lon=106.0,
        depart_min=450,
        return_min=1000,
        lunch_start_min=690,
        lunch_minutes=60,
        km_to_base=5.0,
        minutes_to_base=10,
        stops=tuple(stops),
    )


def a_province(code: str, routes: Sequence[TeamDayRoute]) -> ProvincePlan:
    stops = [s for r in routes for s in r.stops]
    kpis = Kpis(
        people_reached=sum(s.people_reached for s in stops),
        expected_enrolments=sum(s.expected_enrolments for s in stops),
        passes=sum(1 for s in stops if s.kind == "pass"),
        conferences=sum(1 for s in stops if s.kind == "conference"),
        team_days_used=len(routes),
        team_days_available=len(routes),
        travel_km=10.0,
        objective=1.0,
        upper_bound=2.0,
        greedy_value=0.5,
        solve_seconds=0.1,
    )
    return ProvincePlan(
        province_code=code,
        province_name=f"Tỉnh {code}",
        group_label="district",
        routes=tuple(routes),
        unserved=(),
        kpis=kpis,
        n_communes=10,
        target_people=50_000,
        solver_status="OPTIMAL",
    )


def a_plan(*provinces: ProvincePlan) -> Plan:
    return Plan(
        scenario="test", structure="2020", provinces=provinces, seed=1, time_limit_seconds=1.0
    )


def mixed_plan(scenario: Scenario) -> Plan:
    """Three provinces: passes and conferences; passes only; conferences in two halls."""
    first = a_province(
        "27",
        [
            a_route(
                "27-256-1",
                DAY1,
                [a_pass(scenario, "09001", 2000), a_conference(scenario, "PO-D-256", 80)],
            ),
            a_route("27-256-1", DAY2, [a_pass(scenario, "09001", 2000, number=2)]),
            a_route(
                "27-258-1",
                DAY1,
                [a_conference(scenario, "PO-C-09004", 30, seats_by_area=30)],
            ),
        ],
    )
    passes_only = a_province(
        "30",
        [a_route("30-290-1", DAY1, [a_pass(scenario, "10001", 5000)] * 3)],
    )
    conferences = a_province(
        "31",
        [
            a_route("31-300-1", DAY1, [a_conference(scenario, "PO-D-300", 80)]),
            a_route("31-300-1", DAY2, [a_conference(scenario, "PO-C-11001", 30, seats_by_area=30)]),
            a_route("31-301-1", DAY2, [a_conference(scenario, "PO-D-301", 55, gathering_cap=55)]),
        ],
    )
    return a_plan(first, passes_only, conferences)


@pytest.fixture(scope="module")
def demo_scenario() -> Scenario:
    return load_scenario(DEMO)


@pytest.fixture(scope="module")
def demo_plan(demo_scenario: Scenario) -> Plan:
    """The demo scenario's plan, solved briefly (about 2 s)."""
    from planner.geo.load import load_geodata
    from planner.instance import build_instance
    from planner.problem import build_province_problem
    from planner.solve import solve_province
    from planner.travel import GreatCircleTravel

    geo = load_geodata(demo_scenario.structure, province_codes=["27"])
    problem = build_province_problem(geo, demo_scenario, DEMO, "27")
    travel = GreatCircleTravel(demo_scenario.travel.detour_factor, demo_scenario.travel.speeds_kmh)
    province = solve_province(build_instance(problem, travel), time_limit=1.0, seed=7)
    return a_plan(province)


def every_band(band: TurnoutBand) -> list[tuple[str, Band]]:
    """Every band in `band`, named: whole plan, channels, provinces, conferences."""
    named = [
        ("enrolments", band.enrolments),
        ("people_reached", band.people_reached),
        ("pass_enrolments", band.pass_enrolments),
        ("conference_enrolments", band.conference_enrolments),
    ]
    for p in band.provinces:
        named += [(f"{p.province_code} enrolments", p.enrolments)]
        named += [(f"{p.province_code} people", p.people_reached)]
    for c in band.conferences:
        named += [(f"{c.team_id} {c.date} {c.venue_id} attendance", c.attendance)]
        named += [(f"{c.team_id} {c.date} {c.venue_id} enrolments", c.enrolments)]
    return named


# --- reproducibility ---------------------------------------------------------------------


def test_same_seed_gives_the_same_band_and_bytes(demo_scenario: Scenario, tmp_path: Path) -> None:
    plan = mixed_plan(demo_scenario)
    first, again = turnout_band(plan, demo_scenario), turnout_band(plan, demo_scenario)
    assert first == again
    summaries = [json.dumps(band_summary(b), sort_keys=True) for b in (first, again)]
    assert summaries[0] == summaries[1]
    write_conference_band_csv(first, tmp_path / "a.csv")
    write_conference_band_csv(again, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_another_seed_gives_another_band(demo_scenario: Scenario) -> None:
    plan = mixed_plan(demo_scenario)
    seed_1 = turnout_band(plan, demo_scenario)
    seed_2 = turnout_band(plan, _scenario({"uncertainty.seed": 2}))
    assert seed_1.seed == 1 and seed_2.seed == 2
    assert seed_1.enrolments.p10 != seed_2.enrolments.p10
    assert seed_1.enrolments.p90 != seed_2.enrolments.p90
    assert seed_1.conferences[0].enrolments.p50 != seed_2.conferences[0].enrolments.p50
    # ...but the plan's own figures do not depend on the seed.
    assert seed_1.enrolments.expected == seed_2.enrolments.expected


def test_chunking_the_conferences_does_not_change_the_band(demo_scenario: Scenario) -> None:
    plan = mixed_plan(demo_scenario)
    whole = turnout_band(plan, demo_scenario, conference_chunk=1000)
    for chunk in (1, 2, 3):
        chunked = turnout_band(plan, demo_scenario, conference_chunk=chunk)
        # the same draws; only the order of float sums may differ (in the last bit)
        assert json.dumps(band_summary(chunked), sort_keys=True) == json.dumps(
            band_summary(whole), sort_keys=True
        )


# --- the band and the plan's figure ------------------------------------------------------


def test_demo_band_contains_the_plan_figure(demo_scenario: Scenario, demo_plan: Plan) -> None:
    band = turnout_band(demo_plan, demo_scenario)
    (province,) = demo_plan.provinces
    assert band.enrolments.expected == pytest.approx(province.kpis.expected_enrolments)
    assert band.people_reached.expected == pytest.approx(province.kpis.people_reached)
    assert len(band.conferences) == province.kpis.conferences > 0
    outside = [name for name, b in every_band(band) if not b.contains_expected]
    assert outside == []
    for _, b in every_band(band):
        assert b.p10 < b.p50 < b.p90


def test_hand_made_bands_contain_the_plan_figure(demo_scenario: Scenario) -> None:
    plan = mixed_plan(demo_scenario)
    band = turnout_band(plan, demo_scenario)
    assert [p.province_code for p in band.provinces] == ["27", "30", "31"]
    for province, province_band in zip(plan.provinces, band.provinces, strict=True):
        assert province_band.enrolments.expected == pytest.approx(province.kpis.expected_enrolments)
    outside = [name for name, b in every_band(band) if not b.contains_expected]
    assert outside == []
    only_passes = turnout_band(a_plan(plan.provinces[1]), demo_scenario)
    assert only_passes.conferences == ()
    assert only_passes.conference_enrolments.p90 == 0.0
    assert only_passes.enrolments.contains_expected


def test_symmetric_ranges_centre_the_band_on_the_plan(demo_plan: Plan) -> None:
    """With ranges symmetric about the rates, the band's mean is the plan's figure."""
    band = turnout_band(demo_plan, _scenario(SYMMETRIC))
    for b in (band.enrolments, band.people_reached, band.pass_enrolments):
        assert b.mean == pytest.approx(b.expected, rel=0.02)
        assert 0.4 < b.plan_percentile < 0.6
    conference = band.conferences[0].enrolments
    assert conference.mean == pytest.approx(conference.expected, rel=0.01)


def test_a_rate_set_without_its_range_keeps_the_band_centred() -> None:
    """A rate outside the default range (as `sweep --vary` sets it) takes a range around it.

    The range keeps the default's relative width, so the pass band's relative spread is the
    same as at the default rates, and its mean stays the plan's figure.
    """
    base = _scenario({"uncertainty.draws": 4000})
    moved = _scenario(
        {"uncertainty.draws": 4000, "propaganda.reach_share": 0.1, "propaganda.conversion": 0.02}
    )
    assert moved.uncertainty.pass_reach_share == (0.06, 0.14)
    assert moved.uncertainty.pass_conversion == (0.01, 0.03)
    base_band = turnout_band(a_plan(mixed_plan(base).provinces[1]), base).enrolments
    moved_band = turnout_band(a_plan(mixed_plan(moved).provinces[1]), moved).enrolments
    assert moved_band.expected == pytest.approx(8 * base_band.expected)  # 2 x reach, 4 x conversion
    assert moved_band.mean == pytest.approx(moved_band.expected, rel=0.02)
    for quantile in ("p10", "p50", "p90"):
        assert getattr(moved_band, quantile) / moved_band.expected == pytest.approx(
            getattr(base_band, quantile) / base_band.expected
        )


def test_a_rate_near_1_takes_a_range_cut_at_1(demo_scenario: Scenario) -> None:
    scenario = _scenario({"conferences.show_up": 0.95})
    low, high = scenario.uncertainty.conference_show_up
    assert low == pytest.approx(0.95 * 5 / 7) and high == 1.0
    rates = {rate.name: rate for rate in turnout_band(mixed_plan(scenario), scenario).rates}
    assert (rates["conference_show_up"].low, rates["conference_show_up"].high) == (low, high)


def test_a_rate_at_the_end_of_its_range_puts_the_band_on_one_side(
    demo_scenario: Scenario,
) -> None:
    """Assuming the lowest rates says so: the whole band lies above the plan's figure."""
    scenario = _scenario(
        {"uncertainty.pass_reach_share": (0.05, 0.08), "uncertainty.pass_conversion": (0.005, 0.01)}
    )
    plan = a_plan(mixed_plan(demo_scenario).provinces[1])  # passes only
    band = turnout_band(plan, scenario)
    assert band.enrolments.p10 > band.enrolments.expected
    assert not band.enrolments.contains_expected
    assert band.enrolments.plan_percentile == 0.0


def test_degenerate_ranges_give_the_plan_figure_exactly(demo_scenario: Scenario) -> None:
    scenario = _scenario(_degenerate(demo_scenario))
    plan = mixed_plan(demo_scenario)
    band = turnout_band(plan, scenario)
    for name, b in every_band(band):
        assert b.p10 == b.p50 == b.p90, name
        assert b.p50 == pytest.approx(b.expected, rel=1e-12, abs=1e-12), name
        assert b.mean == pytest.approx(b.expected, rel=1e-12, abs=1e-12), name
        assert b.plan_percentile == 0.0, name
    # Each conference's figure is the stop's own, to the last bit.
    for conference, stop in zip(
        band.conferences,
        [s for p in plan.provinces for r in p.routes for s in r.stops if s.kind == "conference"],
        strict=True,
    ):
        assert conference.attendance.p50 == stop.expected_attendance
    # Passes only: the province's enrolments are the plan's exactly (the factors are 1.0).
    passes = turnout_band(a_plan(plan.provinces[1]), scenario).enrolments
    assert passes.p10 == passes.p90 == passes.expected


# --- caps --------------------------------------------------------------------------------


def test_attendance_never_passes_the_gathering_cap_or_the_seats(
    demo_scenario: Scenario,
) -> None:
    """Even at full show-up: a plan that invited 100 to a hall of 50 under a cap of 30."""
    full_show_up = _scenario(
        {"conferences.show_up": 1.0, "uncertainty.conference_show_up": (1.0, 1.0)}
    )
    over_invited = a_conference(full_show_up, "PO-D-256", 100, gathering_cap=30, seats_by_area=50)
    at_seats = a_conference(full_show_up, "PO-C-09001", 30, seats_by_area=30)
    plan = a_plan(a_province("27", [a_route("27-256-1", DAY1, [over_invited, at_seats])]))
    band = turnout_band(plan, full_show_up)
    capped, seated = band.conferences
    assert capped.seat_limit == 30 and seated.seat_limit == 30
    assert capped.attendance.p10 == capped.attendance.p90 == 30.0
    assert seated.attendance.p90 == 30.0
    assert band.people_reached.p90 == pytest.approx(60.0)
    # Enrolments follow the capped attendance: 30 x conversion, never 100 x conversion.
    assert capped.enrolments.p90 <= 30 * 0.3 + 1e-9


def test_without_written_seats_the_gathering_cap_alone_limits(demo_scenario: Scenario) -> None:
    """A conference whose seats by area are not written: the cap, or no limit at all."""
    capped = a_conference(demo_scenario, "PO-D-256", 20, gathering_cap=25)
    open_hall = a_conference(demo_scenario, "PO-D-258", 20)
    halls = [replace(capped, seats_by_area=None), replace(open_hall, seats_by_area=None)]
    plan = a_plan(a_province("27", [a_route("27-256-1", DAY1, halls)]))
    assert [c.seat_limit for c in turnout_band(plan, demo_scenario).conferences] == [25, None]


def test_high_show_up_cannot_overfill_a_hall(demo_scenario: Scenario) -> None:
    """Show-up up to 100 %: the plan's invitations (<= seats) keep every draw in the hall."""
    scenario = _scenario({"uncertainty.conference_show_up": (0.5, 1.0)})
    halls = [
        a_conference(scenario, "PO-D-256", 80, seats_by_area=80),
        a_conference(scenario, "PO-D-258", 20, gathering_cap=20),
    ]
    plan = a_plan(a_province("27", [a_route("27-256-1", DAY1, halls)]))
    band = turnout_band(plan, scenario)
    for conference in band.conferences:
        assert conference.seat_limit is not None
        assert conference.attendance.p90 <= conference.seat_limit
        assert conference.attendance.mean < conference.seat_limit
    assert band.people_reached.p90 <= 100.0


# --- correlation -------------------------------------------------------------------------


def _twin_provinces(scenario: Scenario) -> Plan:
    """Two provinces with the same stops."""

    def province(code: str) -> ProvincePlan:
        stops = [a_pass(scenario, "09001", 4000), a_conference(scenario, "PO-D-256", 80)]
        return a_province(code, [a_route(f"{code}-1", DAY1, stops)])

    return a_plan(province("27"), province("30"))


def test_a_national_factor_moves_all_provinces_together(demo_scenario: Scenario) -> None:
    plan = _twin_provinces(demo_scenario)
    shared = turnout_band(plan, demo_scenario, correlation=Correlation(national=1.0, province=0.0))
    assert shared.provinces[0].enrolments == shared.provinces[1].enrolments
    local = turnout_band(plan, demo_scenario, correlation=Correlation(national=0.0, province=1.0))
    assert local.provinces[0].enrolments != local.provinces[1].enrolments
    # Independent provinces partly cancel: the national band is narrower.
    spread = [b.enrolments.p90 - b.enrolments.p10 for b in (shared, local)]
    assert spread[1] < 0.9 * spread[0]


def test_correlation_shares_must_add_up() -> None:
    with pytest.raises(ValueError, match="national \\+ province <= 1"):
        Correlation(national=0.8, province=0.3)
    assert Correlation(national=0.6, province=0.2).conference == pytest.approx(0.2)


# --- the distributions -------------------------------------------------------------------


def test_normal_cdf_matches_erf() -> None:
    z = np.linspace(-6.0, 6.0, 241)
    exact = np.array([0.5 * (1.0 + math.erf(x / math.sqrt(2.0))) for x in z])
    assert np.max(np.abs(normal_cdf(z) - exact)) < 2e-7
    assert normal_cdf(z.astype(np.float32)).dtype == np.float32


def test_triangular_quantile_has_the_right_shape() -> None:
    rate = RateRange("pass_conversion", 0.005, 0.01, 0.02)
    ends = triangular_quantile(np.array([0.0, 1.0 / 3.0, 1.0]), rate)
    assert ends == pytest.approx([0.005, 0.01, 0.02])
    sample = triangular_quantile(np.random.default_rng(3).random(200_000), rate)
    assert sample.min() >= 0.005 and sample.max() <= 0.02
    assert sample.mean() == pytest.approx((0.005 + 0.01 + 0.02) / 3, rel=0.005)
    flat = triangular_quantile(np.array([0.2, 0.9]), RateRange("x", 0.7, 0.7, 0.7))
    assert flat.tolist() == [0.7, 0.7]


# --- outputs -----------------------------------------------------------------------------


def _check_entry(entry: Mapping[str, Any], draws: int, seed: int) -> None:
    assert set(entry) == {
        "expected",
        "p10",
        "p50",
        "p90",
        "mean",
        "plan_percentile",
        "draws",
        "seed",
    }
    assert entry["draws"] == draws and entry["seed"] == seed
    assert entry["p10"] <= entry["p50"] <= entry["p90"]
    for key in ("expected", "p10", "p50", "p90", "mean"):
        assert entry[key] == round(entry[key], 2)


def test_band_summary_for_summary_json(demo_scenario: Scenario) -> None:
    band = turnout_band(mixed_plan(demo_scenario), _scenario({"uncertainty.draws": 500}))
    summary = json.loads(json.dumps(band_summary(band)))
    _check_entry(summary["expected_enrolments_band"], 500, 1)
    _check_entry(summary["expected_reach_band"], 500, 1)
    by_province = summary["expected_enrolments_band_by_province"]
    assert list(by_province) == ["27", "30", "31"]
    for entry in [*by_province.values(), *summary["expected_reach_band_by_province"].values()]:
        _check_entry(entry, 500, 1)
    assert set(summary["expected_enrolments_band_by_channel"]) == {"passes", "conferences"}
    rates = summary["uncertainty"]["rates"]
    assert rates["conference_show_up"] == {"low": 0.5, "mode": 0.7, "high": 0.9}
    total = summary["expected_enrolments_band"]["expected"]
    parts = sum(e["expected"] for e in by_province.values())
    assert total == pytest.approx(parts, abs=0.02)


def test_conference_band_csv(demo_scenario: Scenario, tmp_path: Path) -> None:
    plan = mixed_plan(demo_scenario)
    band = turnout_band(plan, demo_scenario)
    path = tmp_path / "conference_band.csv"
    write_conference_band_csv(band, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads Vietnamese
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CONFERENCE_BAND_COLUMNS
    assert len(rows) == 5
    keys = [(r["province_code"], r["date"], r["team_id"], r["venue_id"]) for r in rows]
    assert keys == sorted(keys)
    first = rows[0]
    assert (first["province_code"], first["team_id"], first["date"], first["venue_id"]) == (
        "27",
        "27-256-1",
        "2020-05-23",
        "PO-D-256",
    )
    assert first["expected_enrolments"] == "5.60"  # 80 invited x 0.7 x 0.10
    looked_up = band.conference("27-256-1", DAY1, "PO-D-256")
    assert first["p10"] == f"{looked_up.enrolments.p10:.2f}"
    assert float(first["p10"]) <= 5.6 <= float(first["p90"])
    with pytest.raises(KeyError):
        band.conference("27-256-1", DAY2, "PO-D-256")

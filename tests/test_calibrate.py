"""`planner calibrate`: rates fitted to reported attendance and sign-ups, written as a scenario.

The plan is made here by hand (no solver): 60 communes of province 27 in four districts, each
planned three passes a week apart, and 40 conferences at 20 commune venues, written as
`planner run` writes a plan folder, its summary.json naming tests/data/calibrate/scenario.toml
(reach_share 0.05, repeat_value 0.5, show-up 0.7, conference conversion 0.10, pass conversion
0.005). The reports are drawn with a seeded numpy generator from known rates (show-up 0.7,
conference conversion 0.10, pass conversion 0.006 at reach_share 0.05: 0.0003 sign-ups per
target person on a first pass), some stops skipped (so a later pass becomes an earlier one),
the passes as a CSV with English headers and the conferences as a workbook with Vietnamese
ones. The bad reports in tests/data/calibrate/ name this plan's codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from planner.calibrate import (
    FRAGMENT_MARK,
    MIN_CONFERENCES,
    MIN_PASSES,
    Calibration,
    calibrate,
    fit_binomial,
    fit_poisson,
    format_calibration,
    main,
)
from planner.errors import DataError, PlanCheckError
from planner.export.tables import (
    summary,
    write_routes_csv,
    write_schedule_csv,
    write_summary,
    write_unserved_csv,
)
from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute
from planner.scenario import load_scenario, scenario_hash

DATA = Path(__file__).resolve().parent / "data" / "calibrate"
SCENARIO = DATA / "scenario.toml"
DAY0 = dt.date(2020, 5, 25)  # a Monday
DISTRICTS = ("256", "257", "258", "259")
N_COMMUNES = 60
N_VENUES = 20

SHOW_UP = 0.7
CONFERENCE_CONVERSION = 0.10
PASS_CONVERSION = 0.006  # at the scenario's reach_share 0.05
REACH_SHARE = 0.05
REPEAT = 0.5
THETA = REACH_SHARE * PASS_CONVERSION  # sign-ups per target person on a first pass


def commune_code(i: int) -> str:
    return f"{9001 + i:05d}"


def district_of(i: int) -> str:
    return DISTRICTS[i * len(DISTRICTS) // N_COMMUNES]


def team_of(district: str) -> str:
    return f"27-{district}-1"


def targets() -> list[int]:
    return [int(t) for t in np.random.default_rng(7).integers(800, 4000, N_COMMUNES)]


def invitations() -> list[int]:
    return [int(n) for n in np.random.default_rng(8).integers(25, 80, N_VENUES * 2)]


def pass_days(i: int) -> list[dt.date]:
    return [DAY0 + dt.timedelta(days=i % 5 + 7 * j) for j in range(3)]


def conference_days(v: int) -> list[dt.date]:
    return [DAY0 + dt.timedelta(days=v % 5 + 1 + 10 * j) for j in range(2)]


def _stop(i: int, kind: str, order: int, **fields: object) -> Stop:
    start = 480 + 60 * order
    return Stop(
        kind=kind,  # type: ignore[arg-type]
        commune_code=commune_code(i),
        commune_name=f"Xã {i}",
        group_code=district_of(i),
        group_name=f"Huyện {district_of(i)}",
        lat=21.0 + i / 1000,
        lon=106.0 + i / 1000,
        arrival_min=start - 5,
        start_min=start,
        end_min=start + 45,
        km_from_previous=5.0,
        minutes_from_previous=10,
        rule_level="open",
        **fields,  # type: ignore[arg-type]
    )


def make_plan() -> Plan:
    """The hand-made plan (module docstring): people and enrolments at the scenario's rates."""
    stops: dict[tuple[str, dt.date], list[Stop]] = {}
    for i, target in enumerate(targets()):
        for n, day in enumerate(pass_days(i), start=1):
            key = (team_of(district_of(i)), day)
            people = target * REACH_SHARE * REPEAT ** (n - 1)
            stops.setdefault(key, []).append(
                _stop(
                    i,
                    "pass",
                    len(stops.get(key, [])),
                    people_reached=people,
                    expected_enrolments=people * 0.005,
                    pass_number=n,
                )
            )
    invited = iter(invitations())
    for v in range(N_VENUES):
        for day in conference_days(v):
            key = (team_of(district_of(v)), day)
            n_invited = next(invited)
            attendance = n_invited * 0.7
            stops.setdefault(key, []).append(
                _stop(
                    v,
                    "conference",
                    len(stops.get(key, [])),
                    people_reached=attendance,
                    expected_enrolments=attendance * 0.1,
                    venue_id=f"CX-{commune_code(v)}",
                    venue_name=f"Nhà văn hóa {v}",
                    slot="morning",
                    invited=n_invited,
                    expected_attendance=attendance,
                    seats_by_area=80,
                )
            )
    routes = tuple(
        TeamDayRoute(
            team_id=team,
            date=day,
            vehicle="motorbike",
            base_venue_id=f"BD-{team.split('-')[1]}",
            base_name="Bưu điện huyện",
            base_lat=21.0,
            base_lon=106.0,
            depart_min=450,
            return_min=1000,
            lunch_start_min=690,
            lunch_minutes=60,
            km_to_base=8.0,
            minutes_to_base=16,
            stops=tuple(day_stops),
        )
        for (team, day), day_stops in sorted(stops.items())
    )
    every = [s for r in routes for s in r.stops]
    kpis = Kpis(
        people_reached=sum(s.people_reached for s in every),
        expected_enrolments=sum(s.expected_enrolments for s in every),
        passes=sum(1 for s in every if s.kind == "pass"),
        conferences=sum(1 for s in every if s.kind == "conference"),
        team_days_used=len(routes),
        team_days_available=len(routes),
        travel_km=100.0,
        objective=1.0,
        upper_bound=1.0,
        greedy_value=1.0,
        solve_seconds=1.0,
    )
    province = ProvincePlan(
        province_code="27",
        province_name="Bắc Ninh",
        group_label="district",
        routes=routes,
        unserved=(),
        kpis=kpis,
        n_communes=N_COMMUNES,
        target_people=sum(targets()),
        solver_status="OPTIMAL",
    )
    return Plan(
        scenario="calibrate-test",
        structure="2020",
        provinces=(province,),
        seed=1,
        time_limit_seconds=5,
    )


def write_plan(out: Path, *, scenario: Path = SCENARIO, digest: str | None = None) -> Path:
    out.mkdir(parents=True)
    plan = make_plan()
    provenance = {
        "scenario_file": str(scenario),
        "scenario_hash": digest or scenario_hash(scenario),
        "data_version": "test",
    }
    write_summary(summary(plan, provenance=provenance, solve_seconds=1.0), out / "summary.json")
    write_schedule_csv(plan, out / "schedule.csv")
    write_routes_csv(plan, out / "routes.csv")
    write_unserved_csv(plan, out / "unserved.csv")
    return out


def draw_reports(folder: Path, seed: int = 2020) -> list[Path]:
    """passes.csv and conferences.xlsx drawn from the known rates (module docstring)."""
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    passes = folder / "passes.csv"
    with passes.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["team_id", "date", "kind", "commune_code", "done", "sign_ups"])
        for i, target in enumerate(targets()):
            done_so_far = 0
            for day in pass_days(i):
                # written as Excel leaves a code it read as a number, now and then
                code = commune_code(i).lstrip("0") if i % 7 == 0 else commune_code(i)
                row = [team_of(district_of(i)), day.isoformat(), "pass", code]
                if rng.random() < 0.1:
                    out.writerow([*row, "0", ""])
                    continue
                done_so_far += 1
                mean = target * REPEAT ** (done_so_far - 1) * THETA
                sign_ups = int(rng.poisson(mean))
                out.writerow([*row, "1", "" if rng.random() < 0.05 else sign_ups])
    book = Workbook()
    sheet = book.active
    sheet.title = "Hội nghị"
    sheet.append(["Báo cáo hội nghị"])  # a title row above the header
    sheet.append(
        [
            "Đội",
            "Ngày",
            "Hoạt động",
            "Mã địa điểm",
            "Đã thực hiện",
            "Số người dự thực tế",
            "Số người đăng ký tham gia",
        ]
    )
    invited = iter(invitations())
    for v in range(N_VENUES):
        for day in conference_days(v):
            n_invited = next(invited)
            cells: list[object] = [
                team_of(district_of(v)),
                day,
                "Hội nghị",
                f"CX-{commune_code(v)}",
            ]
            if rng.random() < 0.05:
                sheet.append([*cells, "Không", None, None])
                continue
            attendance = int(rng.binomial(n_invited, SHOW_UP))
            sign_ups = int(rng.binomial(attendance, CONFERENCE_CONVERSION))
            sheet.append([*cells, "Có", attendance, sign_ups])
    # one conference held at a team base on a day the plan did not give it: no invited known
    attendance = 40
    sheet.append(
        ["27-256-1", DAY0 + dt.timedelta(days=3), "Hội nghị", "BD-256", "Có", attendance, 4]
    )
    conferences = folder / "conferences.xlsx"
    book.save(conferences)
    return [passes, conferences]


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_plan(tmp_path_factory.mktemp("calibrate") / "plan")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return draw_reports(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def fitted(
    plan_dir: Path, reports: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Calibration:
    out = tmp_path_factory.mktemp("out") / "calibrated-rates.toml"
    return calibrate(reports, plan_dir, out_path=out, lang="en")


# --- the rates come back ---------------------------------------------------------------------


def test_known_rates_come_back_within_their_intervals(fitted: Calibration) -> None:
    assert fitted.show_up is not None
    assert fitted.conference_conversion is not None
    assert fitted.pass_product is not None
    assert fitted.pass_conversion is not None
    for fit, truth in (
        (fitted.show_up, SHOW_UP),
        (fitted.conference_conversion, CONFERENCE_CONVERSION),
        (fitted.pass_product, THETA),
        (fitted.pass_conversion, PASS_CONVERSION),
    ):
        assert fit.low <= truth <= fit.high, (fit, truth)
        assert fit.low < fit.estimate < fit.high
    # 40 conferences of about 50 invited: show-up to a few points, conversion to 2-3 points
    assert fitted.show_up.high - fitted.show_up.low < 0.05
    assert fitted.conference_conversion.high - fitted.conference_conversion.low < 0.06
    # the implied conversion is the product at the scenario's reach share
    assert fitted.pass_conversion.estimate == pytest.approx(fitted.pass_product.estimate / 0.05)


def test_rows_counted_as_reported(fitted: Calibration) -> None:
    assert fitted.show_up is not None and fitted.conference_conversion is not None
    # the base conference is in the conversion, not in the show-up (no invited known)
    assert fitted.conference_conversion.rows == fitted.show_up.rows + 1
    assert fitted.left_out == {"no_invited": 1}
    assert fitted.show_up.rows >= 35
    assert fitted.pass_product is not None and 140 <= fitted.pass_product.rows <= 170
    # binomial and Poisson draws scatter as the model says
    for fit in (fitted.show_up, fitted.conference_conversion, fitted.pass_product):
        assert fit.dispersion is not None and 0.5 < fit.dispersion < 1.6


def test_a_skipped_pass_makes_the_next_one_a_repeat_of_lower_rank(
    plan_dir: Path, tmp_path: Path
) -> None:
    """Pass 3 of the plan reported as the second pass done: it reaches half the first, not a
    quarter; with sign-ups exactly the expected ones the product comes back exactly."""
    target = targets()
    rows = []
    for i in range(MIN_PASSES):
        first, _, third = pass_days(i)
        team = team_of(district_of(i))
        rows.append([team, first, "pass", commune_code(i), "1", round(target[i] * 0.1)])
        rows.append([team, third, "pass", commune_code(i), "1", round(target[i] * 0.05)])
    path = tmp_path / "passes.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["team", "date", "kind", "commune_code", "done", "sign_ups"]])
        csv.writer(f).writerows(rows)
    result = calibrate(path, plan_dir, out_path=None)
    assert result.pass_product is not None
    assert result.pass_product.estimate == pytest.approx(0.1, rel=1e-3)
    assert result.show_up is None and result.conference_conversion is None
    assert result.unfitted == ()


# --- what is printed and written -------------------------------------------------------------


def test_lines_in_vietnamese_and_english(fitted: Calibration) -> None:
    vi = format_calibration(fitted)
    en = format_calibration(fitted, "en")
    assert re.search(r"Tỉ lệ đăng ký tại hội nghị: 0,\d+ \(90%: 0,\d+–0,\d+\)", vi)
    assert re.search(r"Tỉ lệ đến dự hội nghị: 0,\d+ \(90%: 0,\d+–0,\d+\); 1\.\d{3} người dự", vi)
    assert "(90%: " in vi and "hệ số phân tán" in vi and "không tách được" in vi
    assert re.search(r"Conference conversion \(sign-ups per attendee\): 0\.\d+ \(90%: ", en)
    assert "cannot separate reach from conversion" in en
    assert "1 conference not in the plan on their day" in en
    assert str(fitted.out_path) in en
    assert len(vi.splitlines()) == len(en.splitlines())


def test_the_fragment_loads_as_the_plans_scenario_with_the_fitted_rates(
    fitted: Calibration,
) -> None:
    assert fitted.out_path is not None
    text = fitted.out_path.read_text(encoding="utf-8")
    assert text.startswith(FRAGMENT_MARK)
    loaded = load_scenario(fitted.out_path)
    base = load_scenario(SCENARIO)
    assert loaded.name == "calibrate-test-calibrated"
    assert fitted.show_up is not None and fitted.conference_conversion is not None
    assert fitted.pass_conversion is not None
    assert loaded.conferences.show_up == pytest.approx(fitted.show_up.estimate, abs=1e-4)
    assert loaded.conferences.conversion == pytest.approx(
        fitted.conference_conversion.estimate, abs=1e-4
    )
    assert loaded.propaganda.conversion == pytest.approx(fitted.pass_conversion.estimate, abs=1e-5)
    assert loaded.conferences.show_up != base.conferences.show_up
    assert loaded.propaganda.conversion != base.propaganda.conversion
    # everything else is the plan's scenario
    assert loaded.propaganda.reach_share == base.propaganda.reach_share
    assert loaded.campaign == base.campaign
    assert loaded.teams == base.teams
    # each range holds the interval and is symmetric about the rate
    for rate, (low, high), fit in (
        (loaded.conferences.show_up, loaded.uncertainty.conference_show_up, fitted.show_up),
        (
            loaded.conferences.conversion,
            loaded.uncertainty.conference_conversion,
            fitted.conference_conversion,
        ),
        (loaded.propaganda.conversion, loaded.uncertainty.pass_conversion, fitted.pass_conversion),
    ):
        assert low <= fit.low + 1e-9 and fit.high - 1e-9 <= high
        assert rate - low == pytest.approx(high - rate, rel=0.02)
    assert loaded.uncertainty.pass_reach_share == base.uncertainty.pass_reach_share


def test_command_line(
    plan_dir: Path, reports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rates.toml"
    code = main([*map(str, reports), "--plan", str(plan_dir), "--out", str(out), "--lang", "en"])
    assert code == 0
    printed = capsys.readouterr().out
    assert re.search(r"Conference show-up: 0\.\d+ \(90%: ", printed)
    assert f"Wrote {out}" in printed
    assert load_scenario(out).name == "calibrate-test-calibrated"
    # the same again replaces the file it wrote
    assert main([*map(str, reports), "--plan", str(plan_dir), "--out", str(out)]) == 0


# --- errors: one line, nothing written -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "field", "words"),
    [
        (
            "unknown-commune.csv",
            2,
            "commune_code",
            "commune 09999 has no pass in the published plan",
        ),
        ("unknown-venue.csv", 3, "Mã địa điểm", "venue CX-99999 is not in the published plan"),
        ("negative-count.csv", 2, "sign_ups", "expected a whole number >= 0, got '-3'"),
        ("sign-ups-over-attendance.csv", 1, "sign_ups", "12 sign-ups at a conference of 9 people"),
        ("attendance-over-invited.csv", 1, "attendance", "500 people attended, the plan invited"),
        ("too-few.csv", None, "sign_ups", f"at least {MIN_CONFERENCES} needed"),
        ("no-usable-rows.csv", None, "sign_ups", "no usable rows"),
    ],
)
def test_bad_reports_raise_one_line_and_write_nothing(
    plan_dir: Path, tmp_path: Path, name: str, row: int | None, field: str, words: str
) -> None:
    out = tmp_path / "calibrated-rates.toml"
    with pytest.raises(DataError) as caught:
        calibrate(DATA / name, plan_dir, out_path=out)
    error = caught.value
    message = str(error)
    assert "\n" not in message
    assert error.path.endswith(name)
    assert error.row == row
    assert error.field == field
    assert words in message, message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_too_few_rows_says_how_many_and_how_many_needed(plan_dir: Path) -> None:
    with pytest.raises(DataError) as caught:
        calibrate(DATA / "too-few.csv", plan_dir, out_path=None)
    message = str(caught.value)
    assert "3 conferences with attendance and sign-ups" in message
    assert f"4 passes with sign-ups (at least {MIN_PASSES} needed)" in message


def test_a_rate_with_too_few_rows_is_left_to_the_scenario(
    plan_dir: Path, reports: list[Path], tmp_path: Path
) -> None:
    """Passes enough, conferences too few: passes fitted, conferences said not fitted."""
    out = tmp_path / "rates.toml"
    result = calibrate([reports[0], DATA / "too-few.csv"], plan_dir, out_path=out, lang="en")
    assert result.pass_product is not None
    assert result.show_up is None and result.conference_conversion is None
    assert {u.rate for u in result.unfitted} == {"conference_show_up", "conference_conversion"}
    lines = format_calibration(result, "en")
    assert "Conference show-up: not fitted: 3 conferences" in lines
    assert "the scenario's 0.7 stands" in lines
    loaded = load_scenario(out)
    assert loaded.conferences.show_up == 0.7
    written = tomllib.loads(out.read_text(encoding="utf-8"))
    assert "conferences" not in written
    assert set(written["uncertainty"]) == {"pass_conversion"}


def test_a_file_not_written_here_is_not_replaced(
    plan_dir: Path, reports: list[Path], tmp_path: Path
) -> None:
    mine = tmp_path / "my-scenario.toml"
    mine.write_text("# my own scenario\n", encoding="utf-8")
    with pytest.raises(DataError, match="not written by planner calibrate"):
        calibrate(reports, plan_dir, out_path=mine)
    assert mine.read_text(encoding="utf-8") == "# my own scenario\n"
    with pytest.raises(DataError, match="the plan's own scenario"):
        calibrate(reports, plan_dir, out_path=SCENARIO)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-scenario.toml"]


def test_a_changed_scenario_is_refused(reports: list[Path], tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan", digest="0" * 64)
    with pytest.raises(PlanCheckError, match="the scenario changed"):
        calibrate(reports, plan, out_path=tmp_path / "rates.toml")
    assert not (tmp_path / "rates.toml").exists()


# --- the intervals ---------------------------------------------------------------------------


def test_intervals_cover_the_truth_about_nine_times_in_ten() -> None:
    rng = np.random.default_rng(11)
    replicates = 400
    hits = {"binomial": 0, "poisson": 0}
    for _ in range(replicates):
        trials = rng.integers(10, 60, 12)
        successes = rng.binomial(trials, 0.1)
        fit = fit_binomial(successes.tolist(), trials.tolist())
        hits["binomial"] += fit.low <= 0.1 <= fit.high
        exposure = rng.uniform(500, 3000, 30)
        counts = rng.poisson(exposure * 0.0003)
        pfit = fit_poisson(counts.tolist(), exposure.tolist())
        hits["poisson"] += pfit.low <= 0.0003 <= pfit.high
    for kind, n in hits.items():
        # 90 % nominal; a little more where an unlucky dispersion above 1 widens the interval
        assert 0.85 <= n / replicates <= 0.97, (kind, n / replicates)


def test_extra_spread_is_seen_and_widens_the_interval() -> None:
    rng = np.random.default_rng(3)
    trials = rng.integers(30, 80, 40)
    rates = rng.beta(2, 18, 40)  # conferences that differ: mean 0.1, sd 0.065
    successes = rng.binomial(trials, rates)
    fit = fit_binomial(successes.tolist(), trials.tolist())
    assert fit.dispersion is not None and fit.dispersion > 2
    assert fit.widening == pytest.approx(math.sqrt(fit.dispersion))
    plain = fit_binomial([int(successes.sum())], [int(trials.sum())])
    assert (fit.high - fit.low) > 1.3 * (plain.high - plain.low)

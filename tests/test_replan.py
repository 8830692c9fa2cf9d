"""`planner replan`: pinned done stops, nothing counted twice, new rules from DATE, stability."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain import History
from planner.errors import DataError
from planner.geo.load import load_geodata
from planner.instance import build_instance
from planner.problem import build_province_problem
from planner.scenario import load_scenario
from planner.travel import travel_source
from planner.verify import check_outputs

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.toml"
FROM = "2020-05-27"
KEY = ("team_id", "date", "kind", "commune_code", "venue_id")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[k] for k in KEY)


def _write(path: Path, rows: list[dict[str, str]], extra: dict[str, str] | None = None) -> Path:
    columns = list(rows[0]) if rows else list(KEY)
    if extra:
        columns += [c for c in extra if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, **(extra or {})})
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-week demo plan (23-29 May 2020), as a province team would receive it."""
    tmp = tmp_path_factory.mktemp("published")
    scenario = tmp / "week.toml"
    scenario.write_text(f'extends = "{DEMO}"\nname = "week"\n', encoding="utf-8")
    out = tmp / "plan"
    args = ["run", str(scenario), "--out", str(out), "--time-limit", "1", "--workers", "1"]
    assert main([*args, "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def done_report(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every stop before FROM done except every fifth one (the schedule with a done column)."""
    rows = [r for r in _rows(published / "schedule.csv") if r["date"] < FROM]
    for i, row in enumerate(rows):
        row["done"] = "0" if i % 5 == 2 else "1"
    return _write(tmp_path_factory.mktemp("done") / "done.csv", rows)


def _replan(published: Path, done: Path, out: Path, *extra: str) -> Path:
    args = ["replan", str(published), "--done", str(done), "--from", FROM, "--out", str(out)]
    assert main([*args, "--time-limit", "1", "--workers", "1", "--quiet", *extra]) == 0
    return out


@pytest.fixture(scope="module")
def replanned(published: Path, done_report: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _replan(published, done_report, tmp_path_factory.mktemp("replan") / "plan")


def test_done_stops_are_pinned_and_nothing_else_happens_before_the_date(
    replanned: Path, done_report: Path
) -> None:
    done = {_key(r): r for r in _rows(done_report) if r["done"] == "1"}
    before = {_key(r): r for r in _rows(replanned / "schedule.csv") if r["date"] < FROM}
    assert set(before) == set(done)
    for key, row in before.items():
        assert (row["arrival"], row["start"], row["end"]) == (
            done[key]["arrival"],
            done[key]["start"],
            done[key]["end"],
        )


def test_the_whole_month_keeps_every_rule(replanned: Path) -> None:
    assert check_outputs(replanned) == []


def test_a_commune_reached_before_is_not_counted_twice(replanned: Path) -> None:
    """Pass numbers run on from what was done, and each pass reaches what its number allows."""
    scenario = load_scenario(DEMO)
    geo = load_geodata("2020", province_codes=["27"])
    targets = dict(zip(geo.communes["commune_code"], geo.communes["target_people"], strict=True))
    by_commune: dict[str, list[dict[str, str]]] = {}
    for row in _rows(replanned / "schedule.csv"):
        if row["kind"] == "pass":
            by_commune.setdefault(row["commune_code"], []).append(row)
    repeats = 0
    for code, rows in by_commune.items():
        rows.sort(key=lambda r: r["date"])
        assert [int(r["pass_number"]) for r in rows] == list(range(1, len(rows) + 1))
        for n, row in enumerate(rows, start=1):
            expected = targets[code] * scenario.propaganda.reach_share
            expected *= scenario.propaganda.repeat_value ** (n - 1)
            assert float(row["people_reached"]) == pytest.approx(expected, abs=0.06)
        repeats += any(r["date"] < FROM for r in rows) and any(r["date"] >= FROM for r in rows)
    assert repeats > 0, "some commune is passed through both before and after the date"


def test_history_closes_limits_spacing_and_the_people_invited() -> None:
    scenario = load_scenario(DEMO)
    geo = load_geodata("2020", province_codes=["27"])
    problem = build_province_problem(geo, scenario, DEMO, "27")
    travel = travel_source(scenario.travel, DEMO)
    commune, venue = problem.communes[0], problem.venues[0]
    history = History(
        from_date=dt.date(2020, 5, 27),
        passes_done=((commune.code, (dt.date(2020, 5, 26),)),),
        conferences_done=((venue.venue_id, (dt.date(2020, 5, 25),)),),
        invited_done=((venue.venue_id, 10),),
    )
    fresh = build_instance(problem, travel)
    again = build_instance(problem.__class__(**{**problem.__dict__, "history": history}), travel)
    d27 = problem.dates.index(dt.date(2020, 5, 27))
    assert not again.team_works[:, :d27].any(), "no work before the re-plan's first day"
    assert again.passes_done[0] == 1 and again.passes_left[0] == fresh.passes_left[0] - 1
    assert again.pass_people[0, 0] == pytest.approx(fresh.pass_people[0, 1])
    gap = problem.passes.min_days_between
    done_day = dt.date(2020, 5, 26)
    closed = [d for d, day in enumerate(problem.dates) if abs((day - done_day).days) < gap]
    assert not again.pass_open[0, closed].any()
    assert again.catchment_left[0] == fresh.catchment_left[0] - 10
    assert again.conferences_left[0] == fresh.conferences_left[0] - 1


def test_new_rules_apply_from_the_date(published: Path, done_report: Path, tmp_path: Path) -> None:
    """A district isolated from the date gets no stop from then on."""
    first = next(r for r in _rows(published / "schedule.csv") if r["date"] >= FROM)
    district = first["group_code"]
    changed = tmp_path / "wave.toml"
    changed.write_text(
        f'extends = "{published.parent / "week.toml"}"\nname = "week-wave"\n'
        f'[[covid.timeline]]\nlevel = "isolated"\nstart = {FROM}\nend = 2020-05-29\n'
        f'scope = "group"\ncodes = ["{district}"]\n'
        '[covid.levels.isolated]\nisolated = true\nnote = "a local wave"\n',
        encoding="utf-8",
    )
    out = _replan(published, done_report, tmp_path / "plan", "--scenario", str(changed))
    after = [r for r in _rows(out / "schedule.csv") if r["date"] >= FROM]
    assert after and all(r["group_code"] != district for r in after)
    assert check_outputs(out) == []


def test_a_large_stability_bonus_keeps_every_published_stop(
    published: Path, tmp_path: Path
) -> None:
    rows = [r for r in _rows(published / "schedule.csv") if r["date"] < FROM]
    done = _write(tmp_path / "all.csv", rows)
    stable = tmp_path / "stable.toml"
    stable.write_text(
        f'extends = "{published.parent / "week.toml"}"\nname = "week"\n'
        "[objective]\nstability = 10.0\n",
        encoding="utf-8",
    )
    out = _replan(published, done, tmp_path / "plan", "--scenario", str(stable))
    planned = {_key(r) for r in _rows(published / "schedule.csv") if r["date"] >= FROM}
    kept = {_key(r) for r in _rows(out / "schedule.csv") if r["date"] >= FROM}
    assert planned <= kept
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["replan"]["done_stops"] == len(rows)


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("unknown_stop", "commune_code", "no pass of team"),
        ("after_date", "date", "is not before --from"),
        ("duplicate", "commune_code", "the same stop as row 1"),
        ("bad_done", "done", "expected 1/yes/true/x"),
        ("unknown_team", "team_id", "has no route in the published plan"),
        ("no_columns", None, "missing column"),
    ],
)
def test_bad_reports_name_the_row(
    published: Path, tmp_path: Path, case: str, field: str | None, words: str
) -> None:
    rows = [r for r in _rows(published / "schedule.csv") if r["date"] < FROM][:3]
    if case == "unknown_stop":
        rows[1]["commune_code"] = "99999"
        rows[1]["kind"] = "pass"
    elif case == "after_date":
        rows[1]["date"] = "2020-05-28"
    elif case == "duplicate":
        rows = [r for r in rows if r["kind"] == "pass"][:1] * 2
    elif case == "bad_done":
        rows = [{**r, "done": "maybe"} for r in rows]
    elif case == "unknown_team":
        rows[1]["team_id"] = "nobody"
    elif case == "no_columns":
        rows = [{"team": r["team_id"]} for r in rows]
    path = _write(tmp_path / f"{case}.csv", rows)
    from planner.replan import replan
    from planner.runner import RunSettings

    with pytest.raises(DataError) as error:
        replan(published, path, dt.date.fromisoformat(FROM), RunSettings(workers=1, time_limit=1))
    message = str(error.value)
    assert words in message and str(path) in message
    if field is not None:
        assert f"field '{field}'" in message and ", row " in message
    assert not (published.parent / f"{published.name}-replan-{FROM}").exists()


def test_a_stop_reported_in_an_isolated_place_is_refused(published: Path, tmp_path: Path) -> None:
    """The rules now in force isolate a commune before the date: a report of a pass there is wrong."""
    row = next(
        r for r in _rows(published / "schedule.csv") if r["date"] < FROM and r["kind"] == "pass"
    )
    changed = tmp_path / "closed.toml"
    changed.write_text(
        f'extends = "{published.parent / "week.toml"}"\nname = "week-closed"\n'
        f'[[covid.timeline]]\nlevel = "isolated"\nstart = 2020-05-23\nend = 2020-05-29\n'
        f'scope = "commune"\ncodes = ["{row["commune_code"]}"]\n'
        "[covid.levels.isolated]\nisolated = true\n",
        encoding="utf-8",
    )
    path = _write(tmp_path / "done.csv", [row])
    code = main(
        ["replan", str(published), "--done", str(path), "--from", FROM, "--scenario", str(changed)]
    )
    assert code == 2


def test_a_team_out_sick_from_the_date_gets_no_stop_while_away(
    published: Path, done_report: Path, tmp_path: Path
) -> None:
    team = next(r for r in _rows(published / "schedule.csv") if r["date"] >= FROM)["team_id"]
    changed = tmp_path / "sick.toml"
    changed.write_text(
        f'extends = "{published.parent / "week.toml"}"\nname = "week-sick"\n'
        f'[[teams.absences]]\nteam = "{team}"\nstart = {FROM}\nend = 2020-05-29\n'
        'note = "out sick"\n',
        encoding="utf-8",
    )
    out = _replan(published, done_report, tmp_path / "plan", "--scenario", str(changed))
    rows = _rows(out / "schedule.csv")
    assert not [r for r in rows if r["team_id"] == team and r["date"] >= FROM]
    assert [r for r in rows if r["team_id"] != team and r["date"] >= FROM]
    assert check_outputs(out) == []


@pytest.mark.parametrize(
    ("absence", "words"),
    [
        ('team = "27-999-1"\nstart = 2020-05-25\nend = 2020-05-26', "no team has id '27-999-1'"),
        ('team = "27-262-1"\nstart = 2021-05-25\nend = 2021-05-26', "is outside the campaign"),
        ('team = "27-262-1"\nstart = 2020-05-26\nend = 2020-05-25', "must be on or after start"),
    ],
)
def test_bad_absences_name_the_field(tmp_path: Path, absence: str, words: str) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text(
        f'extends = "{DEMO}"\nname = "bad"\n[[teams.absences]]\n{absence}\n', encoding="utf-8"
    )
    from planner.errors import ScenarioError
    from planner.runner import load_scenario_geodata

    with pytest.raises(ScenarioError) as error:
        load_scenario_geodata(load_scenario(scenario), scenario, None)
    assert words in str(error.value) and "teams.absences" in str(error.value)

"""`planner replan`: pinned done stops, nothing counted twice, new rules from DATE, stability."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.cli import main
from planner.domain import History
from planner.errors import DataError
from planner.export.i18n import column_label, kind_label
from planner.geo.load import load_geodata
from planner.instance import build_instance
from planner.problem import build_province_problem
from planner.replan import DoneStop, read_done
from planner.scenario import load_scenario
from planner.travel import travel_source
from planner.verify import check_outputs, read_plan

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo.toml"
FROM = "2020-05-27"
KEY = ("team_id", "date", "kind", "commune_code", "venue_id")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:  # the planner writes a BOM
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


# --- reports in the forms teams send them (planner/reports.py) -------------------------------


@pytest.fixture(scope="module")
def problems() -> dict[str, Any]:
    scenario = load_scenario(DEMO)
    geo = load_geodata("2020", province_codes=["27"])
    return {"27": build_province_problem(geo, scenario, DEMO, "27")}


def _done_keys(done: list[DoneStop]) -> list[tuple[str, str, dt.date, str, str]]:
    return sorted(
        (d.province_code, d.route.team_id, d.route.date, d.stop.kind, d.stop.commune_code)
        for d in done
    )


def _fill(workbook: Path, done: set[tuple[str, ...]], out: Path) -> Path:
    """The published workbook with Có / Không in each team sheet's done column."""
    book = openpyxl.load_workbook(workbook)
    for sheet in book.worksheets[1:-1]:
        header = [c.value for c in sheet[1]]
        at = {c: header.index(column_label(c, "vi")) for c in (*KEY, "done")}
        for n in range(2, sheet.max_row + 1):
            value = {c: sheet.cell(row=n, column=i + 1).value for c, i in at.items()}
            kind = "pass" if value["kind"] == kind_label("pass", "vi") else "conference"
            key = (
                value["team_id"],
                value["date"].date().isoformat(),
                kind,
                value["commune_code"] or "",
                value["venue_id"] or "",
            )
            sheet.cell(row=n, column=at["done"] + 1).value = "Có" if key in done else "Không"
    book.save(out)
    return out


def test_the_published_files_carry_a_bom_for_excel(published: Path) -> None:
    for name in ("schedule.csv", "routes.csv", "unserved.csv"):
        assert (published / name).read_bytes().startswith(codecs.BOM_UTF8), name
    assert read_plan(published).n_stops == len(_rows(published / "schedule.csv"))


def test_the_workbook_and_excel_csv_give_the_same_done_stops(
    published: Path, done_report: Path, problems: dict[str, Any], tmp_path: Path
) -> None:
    plan = read_plan(published)
    start = dt.date.fromisoformat(FROM)
    expected = _done_keys(read_done(done_report, plan, start, problems))
    done = {_key(r) for r in _rows(done_report) if r["done"] == "1"}
    workbook = _fill(published / "schedule.xlsx", done, tmp_path / "filled.xlsx")
    assert _done_keys(read_done(workbook, plan, start, problems)) == expected
    # Excel's plain CSV on a Vietnamese Windows: Windows-1258, semicolons, dates day first,
    # and commune codes that lost their leading zero (Excel read them as numbers)
    rows = _rows(done_report)
    header = ";".join(["Đội", "Ngày", "Hoạt động", "Mã xã", "Mã địa điểm", "Đã thực hiện"])
    lines = [header]
    for r in rows:
        day = dt.date.fromisoformat(r["date"]).strftime("%d/%m/%Y")
        kind = kind_label(r["kind"], "vi")  # type: ignore[arg-type]
        code = r["commune_code"].lstrip("0")
        mark = "có" if r["done"] == "1" else ""
        lines.append(";".join([r["team_id"], day, kind, code, r["venue_id"], mark]))
    text = "\r\n".join(lines)
    excel = tmp_path / "excel.csv"
    excel.write_bytes(_cp1258(text))
    assert _done_keys(read_done(excel, plan, start, problems)) == expected


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: precomposed where the code page has the letter,
    else the letter and the tone mark as a combining character."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_an_unknown_team_in_the_workbook_names_sheet_row_and_column(
    published: Path, done_report: Path, problems: dict[str, Any], tmp_path: Path
) -> None:
    done = {_key(r) for r in _rows(done_report) if r["done"] == "1"}
    workbook = _fill(published / "schedule.xlsx", done, tmp_path / "filled.xlsx")
    book = openpyxl.load_workbook(workbook)
    sheet = book.worksheets[1]
    column = [c.value for c in sheet[1]].index("Đội") + 1
    sheet.cell(row=2, column=column).value = "27-999-9"
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Đã thực hiện") + 1).value = "x"
    book.save(workbook)
    with pytest.raises(DataError) as error:
        read_done(workbook, read_plan(published), dt.date.fromisoformat(FROM), problems)
    assert str(error.value).startswith(
        f"{workbook}, sheet '{sheet.title}', row 2, field 'Đội': team '27-999-9' has no route"
    )


def test_two_reports_the_later_wins_and_the_replan_says_so(
    published: Path, done_report: Path, tmp_path: Path
) -> None:
    rows = _rows(done_report)
    first_done = next(r for r in rows if r["done"] == "1")
    correction = _write(tmp_path / "correction.csv", [{**first_done, "done": "0"}])
    lines: list[str] = []
    from planner.replan import replan
    from planner.runner import RunSettings

    out = tmp_path / "plan"
    replan(
        published,
        [done_report, correction],
        dt.date.fromisoformat(FROM),
        RunSettings(workers=1, time_limit=1, out_dir=out),
        notice=lines.append,
    )
    (line,) = lines
    assert "reported twice" in line and str(correction) in line and str(done_report) in line
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["replan"]["report_overrides"] == lines
    assert summary["replan"]["done_files"] == [str(done_report), str(correction)]
    before = {_key(r) for r in _rows(out / "schedule.csv") if r["date"] < FROM}
    assert _key(first_done) not in before
    expected = {_key(r) for r in rows if r["done"] == "1"} - {_key(first_done)}
    assert before == expected

"""What the pages show, computed from a scenario, a job and a run folder (no HTML here).

The templates only lay these values out; every text they get is escaped by Jinja.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from typing import Any

from planner.export.i18n import (
    Lang,
    format_date,
    format_number,
    format_percent,
    reason_label,
    vehicle_label,
)
from planner.scenario import Scenario
from planner.web.i18n import text
from planner.web.store import (
    BATCH,
    COMPARING,
    DONE,
    LOADING,
    REPLAN,
    RUN,
    SOLVING,
    SWEEP,
    WRITING,
    Job,
    Province,
)
from planner.web.workspace import TeamPack, Workspace
from planner.written_plan import (
    ROUTES_FILE,
    SCHEDULE_FILE,
    SUMMARY_FILE,
    UNSERVED_FILE,
    EnrolmentBand,
)

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_VI = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def scenario_summary(scenario: Scenario, lang: Lang) -> list[tuple[str, str]]:
    """The scenario's fields a planner looks at first, as (label, value) rows."""
    rows: list[tuple[str, str]] = [
        (text("scenario_id", lang), scenario.name),
        (text("structure", lang), text(f"structure_{scenario.structure}", lang)),
    ]
    provinces = (
        text("all_provinces", lang)
        if scenario.provinces == "all"
        else ", ".join(scenario.provinces)
    )
    rows.append((text("provinces", lang), provinces))
    campaign = scenario.campaign
    days = (campaign.end - campaign.start).days + 1
    rows.append(
        (
            text("campaign", lang),
            f"{format_date(campaign.start, lang, with_weekday=False)} – "
            f"{format_date(campaign.end, lang, with_weekday=False)} ({days} {text('days', lang)})",
        )
    )
    teams = scenario.teams
    group = "cụm" if scenario.structure == "2025" else "huyện"
    if lang == "en":
        group = "cluster" if scenario.structure == "2025" else "district"
    if teams.rule is not None:
        rows.append(
            (
                text("team_rule", lang),
                text(
                    "team_rule_text",
                    lang,
                    n=teams.rule.teams_per_group,
                    group=group,
                    vehicle=vehicle_label(teams.rule.vehicle, lang).lower(),
                    crew=teams.rule.crew,
                ),
            )
        )
    if teams.list:
        rows.append((text("team_rule", lang), text("team_list", lang, n=len(teams.list))))
    rows.append((text("territory", lang), text(f"territory_{teams.territory}", lang)))
    names = _WEEKDAYS_VI if lang == "vi" else tuple(d.capitalize() for d in _WEEKDAYS)
    rows.append(
        (text("weekdays", lang), ", ".join(names[_WEEKDAYS.index(d)] for d in teams.weekdays))
    )
    rows.append(
        (
            text("working_hours", lang),
            f"{teams.working_hours.start} – {teams.working_hours.end}",
        )
    )
    conferences = scenario.conferences
    if conferences.allowed:
        slots = ", ".join(f"{s.earliest}–{s.latest}" for s in conferences.slots)
        week = conferences.max_per_team_week
        rows.append(
            (
                text("conference_rules", lang),
                text(
                    "conference_text",
                    lang,
                    minutes=conferences.duration_minutes,
                    week="—" if week is None else week,
                    slots=slots,
                ),
            )
        )
    else:
        rows.append((text("conference_rules", lang), text("no_conferences", lang)))
    covid = scenario.covid
    rows.append(
        (
            text("covid", lang),
            text(
                "covid_text",
                lang,
                level=covid.default_level,
                levels=len(covid.levels),
                entries=len(covid.timeline),
            ),
        )
    )
    rows.append(
        (
            text("solver", lang),
            text(
                "solver_text",
                lang,
                seconds=scenario.solver.time_limit_seconds,
                seed=scenario.solver.seed,
            ),
        )
    )
    if scenario.extends:
        rows.append((text("extends", lang), scenario.extends))
    return rows


@dataclass(frozen=True)
class ProvinceBar:
    label: str
    name: str
    state: str
    state_text: str
    percent: int
    result: str


@dataclass(frozen=True)
class ScenarioGroup:
    """The provinces of one scenario of a batch, with how far that scenario is."""

    name: str
    percent: int
    done: int
    provinces: list[ProvinceBar]


@dataclass(frozen=True)
class LiveView:
    """A job's progress as the live block shows it."""

    status: str
    status_text: str
    phase_text: str
    percent: int
    elapsed: str
    provinces: list[ProvinceBar]
    notes: list[str]
    message: str
    result: str
    final: bool
    cancel_requested: bool
    groups: list[ScenarioGroup] = field(default_factory=list)  # a batch: per scenario


def live_view(
    job: Job, provinces: list[Province], notes: list[str], lang: Lang, now: float | None = None
) -> LiveView:
    """Per province: done is full; one being solved is estimated from its time limit (at
    most 95%: the solve can take a little longer); waiting is empty. Overall: loading 5%,
    solving up to 90%, writing 95%, done 100%."""
    now = time.time() if now is None else now
    limit = job.province_limit or 20.0
    bars = []
    fractions = []
    for p in provinces:
        if p.state == "done":
            fraction = 1.0
        elif p.state == "running" and p.started_at is not None:
            fraction = min(0.95, max(0.0, (now - p.started_at) / limit))
        else:
            fraction = 0.0
        fractions.append(fraction)
        bars.append(
            ProvinceBar(
                label=p.label,
                name=p.name,
                state=p.state,
                state_text=text(f"province_{p.state}", lang),
                percent=round(100 * fraction),
                result=province_result(p.result, lang),
            )
        )
    if job.status == DONE:
        overall = 1.0
    elif job.phase == COMPARING:
        overall = 0.95 if fractions else 0.5
    elif job.phase == LOADING or not fractions:
        overall = 0.02 if job.phase == LOADING else 0.0
    elif job.phase == SOLVING:
        overall = 0.05 + 0.85 * sum(fractions) / len(fractions)
    elif job.phase == WRITING:
        overall = 0.95
    else:
        overall = 0.05 + 0.85 * sum(fractions) / len(fractions)
    groups: list[ScenarioGroup] = []
    if job.kind == BATCH:  # labels are "scenario/code"
        members: dict[str, list[int]] = {}
        for i, bar in enumerate(bars):
            members.setdefault(bar.label.rsplit("/", 1)[0], []).append(i)
        for name, index in members.items():
            group_bars = [
                ProvinceBar(**{**bars[i].__dict__, "label": bars[i].label.rsplit("/", 1)[-1]})
                for i in index
            ]
            groups.append(
                ScenarioGroup(
                    name=name,
                    percent=round(100 * sum(fractions[i] for i in index) / len(index)),
                    done=sum(1 for b in group_bars if b.state == "done"),
                    provinces=group_bars,
                )
            )
    start = job.started_at or job.created_at
    end = job.finished_at or (now if not job.final else start)
    return LiveView(
        status=job.status,
        status_text=text(f"status_{job.status}", lang),
        phase_text=text(f"phase_{job.phase}", lang) if job.phase and not job.final else "",
        percent=round(100 * overall),
        elapsed=duration(end - start, lang),
        provinces=bars,
        notes=notes,
        message=job.message,
        result=job_result(job.result, lang),
        final=job.final,
        cancel_requested=job.cancel_requested,
        groups=groups,
    )


def _figures(data: str) -> dict[str, Any]:
    try:
        value = json.loads(data) if data else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def province_result(data: str, lang: Lang) -> str:
    """A finished province in words: passes, conferences, value against its bound."""
    r = _figures(data)
    if not r:
        return ""

    def n(key: str) -> str:
        value = r.get(key)
        return format_number(float(value), lang) if isinstance(value, int | float) else "?"

    if lang == "vi":
        how = "lấy lại kết quả đã lưu" if r.get("resumed") else f"{n('seconds')} giây"
        return (
            f"{n('passes')} lượt tuyên truyền, {n('conferences')} hội nghị, giá trị "
            f"{n('objective')} (cận trên {n('upper_bound')}), {how}"
        )
    how = "resumed" if r.get("resumed") else f"{n('seconds')} s"
    return (
        f"{n('passes')} passes, {n('conferences')} conferences, value {n('objective')} "
        f"(bound {n('upper_bound')}), {how}"
    )


def job_result(data: str, lang: Lang) -> str:
    """A finished run in words: team-days, passes, conferences, reach, enrolments."""
    r = _figures(data)
    if not r:
        return ""
    keys = ("team_days", "passes", "conferences", "people_reached", "expected_enrolments")
    values = (
        r.get("team_days"),
        r.get("passes"),
        r.get("conferences"),
        r.get("expected_reach"),
        r.get("expected_enrolments"),
    )
    return "; ".join(
        f"{text(key, lang)}: {format_number(float(value), lang)}"
        for key, value in zip(keys, values, strict=True)
        if isinstance(value, int | float)
    )


def duration(seconds: float, lang: Lang) -> str:
    seconds = max(0, round(seconds))
    minutes, rest = divmod(seconds, 60)
    if minutes:
        return f"{minutes} {text('minutes_short', lang)} {rest} {text('seconds_short', lang)}"
    return f"{rest} {text('seconds_short', lang)}"


def clock(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return dt.datetime.fromtimestamp(timestamp).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class ResultsView:
    figures: list[tuple[str, str]]
    provinces: list[dict[str, Any]]
    history: list[str]
    maps: list[Link]
    downloads: list[Link]
    teams: list[TeamPack]


DOWNLOADS: dict[str, tuple[str, str]] = {
    # kind -> (file in the run folder, label key)
    "workbook": ("schedule.xlsx", "workbook"),
    "geopackage": ("plan.gpkg", "geopackage"),
    "schedule-csv": (SCHEDULE_FILE, SCHEDULE_FILE),
    "routes-csv": (ROUTES_FILE, ROUTES_FILE),
    "unserved-csv": (UNSERVED_FILE, UNSERVED_FILE),
    "summary-json": (SUMMARY_FILE, SUMMARY_FILE),
}


def results_view(
    workspace: Workspace, job: Job, lang: Lang, folder: str = ""
) -> ResultsView | None:
    """The run's results from its folder's summary.json, or None when there is none; with
    `folder`, those of the plan in that folder of a batch's folder."""
    from planner.export.maps import province_file
    from planner.history import history_lines

    summary = workspace.summary(job.id, folder)
    prefix = f"{folder}/" if folder else ""
    files = f"/runs/{job.id}/files/{prefix}"

    def there(relative: str) -> bool:
        return workspace.run_file(job.id, prefix + relative) is not None

    if summary is None:
        return None

    def n(value: float | None, digits: int = 0) -> str:
        return "" if value is None else format_number(float(value), lang, digits)

    def band(b: EnrolmentBand | None) -> str:
        if b is None:
            return ""
        return f" ({text('band', lang)} {format_number(b.p10, lang)}–{format_number(b.p90, lang)})"

    s = summary
    figures = [
        (text("team_days", lang), f"{n(s.team_days)} / {n(s.team_days_available)}"),
        (text("passes", lang), n(s.passes)),
        (text("conferences", lang), n(s.conferences)),
        (text("people_reached", lang), n(s.expected_reach) + band(s.expected_reach_band)),
        (
            text("expected_enrolments", lang),
            n(s.expected_enrolments) + band(s.expected_enrolments_band),
        ),
        (text("travel_km", lang), n(s.travel_km)),
        (text("objective", lang), n(s.objective)),
        (text("upper_bound", lang), n(s.upper_bound)),
    ]
    if s.gap is not None:
        figures.append((text("gap", lang), format_percent(s.gap, lang)))
    figures.append((text("greedy_value", lang), n(s.greedy_value)))
    if s.unserved_communes is not None:
        parts = [f"{reason_label(reason, lang)}: {count}" for reason, count in s.unserved_by_reason]
        value = format_number(s.unserved_communes, lang)
        figures.append(
            (
                f"{text('unserved', lang)} ({text('communes', lang).lower()})",
                value + (f" ({'; '.join(parts)})" if parts else ""),
            )
        )

    provinces = []
    maps = []
    if there("maps/index.html"):
        maps.append(Link(text("national_map", lang), f"{files}maps/index.html"))
    for p in s.provinces:
        code = p.province_code
        page = f"maps/{province_file(code)}"
        href = f"{files}{page}" if there(page) else ""
        name = p.province_name
        if href:
            maps.append(Link(f"{text('province_map', lang)}: {name}", href))
        provinces.append(
            {
                "code": code,
                "name": name,
                "team_days": format_number(float(p.team_days), lang),
                "passes": format_number(float(p.passes), lang),
                "conferences": format_number(float(p.conferences), lang),
                "reach": format_number(p.expected_reach, lang),
                "enrolments": format_number(p.expected_enrolments, lang),
                "gap": format_percent(p.gap or 0.0, lang),
                "map": href,
            }
        )
    for page, key in (
        ("sheets/index.html", "route_sheets"),
        ("teams/index.html", "team_packs_page"),
    ):
        if there(page):
            maps.append(Link(text(key, lang), f"{files}{page}"))
    downloads = [
        Link(
            text(label, lang),
            f"{files}{file}" if folder else f"/runs/{job.id}/download/{kind}",
        )
        for kind, (file, label) in DOWNLOADS.items()
        if there(file)
    ]
    return ResultsView(
        figures=figures,
        provinces=provinces,
        history=[line.strip() for line in history_lines(summary, lang)],
        maps=maps,
        downloads=downloads,
        teams=[] if folder else workspace.team_packs(job.id),
    )


@dataclass(frozen=True)
class BatchPlan:
    """One scenario's plan of a finished batch."""

    id: str  # the scenario id (and the plan's folder inside the batch's)
    title: str
    results: ResultsView | None


def batch_view(workspace: Workspace, job: Job, lang: Lang) -> list[BatchPlan]:
    """Each scenario's results of a finished batch, from its folder inside the job's."""
    from planner.web.workspace import ID_PATTERN

    plans = []
    for entry in _figures(job.result).get("scenarios") or []:
        if not isinstance(entry, dict):
            continue
        folder = str(entry.get("folder", ""))
        if not ID_PATTERN.match(folder):
            continue
        plans.append(
            BatchPlan(
                id=folder,
                title=str(entry.get("title") or entry.get("name") or folder),
                results=results_view(workspace, job, lang, folder),
            )
        )
    return plans


# --- jobs of every kind -----------------------------------------------------------------------


def job_title(job: Job, lang: Lang) -> str:
    """What a job is called on the pages: its scenario's title; a comparison says what it
    compares."""
    return job.scenario_title or job.scenario_id


def job_outcome(job: Job, lang: Lang) -> str:
    """A finished job in words, for the lists: a plan's figures; a sweep's variants; a
    comparison's plans and its first marginal figure."""
    if job.kind in (RUN, REPLAN):
        return job_result(job.result, lang)
    r = _figures(job.result)
    if not r:
        return ""
    compare = r.get("compare") if isinstance(r.get("compare"), dict) else None
    parts = []
    if job.kind == BATCH:
        plans = [e for e in r.get("scenarios") or [] if isinstance(e, dict)]
        parts.append(text("outcome_batch", lang, n=len(plans)))
        for e in plans:
            value = e.get("expected_enrolments")
            if isinstance(value, int | float):
                parts.append(
                    f"{e.get('folder', '')}: {text('expected_enrolments', lang).lower()} "
                    f"{format_number(float(value), lang)}"
                )
    elif job.kind == SWEEP:
        from planner.web.variant import FIELDS, label_of

        points = r.get("points") or []
        fields = ", ".join(
            label_of(str(f), lang) if f in FIELDS else str(f) for f in r.get("fields") or []
        )
        parts.append(text("outcome_sweep", lang, n=len(points), field=fields))
    elif compare is not None:
        parts.append(text("outcome_compare", lang, n=len(compare.get("plans") or [])))
    for row in marginal_rows(compare, lang)[:1]:
        shown = [v for v in row["values"][1:] if v != "—"]
        if shown:
            parts.append(f"{row['label']}: {', '.join(shown)}")
    return "; ".join(parts)


def marginal_rows(compare: dict[str, Any] | None, lang: Lang) -> list[dict[str, Any]]:
    """The marginal figures of a comparison (`comparison_figures`), one row per resource:
    its words and a value per plan ('' for the baseline, '—' where the resource is the same)."""
    if not compare:
        return []
    rows = []
    for m in compare.get("marginals") or []:
        if not isinstance(m, dict):
            continue
        digits = int(m.get("digits") or 0)
        values = []
        for i, value in enumerate(m.get("values") or []):
            if i == 0:
                values.append("")
            elif isinstance(value, int | float):
                values.append(format_number(float(value), lang, digits))
            else:
                values.append("—")
        rows.append({"label": text(str(m.get("name")), lang), "values": values})
    return rows


def plan_rows(compare: dict[str, Any] | None, lang: Lang) -> list[dict[str, str]]:
    """Each compared plan's totals, formatted."""
    rows = []
    for p in (compare or {}).get("plans") or []:
        if not isinstance(p, dict):
            continue

        def n(key: str, digits: int = 0, p: dict[str, Any] = p) -> str:
            value = p.get(key)
            return (
                format_number(float(value), lang, digits) if isinstance(value, int | float) else "—"
            )

        rows.append(
            {
                "label": str(p.get("label", "")),
                "scenario": str(p.get("scenario", "")),
                "team_days": n("team_days"),
                "teams": n("teams"),
                "travel_km": n("travel_km"),
                "passes": n("passes"),
                "conferences": n("conferences"),
                "reach": n("expected_reach"),
                "enrolments": n("expected_enrolments", 1),
            }
        )
    return rows


@dataclass(frozen=True)
class CompareView:
    plans: list[dict[str, str]]
    marginals: list[dict[str, Any]]
    runs: list[Link]  # the compared jobs' pages
    page: str  # the comparison's own page, '' if it is not there
    downloads: list[Link]


def compare_view(workspace: Workspace, job: Job, lang: Lang) -> CompareView | None:
    r = _figures(job.result)
    compare = r.get("compare") if isinstance(r.get("compare"), dict) else None
    if compare is None:
        return None
    labels = [p["label"] for p in plan_rows(compare, lang)]
    runs = [
        Link(label, f"/runs/{run_id}")
        for label, run_id in zip(labels, r.get("runs") or [], strict=False)
        if isinstance(run_id, str)
    ]
    page = f"/runs/{job.id}/files/index.html" if workspace.run_file(job.id, "index.html") else ""
    downloads = [
        Link(text(key, lang), f"/runs/{job.id}/files/{name}")
        for name, key in (("compare.csv", "compare_csv"), ("team_changes.csv", "team_changes_csv"))
        if workspace.run_file(job.id, name)
    ]
    return CompareView(
        plans=plan_rows(compare, lang),
        marginals=marginal_rows(compare, lang),
        runs=runs,
        page=page,
        downloads=downloads,
    )


@dataclass(frozen=True)
class SweepView:
    fields: list[str]
    points: list[dict[str, str]]
    marginals: list[dict[str, Any]]
    chart: str  # the curve's picture, '' if it is not there
    page: str
    downloads: list[Link]


def sweep_view(workspace: Workspace, job: Job, lang: Lang) -> SweepView | None:
    r = _figures(job.result)
    if not r.get("points"):
        return None
    compare = r.get("compare") if isinstance(r.get("compare"), dict) else None

    def n(p: dict[str, Any], key: str, digits: int = 0) -> str:
        value = p.get(key)
        return format_number(float(value), lang, digits) if isinstance(value, int | float) else "—"

    points = []
    for p in r["points"]:
        if not isinstance(p, dict):
            continue
        folder = str(p.get("folder", ""))
        band = ""
        if isinstance(p.get("enrolments_p10"), int | float) and isinstance(
            p.get("enrolments_p90"), int | float
        ):
            band = f"{n(p, 'enrolments_p10')}–{n(p, 'enrolments_p90')}"
        has_map = bool(folder) and workspace.run_file(job.id, f"{folder}/maps/index.html")
        points.append(
            {
                "value": " / ".join(str(t) for t in p.get("texts") or []),
                "scenario": str(p.get("scenario", "")),
                "reach": n(p, "expected_reach"),
                "enrolments": n(p, "expected_enrolments", 1),
                "band": band,
                "conferences": n(p, "conferences"),
                "passes": n(p, "passes"),
                "team_days": n(p, "team_days"),
                "travel_km": n(p, "travel_km"),
                "map": f"/runs/{job.id}/files/{folder}/maps/index.html" if has_map else "",
            }
        )
    chart = "compare/sweep.png"
    page = "compare/index.html"
    downloads = [
        Link(text(key, lang), f"/runs/{job.id}/files/{name}")
        for name, key in (
            ("sweep.csv", "sweep_csv"),
            ("compare/compare.csv", "compare_csv"),
        )
        if workspace.run_file(job.id, name)
    ]
    from planner.web.variant import FIELDS, label_of

    return SweepView(
        fields=[label_of(f, lang) if f in FIELDS else str(f) for f in r.get("fields") or []],
        points=points,
        marginals=marginal_rows(compare, lang),
        chart=f"/runs/{job.id}/files/{chart}" if workspace.run_file(job.id, chart) else "",
        page=f"/runs/{job.id}/files/{page}" if workspace.run_file(job.id, page) else "",
        downloads=downloads,
    )

"""The plan as tables: summary.json, schedule.csv (one row per stop) and unserved.csv.

Numbers are rounded and rows sorted so the same plan always gives the same bytes.

Every CSV is written as UTF-8 with a byte order mark (`CSV_ENCODING`, "utf-8-sig"): Excel on
a Vietnamese Windows opens a CSV without one in the Windows-1258 code page and shows every
Vietnamese name garbled; with the mark it reads UTF-8. Every reader of these files in the
planner reads them with and without the mark ("utf-8-sig" decodes both).

The columns of each file and summary.json's writer (`write_summary`, the object as given)
belong to `planner.written_plan`, which also reads the folder back; they are imported here.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planner.plan import Plan, ProvincePlan, hhmm

# The files' columns and encoding, and summary.json's writer, are defined once with the
# reader of the written plan (planner/written_plan.py); named here too for the exporters.
from planner.written_plan import CSV_ENCODING as CSV_ENCODING
from planner.written_plan import FLAG_COLUMNS as FLAG_COLUMNS
from planner.written_plan import ROUTE_COLUMNS as ROUTE_COLUMNS
from planner.written_plan import ROUTE_REQUIRED_COLUMNS as ROUTE_REQUIRED_COLUMNS
from planner.written_plan import SCHEDULE_COLUMNS as SCHEDULE_COLUMNS
from planner.written_plan import SCHEDULE_REQUIRED_COLUMNS as SCHEDULE_REQUIRED_COLUMNS
from planner.written_plan import UNSERVED_COLUMNS as UNSERVED_COLUMNS
from planner.written_plan import write_summary as write_summary


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def flag(value: bool | None) -> str:
    """An estimate flag in a CSV: "1" an estimate, "0" not, "" where it does not apply."""
    return "" if value is None else ("1" if value else "0")


def schedule_rows(plan: Plan) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for province in plan.provinces:
        for route in sorted(province.routes, key=lambda r: (r.team_id, r.date)):
            for n, stop in enumerate(route.stops, start=1):
                rows.append(
                    {
                        "province_code": province.province_code,
                        "team_id": route.team_id,
                        "date": route.date.isoformat(),
                        "vehicle": route.vehicle,
                        "stop": n,
                        "kind": stop.kind,
                        "commune_code": stop.commune_code,
                        "commune_name": stop.commune_name,
                        "group_code": stop.group_code,
                        "group_name": stop.group_name,
                        "venue_id": stop.venue_id or "",
                        "venue_name": stop.venue_name or "",
                        "lat": f"{stop.lat:.6f}",
                        "lon": f"{stop.lon:.6f}",
                        "arrival": hhmm(stop.arrival_min),
                        "start": hhmm(stop.start_min),
                        "end": hhmm(stop.end_min),
                        "slot": stop.slot or "",
                        "pass_number": "" if stop.pass_number is None else stop.pass_number,
                        "people_reached": f"{stop.people_reached:.1f}",
                        "expected_enrolments": f"{stop.expected_enrolments:.2f}",
                        "invited": "" if stop.invited is None else stop.invited,
                        "expected_attendance": ""
                        if stop.expected_attendance is None
                        else f"{stop.expected_attendance:.1f}",
                        "gathering_cap": "" if stop.gathering_cap is None else stop.gathering_cap,
                        "seats_by_area": "" if stop.seats_by_area is None else stop.seats_by_area,
                        "rule_level": stop.rule_level,
                        "km_from_previous": f"{stop.km_from_previous:.2f}",
                        "minutes_from_previous": stop.minutes_from_previous,
                        "position_estimated": flag(stop.position_estimated),
                        "commune_position_estimated": flag(stop.commune_position_estimated),
                        "population_estimated": flag(stop.population_estimated),
                        "hall_estimated": flag(
                            stop.hall_estimated if stop.kind == "conference" else None
                        ),
                        "venue_address": stop.venue_address,
                        "contact_name": stop.contact_name,
                        "contact_phone": stop.contact_phone,
                        "opening_hours": stop.opening_hours,
                    }
                )
    return rows


def write_csv(path: Path, columns: tuple[str, ...], rows: Sequence[Mapping[str, Any]]) -> None:
    """`rows` under `columns`, as UTF-8 with a byte order mark (see the module docstring)."""
    with path.open("w", encoding=CSV_ENCODING, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_schedule_csv(plan: Plan, path: Path) -> None:
    write_csv(path, SCHEDULE_COLUMNS, schedule_rows(plan))


def write_routes_csv(plan: Plan, path: Path) -> None:
    """One row per team-day: when it leaves and returns, its lunch, its driving."""
    rows = [
        {
            "province_code": p.province_code,
            "team_id": r.team_id,
            "date": r.date.isoformat(),
            "vehicle": r.vehicle,
            "base_venue_id": r.base_venue_id,
            "base_name": r.base_name,
            "base_lat": f"{r.base_lat:.6f}",
            "base_lon": f"{r.base_lon:.6f}",
            "depart": hhmm(r.depart_min),
            "return": hhmm(r.return_min),
            "lunch_start": hhmm(r.lunch_start_min),
            "lunch_minutes": r.lunch_minutes,
            "stops": len(r.stops),
            "travel_km": f"{r.travel_km:.2f}",
            "travel_minutes": r.travel_minutes,
            "km_to_base": f"{r.km_to_base:.2f}",
            "minutes_to_base": r.minutes_to_base,
            "base_position_estimated": flag(r.base_position_estimated),
        }
        for p in plan.provinces
        for r in sorted(p.routes, key=lambda r: (r.team_id, r.date))
    ]
    write_csv(path, ROUTE_COLUMNS, rows)


def write_unserved_csv(plan: Plan, path: Path) -> None:
    rows = [
        {
            "province_code": p.province_code,
            "kind": u.kind,
            "code": u.code,
            "name": u.name,
            "group_code": u.group_code,
            "reason": u.reason,
            "detail": u.detail,
            "value_lost": f"{u.value_lost:.1f}",
            "insertion_minutes": "" if u.insertion_minutes is None else u.insertion_minutes,
        }
        for p in plan.provinces
        for u in p.unserved
    ]
    write_csv(path, UNSERVED_COLUMNS, rows)


def province_summary(p: ProvincePlan) -> dict[str, Any]:
    k = p.kpis
    reasons: dict[str, int] = {}
    for u in p.unserved:
        if u.kind == "commune":
            reasons[u.reason] = reasons.get(u.reason, 0) + 1
    return {
        "province_code": p.province_code,
        "province_name": p.province_name,
        "communes": p.n_communes,
        "target_people": p.target_people,
        "team_days": k.team_days_used,
        "team_days_available": k.team_days_available,
        "passes": k.passes,
        "conferences": k.conferences,
        "communes_served": p.n_communes - sum(reasons.values()),
        "expected_reach": _r(k.people_reached, 1),
        "expected_enrolments": _r(k.expected_enrolments, 1),
        "travel_km": _r(k.travel_km, 1),
        "objective": _r(k.objective, 1),
        "upper_bound": _r(k.upper_bound, 1),
        "gap": _r(k.gap, 4),
        "greedy_value": _r(k.greedy_value, 1),
        "solver_status": p.solver_status,
        "unserved_communes_by_reason": dict(sorted(reasons.items())),
        "unmet_minimums": [
            {"group_code": u.code, "name": u.name, "reason": u.reason, "detail": u.detail}
            for u in p.unserved
            if u.kind in ("group_minimum", "group")
        ],
        "notes": list(p.notes),
    }


def summary(plan: Plan, *, provenance: Mapping[str, Any], solve_seconds: float) -> dict[str, Any]:
    """The plan's figures: totals, one entry per province, and where it came from."""
    objective = plan.total("objective")
    bound = plan.total("upper_bound")
    unserved_total: dict[str, int] = {}
    for p in plan.provinces:
        for u in p.unserved:
            if u.kind == "commune":
                unserved_total[u.reason] = unserved_total.get(u.reason, 0) + 1
    return {
        "scenario": plan.scenario,
        "structure": plan.structure,
        "provinces": [province_summary(p) for p in plan.provinces],
        "team_days": int(plan.total("team_days_used")),
        "team_days_available": int(plan.total("team_days_available")),
        "passes": int(plan.total("passes")),
        "conferences": int(plan.total("conferences")),
        "expected_reach": _r(plan.total("people_reached"), 1),
        "expected_enrolments": _r(plan.total("expected_enrolments"), 1),
        "travel_km": _r(plan.total("travel_km"), 1),
        "objective": _r(objective, 1),
        "upper_bound": _r(bound, 1),
        "gap": _r((bound - objective) / bound if bound > 0 else 0.0, 4),
        "greedy_value": _r(plan.total("greedy_value"), 1),
        "unserved": {
            "communes": sum(unserved_total.values()),
            "by_reason": dict(sorted(unserved_total.items())),
            "file": "unserved.csv",
        },
        "seed": plan.seed,
        "time_limit_seconds": plan.time_limit_seconds,
        "solve_seconds": _r(solve_seconds, 2),
        **dict(provenance),
    }

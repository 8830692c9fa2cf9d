"""A variant of a scenario through a form generated from the scenario's JSON Schema.

`variant_form(base, lang)` lists the main fields a planner changes (campaign dates, teams,
conferences, propaganda, launch, safety limits, the COVID-19 default level, the solver's time
limit) with what `planner.scenario.scenario_json_schema()` says of each: its type, bounds,
choices and description, and the base scenario's current value (defaults filled in).

`variant_toml(...)` turns a submitted form into the text of `scenarios/<name>.toml`:
``extends = "<base file>"`` and only the fields whose value differs from the base's. A value
that does not read as its type (letters in a number, a date that is no date) is written as
text, so that the loader says what is wrong in its own words: every check is the loader's
(`planner.scenario.load_scenario`), the same as `planner validate` and the upload.

`save_variant(...)` checks the text with that loader under a hidden temporary name in
scenarios/ (so `extends` finds the base) and keeps it under its name only when it loads;
otherwise it raises `VariantError` naming the form field the loader's message is about.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import secrets
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import ScenarioError, VariantError
from planner.export.i18n import Lang
from planner.scenario import Scenario, load_scenario, scenario_json_schema
from planner.web.i18n import error_text, field_help
from planner.web.workspace import SCENARIOS, Workspace, slug

#: A scenario's name, as the schema's `name` pattern says (also its file name and id).
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: Longest title or description kept from the form.
MAX_TEXT = 300

#: The form's sections, in order: (key, fields as dotted paths).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("campaign", ("campaign.start", "campaign.end")),
    (
        "teams",
        (
            "teams.rule.teams_per_group",
            "teams.rule.vehicle",
            "teams.rule.crew",
            "teams.weekdays",
            "teams.territory",
            "teams.working_hours.start",
            "teams.working_hours.end",
        ),
    ),
    (
        "conferences",
        (
            "conferences.max_per_team_week",
            "conferences.lead_days",
            "conferences.show_up",
            "conferences.conversion",
        ),
    ),
    ("propaganda", ("propaganda.reach_share", "propaganda.conversion")),
    ("launch", ("launch.date", "launch.start")),
    (
        "safety",
        (
            "safety.max_driving_minutes",
            "safety.max_continuous_driving_minutes",
            "safety.break_minutes",
            "safety.daylight_only",
        ),
    ),
    ("covid", ("covid.default_level",)),
    ("solver", ("solver.time_limit_seconds",)),
)

FIELDS: tuple[str, ...] = tuple(f for _, fields in SECTIONS for f in fields)

#: Words for the fields and sections: the schema's titles are English field names
#: ("Show Up"); these say what they are. A field not here is labelled by its description.
LABELS: dict[str, dict[Lang, str]] = {
    "section.campaign": {"vi": "Thời gian chiến dịch", "en": "Campaign dates"},
    "section.teams": {"vi": "Đội tuyên truyền lưu động", "en": "Mobile propaganda teams"},
    "section.conferences": {"vi": "Hội nghị", "en": "Conferences"},
    "section.propaganda": {"vi": "Tuyên truyền lưu động", "en": "Propaganda passes"},
    "section.launch": {"vi": "Lễ ra quân", "en": "Launch day"},
    "section.safety": {"vi": "Giới hạn an toàn giao thông", "en": "Traffic safety limits"},
    "section.covid": {"vi": "Quy định phòng chống COVID-19", "en": "COVID-19 rules"},
    "section.solver": {"vi": "Bộ giải", "en": "Solver"},
    "campaign.start": {"vi": "Ngày bắt đầu", "en": "First day"},
    "campaign.end": {"vi": "Ngày kết thúc", "en": "Last day"},
    "teams.rule.teams_per_group": {
        "vi": "Số đội mỗi huyện/cụm",
        "en": "Teams per district/cluster",
    },
    "teams.rule.vehicle": {"vi": "Phương tiện của đội", "en": "Team vehicle"},
    "teams.rule.crew": {"vi": "Số người mỗi đội", "en": "Crew per team"},
    "teams.weekdays": {"vi": "Các ngày làm việc trong tuần", "en": "Working weekdays"},
    "teams.territory": {"vi": "Địa bàn của đội", "en": "Team territory"},
    "teams.working_hours.start": {"vi": "Giờ xuất phát", "en": "Leaves its base at"},
    "teams.working_hours.end": {"vi": "Giờ về đến trụ sở", "en": "Back at its base by"},
    "conferences.max_per_team_week": {
        "vi": "Số hội nghị tối đa mỗi đội mỗi tuần",
        "en": "Most conferences per team and week",
    },
    "conferences.lead_days": {
        "vi": "Số ngày báo trước hội nghị",
        "en": "Days of notice before a conference",
    },
    "conferences.show_up": {"vi": "Tỷ lệ người được mời đến dự", "en": "Show-up rate"},
    "conferences.conversion": {
        "vi": "Tỷ lệ người dự tham gia BHXH",
        "en": "Share of attendees who enrol",
    },
    "propaganda.reach_share": {
        "vi": "Tỷ lệ tiếp cận của lượt đầu",
        "en": "Share reached by a first pass",
    },
    "propaganda.conversion": {
        "vi": "Tỷ lệ người được tiếp cận tham gia BHXH",
        "en": "Share of people reached who enrol",
    },
    "launch.date": {"vi": "Ngày ra quân", "en": "Launch day"},
    "launch.start": {"vi": "Giờ bắt đầu diễu hành", "en": "Parade start"},
    "safety.max_driving_minutes": {
        "vi": "Số phút lái xe tối đa mỗi ngày",
        "en": "Most minutes of driving a day",
    },
    "safety.max_continuous_driving_minutes": {
        "vi": "Số phút lái xe liên tục tối đa",
        "en": "Most minutes of driving without a break",
    },
    "safety.break_minutes": {"vi": "Số phút nghỉ tối thiểu", "en": "Shortest break (minutes)"},
    "safety.daylight_only": {"vi": "Chỉ đi lại ban ngày", "en": "Drive in daylight only"},
    "covid.default_level": {"vi": "Mức quy định chung", "en": "Default rule level"},
    "solver.time_limit_seconds": {
        "vi": "Thời gian tìm kiếm mỗi tỉnh (giây)",
        "en": "Search time per province (seconds)",
    },
}

#: Words for the choices of a select.
CHOICES: dict[str, dict[Lang, str]] = {
    "mon": {"vi": "Thứ Hai", "en": "Monday"},
    "tue": {"vi": "Thứ Ba", "en": "Tuesday"},
    "wed": {"vi": "Thứ Tư", "en": "Wednesday"},
    "thu": {"vi": "Thứ Năm", "en": "Thursday"},
    "fri": {"vi": "Thứ Sáu", "en": "Friday"},
    "sat": {"vi": "Thứ Bảy", "en": "Saturday"},
    "sun": {"vi": "Chủ Nhật", "en": "Sunday"},
    "own": {"vi": "chỉ địa bàn của đội", "en": "its own area only"},
    "neighbours": {"vi": "địa bàn của đội và giáp ranh", "en": "its own and neighbouring areas"},
    "province": {"vi": "cả tỉnh", "en": "the whole province"},
    "car": {"vi": "ô tô", "en": "car"},
    "motorbike": {"vi": "xe máy", "en": "motorbike"},
    "true": {"vi": "Có", "en": "Yes"},
    "false": {"vi": "Không", "en": "No"},
}


@dataclass(frozen=True)
class FieldSpec:
    """What the JSON Schema says of one field."""

    path: str
    kind: str  # integer | number | date | time | text | choice | choices | boolean
    description: str
    title: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    choices: tuple[str, ...] = ()


@dataclass
class FormField:
    """One field of the form as the template lays it out."""

    spec: FieldSpec
    name: str  # the form field's name (the dotted path)
    label: str
    help: str  # what the field is: planner.web.i18n.FIELD_HELP_VI, or the schema's
    value: str  # what the input shows
    current: str  # the base's value, in words
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, words, chosen
    error: str = ""

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass
class VariantForm:
    base_id: str
    base_file: str
    base_title: str
    name: str
    title: str
    description: str
    sections: list[tuple[str, str, list[FormField]]]  # key, words, fields
    errors: dict[str, str] = field(default_factory=dict)  # name/title/"" -> message

    def with_errors(self) -> list[FormField]:
        """The fields with an error, in the form's order (the page links them at its top)."""
        return [f for _, _, fields in self.sections for f in fields if f.error]

    def field(self, path: str) -> FormField | None:
        for _, _, fields in self.sections:
            for f in fields:
                if f.name == path:
                    return f
        return None


# --- the schema --------------------------------------------------------------------------


_SCHEMA: dict[str, Any] | None = None
_SCHEMA_LOCK = threading.Lock()


def schema() -> dict[str, Any]:
    global _SCHEMA
    with _SCHEMA_LOCK:
        if _SCHEMA is None:
            _SCHEMA = scenario_json_schema()
        return _SCHEMA


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """A schema node with its `$ref` followed and a nullable `anyOf` unwrapped; and whether
    null is allowed."""
    nullable = False
    current = dict(node)
    for _ in range(8):
        if "$ref" in current:
            name = str(current.pop("$ref")).rsplit("/", 1)[-1]
            current = {**root["$defs"][name], **current}
            continue
        branches = current.get("anyOf")
        if isinstance(branches, list):
            kept = [b for b in branches if b.get("type") != "null"]
            nullable = nullable or len(kept) < len(branches)
            if len(kept) == 1:
                rest = {k: v for k, v in current.items() if k != "anyOf"}
                current = {**kept[0], **rest}
                continue
        break
    return current, nullable


def _is_clock(pattern: str) -> bool:
    """Whether a schema pattern is a clock time 'HH:MM'."""
    if not pattern:
        return False
    try:
        rule = re.compile(pattern)
    except re.error:
        return False
    return all(rule.search(t) for t in ("07:30", "23:59")) and not rule.search("0730")


def field_spec(path: str) -> FieldSpec:
    """What the schema says of the field at the dotted `path` (a KeyError if it has none)."""
    root = schema()
    node: dict[str, Any] = dict(root)
    nullable = False
    for part in path.split("."):
        node, _ = _resolve(node, root)
        node, nullable = _resolve(node["properties"][part], root)
    kind = {"integer": "integer", "number": "number", "boolean": "boolean"}.get(
        str(node.get("type")), "text"
    )
    choices: tuple[str, ...] = ()
    if "enum" in node:
        kind, choices = "choice", tuple(str(v) for v in node["enum"])
    elif node.get("type") == "array" and "enum" in (node.get("items") or {}):
        kind, choices = "choices", tuple(str(v) for v in node["items"]["enum"])
    elif node.get("format") == "date":
        kind = "date"
    elif _is_clock(str(node.get("pattern", ""))):
        kind = "time"
    elif kind == "boolean":
        choices = ("true", "false")

    def number(key: str) -> float | None:
        value = node.get(key)
        return float(value) if isinstance(value, int | float) else None

    return FieldSpec(
        path=path,
        kind=kind,
        description=str(node.get("description", "")),
        title=str(node.get("title", path.rsplit(".", 1)[-1])),
        nullable=nullable,
        minimum=number("minimum"),
        maximum=number("maximum"),
        exclusive_minimum=number("exclusiveMinimum"),
        exclusive_maximum=number("exclusiveMaximum"),
        choices=choices,
    )


# --- values ------------------------------------------------------------------------------


def current_values(scenario: Scenario) -> dict[str, Any]:
    """Each form field's value in the (resolved) base scenario, as JSON values; a field
    under a table the base does not have (no [launch], no [teams.rule]) is None."""
    data = scenario.model_dump(mode="json")
    values: dict[str, Any] = {}
    for path in FIELDS:
        node: Any = data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        values[path] = node
    return values


def shown(value: Any) -> str:
    """A value as an input shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _words(spec: FieldSpec, value: Any, lang: Lang) -> str:
    """The base's value in words, as the form says it beside the field."""
    if value is None:
        return "—"
    if spec.kind == "choices" and isinstance(value, list):
        return ", ".join(CHOICES.get(str(v), {}).get(lang, str(v)) for v in value)
    if spec.kind in ("choice", "boolean"):
        key = shown(value)
        return CHOICES.get(key, {}).get(lang, key)
    return shown(value)


def label_of(path: str, lang: Lang) -> str:
    entry = LABELS.get(path)
    if entry is not None:
        return entry[lang]
    spec = field_spec(path)
    return spec.description.split(".")[0] or spec.title


def variant_form(
    base_id: str,
    base_file: str,
    base: Scenario,
    lang: Lang,
    submitted: Mapping[str, Any] | None = None,
) -> VariantForm:
    """The form for a variant of `base`; with `submitted` (the form sent back: field ->
    text, or a list for a multiple choice), the inputs show what was sent."""
    values = current_values(base)
    levels = list(base.covid.levels)
    sections = []
    for key, paths in SECTIONS:
        fields = []
        for path in paths:
            if path.startswith("teams.rule.") and base.teams.rule is None:
                continue  # teams listed one by one: no rule to change
            spec = field_spec(path)
            if path == "covid.default_level":
                spec = FieldSpec(**{**spec.__dict__, "kind": "choice", "choices": tuple(levels)})
            current = values[path]
            sent = None if submitted is None else submitted.get(path)
            f = FormField(
                spec=spec,
                name=path,
                label=label_of(path, lang),
                help=field_help(path, lang, spec.description),
                value=shown(current) if sent is None else _sent_text(sent),
                current=_words(spec, current, lang),
            )
            if spec.kind == "choices":
                chosen = (
                    {str(v) for v in current or []}
                    if sent is None
                    else {str(v) for v in (sent if isinstance(sent, list) else [sent])}
                )
                f.options = [
                    (c, CHOICES.get(c, {}).get(lang, c), c in chosen) for c in spec.choices
                ]
            elif spec.kind in ("choice", "boolean"):
                f.options = [
                    (c, CHOICES.get(c, {}).get(lang, c), c == f.value) for c in spec.choices
                ]
            fields.append(f)
        if fields:
            sections.append((key, LABELS[f"section.{key}"][lang], fields))
    sent_text = submitted or {}
    return VariantForm(
        base_id=base_id,
        base_file=base_file,
        base_title=base.title or base.name,
        name=str(sent_text.get("name", "") or ""),
        title=str(sent_text.get("title", "") or ""),
        description=str(sent_text.get("description", "") or ""),
        sections=sections,
    )


def _sent_text(sent: Any) -> str:
    if isinstance(sent, list):
        return ",".join(str(s) for s in sent)
    return str(sent)


def parse_value(spec: FieldSpec, sent: Any) -> Any:
    """The submitted text as the value to write: a number, a date, a boolean, a list of
    choices, or (when it does not read as its type) the text itself, for the loader to
    refuse in its words. None for an empty input (the base's value is kept)."""
    if spec.kind == "choices":
        chosen = sent if isinstance(sent, list) else [sent]
        kept = [str(c) for c in chosen if str(c)]
        known = [c for c in spec.choices if c in kept]  # in the schema's order
        unknown = [c for c in kept if c not in spec.choices]
        return known + unknown
    text = str(sent if not isinstance(sent, list) else (sent[-1] if sent else "")).strip()
    if not text:
        return None
    if spec.kind == "integer":
        with contextlib.suppress(ValueError):
            return int(text)
        with contextlib.suppress(ValueError):
            number = float(text.replace(",", "."))
            if number.is_integer() and math.isfinite(number):
                return int(number)
        return text
    if spec.kind == "number":
        with contextlib.suppress(ValueError):
            number = float(text.replace(",", "."))
            if math.isfinite(number):
                return number
        return text
    if spec.kind == "date":
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text)
        return text
    if spec.kind == "boolean":
        if text in ("true", "false"):
            return text == "true"
        return text
    return text


def _same(spec: FieldSpec, new: Any, current: Any) -> bool:
    if isinstance(new, dt.date):
        return new.isoformat() == current
    if spec.kind == "choices" and isinstance(current, list):
        return list(new) == [c for c in spec.choices if c in current] and set(new) == set(current)
    if isinstance(new, bool) or isinstance(current, bool):
        return new is current
    if isinstance(new, int | float) and isinstance(current, int | float):
        return float(new) == float(current)
    return bool(new == current)


def changes(base: Scenario, submitted: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose submitted value differs from the base's: dotted path -> value."""
    values = current_values(base)
    changed: dict[str, Any] = {}
    for path in FIELDS:
        if path not in submitted:
            continue
        if path.startswith("teams.rule.") and base.teams.rule is None:
            continue
        spec = field_spec(path)
        new = parse_value(spec, submitted[path])
        if new is None or _same(spec, new, values[path]):
            continue
        changed[path] = new
    return changed


# --- the TOML file -----------------------------------------------------------------------


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        text = repr(value)
        return text if any(c in text for c in ".en") else f"{text}.0"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string(str(value))


def variant_toml(
    *,
    name: str,
    title: str,
    description: str,
    base_file: str,
    base_title: str,
    changed: Mapping[str, Any],
    lang: Lang,
) -> str:
    """The text of the variant's file: its name, title, `extends` and the changed fields,
    each table once, in the form's order."""
    made = dt.date.today().isoformat()
    lines = [
        "#:schema ./scenario.schema.json",
        (
            f"# Biến thể của {base_file}, tạo bằng planner serve ngày {made}: "
            "chỉ ghi các trường khác với kịch bản gốc."
            if lang == "vi"
            else f"# A variant of {base_file}, made with planner serve on {made}: "
            "only the fields that differ from it."
        ),
        "",
        f"name = {toml_string(name)}",
        f"title = {toml_string(title or f'{base_title} ({name})')}",
    ]
    if description:
        lines.append(f"description = {toml_string(description)}")
    lines.append(f"extends = {toml_string(base_file)}")
    tables: dict[str, list[str]] = {}
    for path, value in changed.items():
        table, _, key = path.rpartition(".")
        tables.setdefault(table, []).append(f"{key} = {toml_value(value)}")
    for table, rows in tables.items():
        lines += ["", f"[{table}]", *rows]
    text = "\n".join(lines) + "\n"
    check = tomllib.loads(text)  # what is written reads back as meant
    assert check["name"] == name and check["extends"] == base_file
    return text


# --- saving --------------------------------------------------------------------------------

_SAVE_LOCK = threading.Lock()


def check_name(workspace: Workspace, name: str, lang: Lang) -> str:
    """The variant's name, or a VariantError beside the name field."""
    from planner.web.i18n import text

    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise VariantError(text("variant_bad_name", lang), "name")
    if slug(name) in workspace.scenario_files() or (workspace.scenarios / f"{name}.toml").exists():
        raise VariantError(text("variant_name_taken", lang, name=f"{name}.toml"), "name")
    return name


def save_variant(
    workspace: Workspace, name: str, content: str, changed: Mapping[str, Any], lang: Lang
) -> Path:
    """Keep `content` as scenarios/<name>.toml if it loads; nothing is written otherwise.

    The loader's message, with the file called by its name, is raised as a `VariantError`
    about the form field it names (or the form as a whole)."""
    workspace.ensure()
    target = workspace.scenarios / f"{name}.toml"
    tmp = workspace.scenarios / f".variant-{secrets.token_hex(6)}.toml"
    try:
        with open(tmp, "x", encoding="utf-8") as file:
            file.write(content)
        try:
            load_scenario(tmp)
        except ScenarioError as exc:
            message = workspace.short(error_text(exc, lang)).replace(
                f"{SCENARIOS}{os.sep}{tmp.name}", f"{SCENARIOS}/{name}.toml"
            )
            raise VariantError(message, form_field_of(exc.field, changed)) from None
        with _SAVE_LOCK:
            check_name(workspace, name, lang)
            os.link(tmp, target)  # fails if the name was taken meanwhile
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


def form_field_of(error_field: str | None, changed: Mapping[str, Any]) -> str:
    """The form field a loader's message is about: the field itself or the one it is in
    (teams.weekdays.0 -> teams.weekdays); for a table (campaign), the first field of it that
    was changed; '' when none of the form's fields is concerned."""
    if not error_field:
        return ""
    if error_field in ("name", "title", "description"):
        return error_field
    for path in FIELDS:
        if error_field == path or error_field.startswith(path + "."):
            return path
    inside = [p for p in FIELDS if p.startswith(error_field + ".")]
    for path in inside:
        if path in changed:
            return path
    return inside[0] if inside else ""

"""Read a scenario file: TOML, `extends`, validation, and one-line error messages.

`load_scenario(path)` reads the file with `tomllib`, resolves `extends` (the parent's tables
merged key by key, the child winning, lists replaced whole; cycles reported), validates the
result against `Scenario`, and turns the first problem into a `ScenarioError` whose message
is one line naming the file, the field (dotted, with list indices) and what was expected.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic
from pydantic import ValidationError

from planner.errors import ScenarioError
from planner.scenario.schema import PATTERN_MEANINGS, UNION_TAGS, FieldProblem, Scenario

__all__ = ["load_scenario", "resolve_scenario_table", "scenario_hash", "scenario_json_schema"]

Key = tuple[str | int, ...]

_TOML_POSITION = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_MAX_SHOWN = 60


# --- public API --------------------------------------------------------------------------


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read, resolve (`extends`) and validate the scenario file at `path`.

    `overrides` maps dotted field paths ("teams.rule.teams_per_group") to values set on top
    of the file, as `planner sweep --vary` does; a value that does not fit is reported
    against that field, saying it came from --vary.
    Raises `ScenarioError` with a one-line message naming the file and the field.
    """
    path = Path(path)
    table, sources = _resolve(path, ())
    _relative_paths(table, path)
    for dotted, value in (overrides or {}).items():
        key = _set_dotted(table, dotted, value, path)
        sources[key] = Path(f"{path} (--vary {dotted})")
    try:
        return Scenario.model_validate(table)
    except ValidationError as error:
        raise _scenario_error(error, path, sources) from None


def _set_dotted(table: dict[str, Any], dotted: str, value: Any, path: Path) -> Key:
    """Set `value` at the dotted field path in `table`; list items by index ("teams.list.0.crew")."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    if not dotted or any(part == "" for part in parts):
        raise ScenarioError(path, "is not a dotted field path like teams.rule.crew", field=dotted)
    node: Any = table
    for depth, part in enumerate(parts[:-1]):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                where = ".".join(str(p) for p in parts[: depth + 1])
                raise ScenarioError(path, f"no list item {where} to change", field=dotted)
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise ScenarioError(path, "goes inside a value that is not a table", field=dotted)
            node = node.setdefault(part, {})
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise ScenarioError(path, f"no list item {last} to change", field=dotted)
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ScenarioError(path, "goes inside a value that is not a table", field=dotted)
    return tuple(parts)


def resolve_scenario_table(path: str | Path) -> dict[str, Any]:
    """The scenario file's table after `extends` is resolved, before validation."""
    table, _ = _resolve(Path(path), ())
    _relative_paths(table, Path(path))
    return table


def scenario_hash(scenario: str | Path | Scenario) -> str:
    """SHA-256 (hex) of the resolved scenario, as canonical JSON.

    The scenario is hashed after `extends` and after defaults are filled in, so two files
    that say the same thing in different words (a default written out, a value moved into a
    parent) hash the same. The `extends` field itself is left out.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    content = scenario.model_dump(mode="json", exclude={"extends"})
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a (complete) scenario file, for editors and other tools."""
    schema = Scenario.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


# --- reading and `extends` ---------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML table in `path`; any reading problem becomes a `ScenarioError`."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, "file not found") from None
    except IsADirectoryError:
        raise ScenarioError(path, "is a directory, not a scenario file") from None
    except UnicodeDecodeError as error:
        raise ScenarioError(
            path, f"not UTF-8 text (byte {error.start}): save the file as UTF-8"
        ) from None
    except OSError as error:
        raise ScenarioError(path, f"cannot be read: {error.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.match(message)
        if match is None:
            raise ScenarioError(path, f"malformed TOML: {message}") from None
        what = match["what"][:1].lower() + match["what"][1:]
        raise ScenarioError(
            path, f"malformed TOML at line {match['line']}, column {match['col']}: {what}"
        ) from None


def _resolve(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], dict[Key, Path]]:
    """The table of `path` with its parents merged in, and which file set each value.

    `chain` is the files already being resolved (the children of `path`), to catch cycles.
    """
    if path.resolve() in {child.resolve() for child in chain}:
        loop = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(chain[-1], f"extends cycle: {loop}", field="extends")
    table = _read_toml(path)
    _anchor_paths(table, path)
    sources = {key: path for key in _leaf_keys(table)}
    parent_ref = table.get("extends")
    if parent_ref is None:
        return table, sources
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise ScenarioError(
            path,
            f"must be the path of another scenario file, in quotes, got {_show(parent_ref)}",
            field="extends",
        )
    parent_path = Path(os.path.normpath(path.parent / parent_ref))
    if not parent_path.is_file():
        raise ScenarioError(
            path, f"names a file that does not exist: {parent_path}", field="extends"
        )
    if "name" not in table:
        raise ScenarioError(
            path,
            "is required in a scenario that extends another, so that their outputs do not "
            "mix: give this variant its own name",
            field="name",
        )
    parent, parent_sources = _resolve(parent_path, (*chain, path))
    merged = _deep_merge(parent, table)
    kept = {
        key: source
        for key, source in parent_sources.items()
        if not any(key[: len(own)] == own for own in sources)
    }
    return merged, {**kept, **sources}


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`base` updated by `override`: tables merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _leaf_keys(table: dict[str, Any], prefix: Key = ()) -> list[Key]:
    """Key paths of the values in `table` that are not tables (lists count as values)."""
    keys: list[Key] = []
    for key, value in table.items():
        if isinstance(value, dict) and value:
            keys.extend(_leaf_keys(value, (*prefix, key)))
        else:
            keys.append((*prefix, key))
    return keys


PATH_FIELDS = (("data", "communes"), ("data", "post_offices"))


def _anchor_paths(table: dict[str, Any], path: Path) -> None:
    """Make file paths in the scenario absolute, so that they survive being inherited.

    The loaded scenario gives them back relative to the directory of the file loaded.
    """
    for section, key in PATH_FIELDS:
        part = table.get(section)
        if isinstance(part, dict) and isinstance(part.get(key), str):
            value = part[key]
            if value and not os.path.isabs(value):
                part[key] = os.path.abspath(path.parent / value)


def _relative_paths(table: dict[str, Any], path: Path) -> None:
    """Undo `_anchor_paths`, relative to the directory of `path`, the file loaded."""
    for section, key in PATH_FIELDS:
        part = table.get(section)
        if isinstance(part, dict) and isinstance(part.get(key), str):
            value = part[key]
            if value and os.path.isabs(value):
                part[key] = os.path.relpath(value, os.path.abspath(path.parent))


# --- turning a ValidationError into one line ---------------------------------------------


def _scenario_error(error: ValidationError, path: Path, sources: dict[Key, Path]) -> ScenarioError:
    """One `ScenarioError` for the first problem of `error` (and how many more there are)."""
    problems = error.errors(include_url=False)
    first = problems[0]
    loc, problem = _describe(first)
    file = _source_of(loc, sources, path)
    if file != path and "(--vary " not in str(file):
        problem += f" (loaded through extends from {path})"
    if len(problems) > 1:
        more = len(problems) - 1
        problem += f" (and {more} more problem{'s' if more > 1 else ''})"
    return ScenarioError(file, problem, field=_dotted(loc) or None)


def _source_of(loc: Key, sources: dict[Key, Path], default: Path) -> Path:
    """The file that set the value at `loc` (or the loaded file, when none did)."""
    for length in range(len(loc), 0, -1):
        if loc[:length] in sources:
            return sources[loc[:length]]
    return default


def _describe(problem: Any) -> tuple[Key, str]:
    """The field path and the words for one pydantic error."""
    loc: Key = tuple(part for part in problem["loc"] if part not in UNION_TAGS)
    kind: str = problem["type"]
    ctx: dict[str, Any] = problem.get("ctx") or {}
    value = problem.get("input")
    got = f", got {_show(value)}"
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, FieldProblem):
            loc = (*loc, *cause.field)
            parent = _dotted(loc[: len(loc) - len(cause.field)])
            return loc, cause.message.replace("{at}.", f"{parent}." if parent else "")
        return loc, str(cause) if cause is not None else problem["msg"]
    if kind == "missing":
        expected = _expected_type(loc)
        if isinstance(expected, type) and issubclass(expected, pydantic.BaseModel):
            return loc, f"the table [{_dotted(loc)}] is required but missing"
        return loc, "is required but missing"
    if kind == "extra_forbidden":
        return loc, _unknown_field(loc)
    if loc and loc[-1] == "[key]":
        words = _words(kind, ctx, problem["msg"])
        return loc[:-1], f"the name {_show(value)} is not allowed: it {words}"
    return loc, _words(kind, ctx, problem["msg"]) + got


def _words(kind: str, ctx: dict[str, Any], message: str) -> str:
    """What was expected, for one pydantic error type."""
    fixed = {
        "int_type": "must be a whole number",
        "float_type": "must be a number",
        "finite_number": "must be a finite number (not nan or inf)",
        "bool_type": "must be true or false (unquoted)",
        "string_type": "must be text in quotes",
        "date_type": "must be a date like 2020-05-23 (unquoted in TOML)",
        "list_type": "must be a list like [...]",
        "dict_type": "must be a table",
        "model_type": "must be a table",
        "model_attributes_type": "must be a table",
    }
    if kind in fixed:
        return fixed[kind]
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        return f"must be {PATTERN_MEANINGS.get(pattern, 'match ' + pattern)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    bounds = {
        "greater_than": ("gt", "must be greater than"),
        "greater_than_equal": ("ge", "must be at least"),
        "less_than": ("lt", "must be less than"),
        "less_than_equal": ("le", "must be at most"),
    }
    if kind in bounds:
        key, words = bounds[kind]
        return f"{words} {_show(ctx.get(key))}"
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"must have at least {minimum} items"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "string_too_short":
        return "must not be empty"
    return message[:1].lower() + message[1:]


def _unknown_field(loc: Key) -> str:
    """Words for an unknown field: close valid names, or all of them when few."""
    model = _expected_type(loc[:-1])
    name = str(loc[-1])
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return "unknown field"
    valid = list(model.model_fields)
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.6)
    words = "unknown field"
    if close:
        words += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return words + f" (valid fields: {', '.join(valid)})"


def _expected_type(loc: Key) -> Any:
    """The type expected at `loc` in a scenario (a model class, or another type), or None."""
    current: Any = Scenario
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin is list and isinstance(part, int):
            current = args[0]
        elif origin is dict and args:
            current = args[1]
        else:
            return None
    return _unwrap(current)


def _unwrap(annotation: Any) -> Any:
    """`annotation` without Annotated and None options; a union of one list gives the list."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            containers = [a for a in options if typing.get_origin(_strip(a)) in (list, dict)]
            models = [
                a for a in options if isinstance(a, type) and issubclass(a, pydantic.BaseModel)
            ]
            pick = models or containers or options
            if len(pick) == 1 or pick is models:
                annotation = pick[0]
                continue
        return annotation


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _dotted(loc: Key) -> str:
    """`loc` as written in the file: covid.timeline[2].start, dwell_minutes["Thị trấn"]."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[\w]+", part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def _show(value: Any) -> str:
    """A value as the user wrote it (TOML-like), shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, list):
        return "a list" if value else "an empty list"
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."

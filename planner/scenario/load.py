"""Read a scenario file: TOML, `extends`, validation, and one-line error messages.

`load_scenario(path)` reads the file with `tomllib`, resolves `extends` (the parent's tables
merged key by key, the child winning, lists replaced whole; cycles reported), validates the
result against `Scenario`, and turns the first problem into a `ScenarioError` whose message
is one line naming the file, the field (dotted, with list indices) and what was expected.

Whatever a user can write gives a `ScenarioError`, never another exception: a file larger
than `MAX_FILE_BYTES` (a pipe or a device is read no further), a chain of more than
`MAX_EXTENDS_DEPTH` files extending each other, tables and arrays nested more than
`MAX_NESTING` deep (which would exhaust Python's recursion in tomllib, here or in pydantic),
a number too long for Python to read, an `extends` path that cannot name a file.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import stat
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import pydantic
from pydantic import ValidationError

from planner.errors import ScenarioError
from planner.messages import msg
from planner.scenario.schema import PATTERN_MEANINGS, UNION_TAGS, FieldProblem, Scenario

__all__ = ["load_scenario", "resolve_scenario_table", "scenario_hash", "scenario_json_schema"]

Key = tuple[str | int, ...]

_TOML_POSITION = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_MAX_SHOWN = 60

#: Most files in one chain of `extends` (the file loaded, its parent, its parent's ...).
MAX_EXTENDS_DEPTH: Final = 32
#: Deepest nesting of tables and arrays (a scenario needs 4: teams.list[0].working_hours.start).
MAX_NESTING: Final = 32
#: Largest scenario file read: the shipped ones are a few kB.
MAX_FILE_BYTES: Final = 10_000_000
#: Python reads integers of at most this many digits (sys.get_int_max_str_digits()).
_MAX_DIGITS: Final = 4300


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
    if overrides:
        _check_nesting(table, path)
    try:
        return Scenario.model_validate(table)
    except ValidationError as error:
        raise _scenario_error(error, path, sources) from None
    except RecursionError:  # kept out by _check_nesting; a last guard
        raise ScenarioError(path, "tables or arrays nested too deeply to validate") from None


def _set_dotted(table: dict[str, Any], dotted: str, value: Any, path: Path) -> Key:
    """Set `value` at the dotted field path in `table`; list items by index ("teams.list.0.crew")."""
    parts: list[str | int] = [_index_or_key(p) for p in dotted.split(".")]
    if not dotted or any(part == "" for part in parts):
        raise ScenarioError(path, "is not a dotted field path like teams.rule.crew", field=dotted)
    node: Any = table
    for depth, part in enumerate(parts[:-1]):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                where = ".".join(str(p) for p in parts[: depth + 1])
                raise ScenarioError(path, msg("scenario.no_list_item", item=where), field=dotted)
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise ScenarioError(path, "goes inside a value that is not a table", field=dotted)
            node = node.setdefault(part, {})
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise ScenarioError(path, msg("scenario.no_list_item", item=last), field=dotted)
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ScenarioError(path, "goes inside a value that is not a table", field=dotted)
    return tuple(parts)


def _index_or_key(part: str) -> str | int:
    """A list index when `part` is a (short) number in ASCII digits, else a table key."""
    return int(part) if part.isascii() and part.isdigit() and len(part) <= 9 else part


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
    text = _read_text(path)
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.match(message)
        if match is None:
            raise ScenarioError(path, msg("scenario.toml", what=message)) from None
        what = match["what"][:1].lower() + match["what"][1:]
        raise ScenarioError(
            path,
            msg("scenario.toml_at", line=match["line"], column=match["col"], what=what),
        ) from None
    except RecursionError:
        offset, field = _scan_toml(text)
        too_deep = msg("scenario.toml_too_deep", depth=MAX_NESTING)
        if offset is None:
            problem = msg("scenario.toml", what=too_deep)
        else:
            line, column = _line_column(text, offset)
            problem = msg("scenario.toml_at", line=line, column=column, what=too_deep)
        raise ScenarioError(path, problem, field=field) from None
    except ValueError as error:  # a number longer than Python reads
        long_number = re.search(rf"[0-9][0-9_]{{{_MAX_DIGITS},}}", text)
        if long_number is None:
            raise ScenarioError(path, msg("scenario.toml", what=_one_line(str(error)))) from None
        line, column = _line_column(text, long_number.start())
        _, field = _scan_toml(text, stop=long_number.start())
        raise ScenarioError(
            path,
            msg(
                "scenario.toml_at",
                line=line,
                column=column,
                what=msg("scenario.toml_long_number", digits=_MAX_DIGITS),
            ),
            field=field,
        ) from None
    _check_nesting(table, path)
    return table


def _read_text(path: Path) -> str:
    """The text of the scenario file: UTF-8, at most MAX_FILE_BYTES (a pipe is read that far)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ScenarioError(path, "file not found") from None
    except OSError as error:
        raise ScenarioError(
            path, msg("scenario.unreadable", reason=error.strerror or error)
        ) from None
    except ValueError:  # a NUL in the path
        raise ScenarioError(path, "is not a usable file path (it has a NUL character)") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(path, "is a directory, not a scenario file")
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            path,
            msg("scenario.too_large_size", size=info.st_size, limit=MAX_FILE_BYTES),
        )
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(path, "file not found") from None
    except IsADirectoryError:
        raise ScenarioError(path, "is a directory, not a scenario file") from None
    except OSError as error:
        raise ScenarioError(
            path, msg("scenario.unreadable", reason=error.strerror or error)
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(path, msg("scenario.too_large", limit=MAX_FILE_BYTES))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(path, msg("scenario.not_utf8", byte=error.start)) from None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _scan_toml(text: str, stop: int | None = None) -> tuple[int | None, str | None]:
    """Where brackets first nest more than MAX_NESTING deep, and the key being written there.

    Returns (offset, dotted key), offset None when nothing nests that deep; with `stop`,
    the scan ends there instead and gives the key being written at `stop`. A small scan of
    the TOML text (comments and strings skipped, keys read roughly), run only after tomllib
    failed, to say where.
    """
    depth, index, size = 0, 0, len(text)
    end = size if stop is None else min(stop, size)
    header, key = "", ""
    at_line_start = True
    while index < end:
        char = text[index]
        if at_line_start and depth == 0 and not char.isspace():
            line_end = text.find("\n", index)
            line = text[index : size if line_end < 0 else line_end]
            if char == "[":
                header = line.strip("[").split("]", 1)[0].strip()
                key = ""
            elif "=" in line and char != "#":
                key = line.split("=", 1)[0].strip()
            at_line_start = False
        if char == "\n":
            at_line_start = True
        elif char == "#":
            line_end = text.find("\n", index)
            index = size if line_end < 0 else line_end
            continue
        elif char in "\"'":
            quote = text[index : index + 3] if text.startswith(char * 3, index) else char
            index += len(quote)
            while index < size and not text.startswith(quote, index):
                if len(quote) == 1 and text[index] == "\n":
                    break
                index += 2 if char == '"' and text[index] == "\\" else 1
            index += len(quote)
            continue
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING and stop is None:
                return index, _field_name(header, key)
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return None, _field_name(header, key) if stop is not None else None


def _field_name(header: str, key: str) -> str | None:
    """The dotted field of `key` in the table `header`, as written (None when unknown)."""
    return ".".join(part for part in (header, key) if part) or None


def _check_nesting(table: dict[str, Any], path: Path) -> None:
    """Tables and arrays nested more than MAX_NESTING deep are refused, naming the field.

    Without a limit they would exhaust Python's recursion (here, or in pydantic) and end in
    a traceback. Walked with a stack, not recursion, for that reason.
    """
    stack: list[tuple[Any, Key]] = [(table, ())]
    while stack:
        node, key = stack.pop()
        if len(key) > MAX_NESTING:
            shown = _dotted(key[:6]) + "..."
            raise ScenarioError(
                path,
                f"tables and arrays are nested more than {MAX_NESTING} deep (a scenario "
                "needs 4 at most)",
                field=shown,
            )
        if isinstance(node, dict):
            stack.extend((value, (*key, str(name))) for name, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*key, index)) for index, value in enumerate(node))


def _real(path: Path) -> Path:
    """`path` made absolute with symbolic links resolved, as far as that can be done."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL, too long a name
        return Path(os.path.abspath(path))


def _resolve(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], dict[Key, Path]]:
    """The table of `path` with its parents merged in, and which file set each value.

    `chain` is the files already being resolved (the children of `path`), to catch cycles.
    """
    if _real(path) in {_real(child) for child in chain}:
        loop = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(chain[-1], msg("scenario.extends_cycle", loop=loop), field="extends")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            chain[-1],
            msg("scenario.extends_too_deep", depth=MAX_EXTENDS_DEPTH, first=chain[0], last=path),
            field="extends",
        )
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
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in parent_ref):
        raise ScenarioError(
            path,
            f"must be the path of another scenario file, without control characters, "
            f"got {parent_ref!r}",
            field="extends",
        )
    parent_path = Path(os.path.normpath(path.parent / parent_ref))
    try:
        exists = parent_path.is_file()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or msg("scenario.unusable_path")
        raise ScenarioError(
            path,
            msg("scenario.extends_unopenable", reason=reason, path=_short(parent_path)),
            field="extends",
        ) from None
    if not exists:
        raise ScenarioError(
            path, msg("scenario.extends_missing", path=_short(parent_path)), field="extends"
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
    loc = _without_tags(tuple(problem["loc"]))
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


def _without_tags(loc: Key) -> Key:
    """`loc` without the tags pydantic puts after a tagged union's field ("provinces.codes").

    Only there: a field that happens to share a tag's name (covid.timeline[0].codes) stays.
    """
    kept: list[str | int] = []
    for part in loc:
        if part in UNION_TAGS and kept and _is_tagged_union(tuple(kept)):
            continue
        kept.append(part)
    return tuple(kept)


def _is_tagged_union(loc: Key) -> bool:
    """Whether the field at `loc` is a union with a Discriminator (its errors carry a tag)."""
    model = _expected_type(loc[:-1])
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return False
    field = model.model_fields.get(str(loc[-1]))
    return field is not None and any(
        isinstance(item, pydantic.Discriminator) for item in field.metadata
    )


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


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _short(path: Path, limit: int = 200) -> str:
    """`path` as text, its middle cut out when it is longer than `limit` characters."""
    text = str(path)
    return text if len(text) <= limit else f"{text[: limit - 60]}...{text[-57:]}"


def _show(value: Any) -> str:
    """A value as the user wrote it (TOML-like), shortened."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
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

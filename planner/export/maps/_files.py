"""The pages' file names: `province_file` and `team_files`.

The same team file names serve maps/teams/ and sheets/ (the route sheets, and the web
workspace's links); every name is safe on every file system and unique within the plan.
"""

from __future__ import annotations

import re

from planner.plan import Plan

# Names a page file must not take: the index pages beside them (maps/index.html,
# sheets/index.html), the folders beside them (maps/lib/, maps/teams/), and the names Windows
# keeps for devices, with any extension ("con.html" cannot be created there).
_RESERVED_STEMS = frozenset(
    {"index", "lib", "teams", "con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)
_MAX_STEM = 100  # file systems allow 255 bytes a name; keep well below, with room for "-2"


def _file_stem(text: str) -> str:
    """A file name made of letters, digits, '.', '_' and '-' only, not starting with '.'."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:_MAX_STEM].strip("._")
    return stem or "team"


def _is_plain_name(text: str) -> bool:
    """True if `text` is its own safe file stem and no reserved name (nor one with a dot:
    Windows keeps "con.x" as it keeps "con")."""
    return _file_stem(text) == text and text.lower().split(".")[0] not in _RESERVED_STEMS


def province_file(province_code: str) -> str:
    """A province page's file name: '27.html'; 'province-<code>.html' for an unsafe code."""
    if _is_plain_name(province_code):
        return f"{province_code}.html"
    return f"province-{_file_stem(province_code)}.html"


def team_files(plan: Plan) -> dict[tuple[str, str], str]:
    """(province code, team id) -> the team page's file name, unique within the plan.

    The same names serve maps/teams/ and sheets/. A team id that is a plain file name
    (letters, digits, '.', '_', '-', at most 100 characters, not a reserved name such as
    'index') keeps it: '27-256-1.html'. Any other id becomes 'team-<id>.html' with every
    other character replaced by '_' (a team 'index' would otherwise overwrite the route
    sheets' index, and an id with '/' or '..' would be a path). Names are unique ignoring
    case (case-insensitive file systems): a name already taken gets the province code in
    front, then a number behind. Plain ids are named first, so that no other id can take
    the name a plain id would keep.
    """
    keys = sorted({(p.province_code, r.team_id) for p in plan.provinces for r in p.routes})
    plain = [key for key in keys if _is_plain_name(key[1])]
    others = [key for key in keys if not _is_plain_name(key[1])]
    names: dict[tuple[str, str], str] = {}
    used: set[str] = set(_RESERVED_STEMS)
    for province_code, team_id in [*plain, *others]:
        stem = team_id if _is_plain_name(team_id) else f"team-{_file_stem(team_id)}"
        if stem.lower() in used:
            stem = f"{_file_stem(province_code)}-{stem}"
        base, n = stem, 2
        while stem.lower() in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem.lower())
        names[(province_code, team_id)] = f"{stem}.html"
    return names

"""The workspace the web app serves: scenarios, run folders and the job store.

    WORKSPACE/
      scenarios/*.toml         the scenarios (each addressed by the slug of its file name)
      outputs/<job id>/        one folder per job: a plan (`planner run`, `planner replan`),
                               a batch (one plan per scenario, in <scenario id>/), a sweep
                               or a comparison; a plan's progress/ (`planner progress`) is
                               written inside it
      reports/<job id>/        the teams' report files uploaded for that plan, in the order
                               received (001-..., 002-...)
      .planner-web.sqlite      the job store (`planner.web.store`)

Clients name a scenario by its id and a run by its job id, never by a path: the id is looked
up among the files that are there, and a file inside a run folder is found by
`run_file`, which refuses any path that would leave the folder (`..`, an absolute path, a
link pointing out). An uploaded file's name is never used as a path: a scenario is kept
under the slug of its name, a report under a number and that slug.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import threading
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from planner.errors import DataError, PlannerError, ScenarioError, UploadError
from planner.export.i18n import Lang
from planner.messages import msg
from planner.output_folder import MANIFEST
from planner.scenario import load_scenario
from planner.web.i18n import error_text
from planner.written_plan import SUMMARY_FILE, Summary, read_plan

#: Largest scenario file accepted by upload (the shipped ones are a few kB).
MAX_UPLOAD_BYTES = 256 * 1024

SCENARIOS = "scenarios"
OUTPUTS = "outputs"
REPORTS = "reports"

#: Largest team report file accepted: a province's filled-in workbook for a month is a few
#: hundred kB, the whole country's about 13 MB.
MAX_REPORT_BYTES = 16 * 1024 * 1024
#: Most report files in one upload, and most bytes of one upload in all.
MAX_REPORT_FILES = 10
MAX_REPORTS_BODY = 2 * MAX_REPORT_BYTES + 64 * 1024
#: The report files `planner.reports.read_reports` reads (an .xls is refused there, with advice).
REPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xls")

#: What the last progress of a plan said, kept beside its reports (hidden: not a report).
PROGRESS_FILE = ".progress.json"

T = TypeVar("T")

_SLUG = re.compile(r"[^a-z0-9_-]+")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


def slug(text: str) -> str:
    """A file name's id: lowercase ASCII letters, digits, '-' and '_' (Vietnamese letters
    lose their marks), at most 80 characters; '' if nothing is left."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return _SLUG.sub("-", plain).strip("-_")[:80].strip("-_")


@dataclass(frozen=True)
class ScenarioEntry:
    """A scenario file of the workspace, as the list shows it."""

    id: str
    file: str  # the file name inside scenarios/
    title: str
    description: str
    error: str  # one line when the file does not load, else ''


class Workspace:
    """The folders of one workspace."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.scenarios = self.root / SCENARIOS
        self.outputs = self.root / OUTPUTS
        self.reports = self.root / REPORTS
        self._reports_lock = threading.Lock()
        self._packs: dict[tuple[str, int, int], list[TeamPack]] = {}
        self._packs_lock = threading.Lock()

    def ensure(self) -> None:
        self.scenarios.mkdir(parents=True, exist_ok=True)
        self.outputs.mkdir(parents=True, exist_ok=True)

    # --- scenarios -------------------------------------------------------------------------

    def scenario_files(self) -> dict[str, Path]:
        """Scenario id -> its file: the `*.toml` files directly in scenarios/ (hidden ones
        left out); of two files with the same id, the first by name."""
        found: dict[str, Path] = {}
        try:
            paths = sorted(self.scenarios.iterdir())
        except OSError:
            return found
        for path in paths:
            if path.name.startswith(".") or path.suffix.lower() != ".toml":
                continue
            if not path.is_file():
                continue
            key = slug(path.stem)
            if key and key not in found:
                found[key] = path
        return found

    def scenario_path(self, scenario_id: str) -> Path | None:
        if not ID_PATTERN.match(scenario_id):
            return None
        return self.scenario_files().get(scenario_id)

    def list_scenarios(self) -> list[ScenarioEntry]:
        entries = []
        for key, path in self.scenario_files().items():
            title, description, error = path.stem, "", ""
            try:
                scenario = load_scenario(path)
            except ScenarioError as exc:
                error = self.short(str(exc))
            else:
                title = scenario.title or scenario.name
                description = scenario.description
            entries.append(ScenarioEntry(key, path.name, title, description, error))
        return entries

    def short(self, message: str) -> str:
        """A message on one line, with the workspace's own path left out."""
        text = " ".join(message.split())
        return text.replace(str(self.root) + os.sep, "")

    def upload_scenario(self, filename: str, data: bytes, *, replace: bool = False) -> str:
        """Check an uploaded scenario as `planner validate` loads it, then keep it.

        Nothing is kept unless the file loads: it is checked under a hidden temporary name in
        scenarios/ (so `extends = "demo.toml"` finds its parent), and moved to its name only
        when valid. Returns the new scenario's id; raises `UploadError` with one line.
        """
        if len(data) > MAX_UPLOAD_BYTES:
            raise UploadError(
                msg(
                    "web.upload_too_large",
                    name=_shown(filename),
                    size=len(data),
                    limit=MAX_UPLOAD_BYTES // 1024,
                )
            )
        key = slug(PurePosixPath(filename.replace("\\", "/")).stem)
        if not key:
            raise UploadError(msg("web.upload_name", name=_shown(filename)))
        if not filename.lower().endswith(".toml"):
            raise UploadError(msg("web.upload_not_toml", name=_shown(filename)))
        name = f"{key}.toml"
        if not replace and key in self.scenario_files():
            raise UploadError(msg("web.upload_exists", name=name))
        try:  # files named by the upload itself are checked before any is opened
            table = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
            table = {}  # the loader below says what is wrong, in its words
        self._check_paths_inside(_named_paths(table), name)
        self.ensure()
        tmp = self.scenarios / f".upload-{secrets.token_hex(6)}.toml"
        try:
            with open(tmp, "xb") as file:
                file.write(data)
            try:
                scenario = load_scenario(tmp)
            except ScenarioError as exc:
                raise UploadError(
                    self.short(str(exc)).replace(f"{SCENARIOS}{os.sep}{tmp.name}", name)
                ) from None
            self._check_paths_inside(
                {
                    "data.communes": scenario.data.communes,
                    "data.post_offices": scenario.data.post_offices,
                    "travel.cache_dir": scenario.travel.cache_dir,
                },
                name,
            )
            os.replace(tmp, self.scenarios / name)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return key

    def _check_paths_inside(self, named: dict[str, object], name: str) -> None:
        """Files an uploaded scenario names (relative to scenarios/) must be in the workspace."""
        for field, value in named.items():
            if not isinstance(value, str) or not value:
                continue
            target = Path(os.path.normpath(self.scenarios / value))
            if not target.is_relative_to(self.root):
                raise UploadError(
                    msg("web.upload_outside", name=name, field=field, value=repr(value[:200]))
                )

    # --- runs --------------------------------------------------------------------------------

    def run_folder(self, job_id: str) -> Path:
        if not ID_PATTERN.match(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.outputs / job_id

    def plan_folder(self, job_id: str, scenario_id: str) -> Path:
        """The folder of one scenario's plan inside a batch job's folder."""
        if not ID_PATTERN.match(scenario_id):
            raise ValueError(f"not a scenario id: {scenario_id!r}")
        return self.run_folder(job_id) / scenario_id

    def run_file(self, job_id: str, relative: str) -> Path | None:
        """The file at `relative` inside the run's folder, or None if there is none or the
        path would lead out of the folder."""
        if not relative or "\x00" in relative or "\\" in relative:
            return None
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or pure.parts[:1] == ("~",):
            return None
        try:
            base = self.run_folder(job_id).resolve(strict=True)
            target = (base / pure).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not target.is_relative_to(base) or not target.is_file():
            return None
        return target

    def summary(self, job_id: str, folder: str = "") -> Summary | None:
        """The summary.json of a run's plan (of the plan in `folder` of a batch), read
        (`Summary.read`); None when there is none or it is not a plan's summary."""
        path = self.run_file(job_id, f"{folder}/{SUMMARY_FILE}" if folder else SUMMARY_FILE)
        if path is None:
            return None
        try:
            return Summary.read(path)
        except DataError:
            return None

    def team_packs(self, job_id: str) -> list[TeamPack]:
        """Every team of a run with the files of its pack: page, GPX files, route sheet.

        Read from the run folder once (a national plan has thousands of team-days) and kept
        while the folder's manifest is the same file (a re-written folder is read again).
        """
        try:
            stat = (self.run_folder(job_id) / MANIFEST).stat()
        except OSError:
            return []
        key = (job_id, stat.st_ino, stat.st_mtime_ns)
        with self._packs_lock:
            if key in self._packs:
                return self._packs[key]
        packs = self._read_team_packs(job_id)
        with self._packs_lock:
            if len(self._packs) >= 64:
                self._packs.clear()
            self._packs[key] = packs
        return packs

    def _read_team_packs(self, job_id: str) -> list[TeamPack]:
        from planner.export.gpx import team_stems
        from planner.export.maps import team_files
        from planner.export.teampack import plan_from_written, team_pack_files

        folder = self.run_folder(job_id)
        try:
            plan = plan_from_written(read_plan(folder))
        except (PlannerError, OSError, ValueError, KeyError):
            return []
        stems = team_stems(plan)
        sheets = team_files(plan)
        pages = team_pack_files(plan)
        gpx: dict[tuple[str, str], list[str]] = {key: [] for key in stems}
        used: set[str] = set()
        for province in plan.provinces:  # named as planner.export.gpx.write_gpx names them
            for route in sorted(province.routes, key=lambda r: (r.team_id, r.date)):
                key = (province.province_code, route.team_id)
                name = f"{stems[key]}-{route.date.isoformat()}"
                base, n = name, 2
                while name.lower() in used:
                    name, n = f"{base}-{n}", n + 1
                used.add(name.lower())
                gpx[key].append(f"gpx/{name}.gpx")
        packs = []
        for key, stem in sorted(stems.items()):
            files = (f"teams/{pages[key]}", f"sheets/{sheets[key]}", *gpx[key])
            packs.append(TeamPack(province=key[0], team=key[1], stem=stem, files=files))
        return packs

    def team_pack_zip(self, job_id: str, stem: str) -> bytes | None:
        """A zip of one team's pack (the files that are there), or None for no such team."""
        pack = next((p for p in self.team_packs(job_id) if p.stem == stem), None)
        if pack is None:
            return None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for relative in pack.files:
                path = self.run_file(job_id, relative)
                if path is not None:
                    archive.write(path, f"{stem}/{relative}")
        return buffer.getvalue()

    # --- the teams' reports of a plan -------------------------------------------------------

    def report_folder(self, job_id: str) -> Path:
        if not ID_PATTERN.match(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.reports / job_id

    def report_files(self, job_id: str) -> list[Path]:
        """The report files kept for a plan, in the order received."""
        try:
            paths = sorted(self.report_folder(job_id).iterdir())
        except (OSError, ValueError):
            return []
        return [
            path
            for path in paths
            if path.is_file()
            and not path.name.startswith(".")
            and path.suffix.lower() in REPORT_SUFFIXES
        ]

    def report_path(self, relative: str) -> Path | None:
        """A kept report named as the job store names it ("reports/<job id>/<file>")."""
        parts = PurePosixPath(relative).parts
        if len(parts) != 3 or parts[0] != REPORTS or not ID_PATTERN.match(parts[1]):
            return None
        found = [p for p in self.report_files(parts[1]) if p.name == parts[2]]
        return found[0] if found else None

    def relative(self, path: Path) -> str:
        """A path inside the workspace as the job store keeps it (with '/')."""
        return path.resolve().relative_to(self.root).as_posix()

    def add_reports(
        self,
        job_id: str,
        uploads: list[tuple[str, bytes]],
        check: Callable[[list[Path]], T],
        lang: Lang = "en",
    ) -> T:
        """Keep uploaded report files (name as sent, content) if `check` passes on every
        report of the plan, the new ones last; return what it returned.

        The files are checked by the caller's `check` (reading them as `planner progress`
        does): when it raises, the new files are removed, and the error's message names
        each file by the name it was sent under (not the name it is kept under), in `lang`.
        """
        for name, data in uploads:
            _check_report_upload(name, data, lang)
        with self._reports_lock:
            folder = self.report_folder(job_id)
            folder.mkdir(parents=True, exist_ok=True)
            kept = self.report_files(job_id)
            number = 1 + max((_number_of(p.name) for p in kept), default=0)
            added: list[tuple[Path, str]] = []
            try:
                for offset, (name, data) in enumerate(uploads):
                    pure = PurePosixPath(name.replace("\\", "/"))
                    stem = slug(pure.stem)[:60] or "report"
                    path = folder / f"{number + offset:03d}-{stem}{pure.suffix.lower()}"
                    with open(path, "xb") as file:
                        file.write(data)
                    added.append((path, name))
                return check([*kept, *(path for path, _ in added)])
            except PlannerError as exc:
                message = self.short(error_text(exc, lang))
                for path, name in added:
                    message = message.replace(self.relative(path), _shown(name))
                self._remove(added)
                raise UploadError(message) from None
            except BaseException:
                self._remove(added)
                raise

    def save_progress(self, job_id: str, figures: dict[str, Any]) -> None:
        """Keep what the last progress said (the page shows it without reading the plan)."""
        folder = self.report_folder(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".progress-{secrets.token_hex(4)}.json"
        tmp.write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / PROGRESS_FILE)

    def progress_figures(self, job_id: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.report_folder(job_id) / PROGRESS_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    @staticmethod
    def _remove(added: list[tuple[Path, str]]) -> None:
        for path, _ in added:
            with contextlib.suppress(OSError):
                path.unlink()


def _check_report_upload(name: str, data: bytes, lang: Lang) -> None:
    """A report upload's size and kind, before anything is written."""
    from planner.web.i18n import text

    shown = _shown(name)
    if len(data) > MAX_REPORT_BYTES:
        raise UploadError(
            text("report_too_large", lang, name=shown, mb=MAX_REPORT_BYTES // (1024 * 1024))
        )
    if not name.lower().endswith(REPORT_SUFFIXES):
        raise UploadError(text("report_kind", lang, name=shown))
    if not data:
        raise UploadError(text("report_empty", lang, name=shown))


def _number_of(name: str) -> int:
    head = name.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


@dataclass(frozen=True)
class TeamPack:
    province: str
    team: str
    stem: str
    files: tuple[str, ...]


def _named_paths(table: dict[str, Any]) -> dict[str, object]:
    """The file paths a scenario table names itself (before `extends` is followed)."""
    data = table.get("data")
    travel = table.get("travel")
    data = data if isinstance(data, dict) else {}
    travel = travel if isinstance(travel, dict) else {}
    return {
        "extends": table.get("extends"),
        "data.communes": data.get("communes"),
        "data.post_offices": data.get("post_offices"),
        "travel.cache_dir": travel.get("cache_dir"),
    }


def _shown(filename: str) -> str:
    return " ".join(filename.split())[:120] or "file"

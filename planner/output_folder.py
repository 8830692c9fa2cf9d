"""Output folders: written whole, locked while written, never replacing what the planner did not write.

Every folder the planner writes (a plan, a comparison, a sweep) goes through `OutputFolder`:

1. **Claimed before any work.** `claim()` takes an OS lock on the folder (an exclusive
   ``flock`` on a hidden ``.<name>.lock`` beside it, released by the kernel on any exit, kill -9
   included; the holder removes the file) and checks the target. A second run to the same folder is refused at once with
   one line, before it solves anything. The target must be missing, an empty folder, or a
   folder this planner wrote: one holding its manifest (``.planner-output.json``, written last)
   or, for plans written before manifests existed, ``summary.json`` and ``schedule.csv``.
   A plan of the same scenario is replaced (a re-run); a folder of another kind or another
   scenario only with ``force``; a file, or a folder of anything else (the user's scenarios,
   the parent of several plans, the current folder), never.
2. **Written aside.** The content is written into a temporary sibling ``.<name>.tmp-*``,
   the manifest last.
3. **Swapped in one step.** Where the kernel offers it (Linux ``renameat2`` with
   ``RENAME_EXCHANGE``), the new folder and the old one trade places atomically: at every
   instant the target path holds either the complete old plan or the complete new one. The old
   one, now under the temporary name, is then removed. Where the exchange is not available,
   the old folder is first renamed aside and the new one moved in; a crash between the two
   renames is repaired by the next run (the old folder is put back before anything else).
4. **Leftovers cleaned.** Temporary and set-aside folders of earlier killed runs are removed
   by the next run that claims the folder (under the lock, so never another run's live one).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import IO

from planner.errors import OutputFolderError
from planner.messages import msg

MANIFEST = ".planner-output.json"
"""The file that marks a folder as written by the planner; written last."""


@dataclass(frozen=True)
class Manifest:
    """What a folder holds: its kind (plan, compare, sweep, ...) and, for a plan, the scenario."""

    kind: str
    scenario: str | None = None
    planner_version: str = ""
    written_at: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "scenario": self.scenario,
                "planner_version": self.planner_version,
                "written_at": self.written_at,
            },
            ensure_ascii=False,
            indent=2,
        )


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest; a legacy plan folder (summary.json + schedule.csv) counts as a plan."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            kind=str(data["kind"]),
            scenario=None if data.get("scenario") is None else str(data["scenario"]),
            planner_version=str(data.get("planner_version", "")),
            written_at=str(data.get("written_at", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        pass
    # planner.written_plan defines the plan's files (and imports this module: imported here)
    from planner.written_plan import SCHEDULE_FILE, SUMMARY_FILE, read_scenario_name

    if (folder / SUMMARY_FILE).is_file() and (folder / SCHEDULE_FILE).is_file():
        return Manifest(kind="plan", scenario=read_scenario_name(folder / SUMMARY_FILE))
    if (folder / "compare.csv").is_file() and (folder / "index.html").is_file():
        return Manifest(kind="compare")
    if (folder / "sweep.csv").is_file():
        return Manifest(kind="sweep")
    return None


_KIND_WORDS = {
    "plan": msg("output.kind.plan"),
    "compare": msg("output.kind.compare"),
    "sweep": msg("output.kind.sweep"),
    "progress": msg("output.kind.progress"),
}


def check_target(path: Path, manifest: Manifest, *, force: bool = False) -> None:
    """Refuse, with one line, a target that is not safe to replace by ``manifest``'s folder.

    Safe: a missing path, an empty folder, a folder of the same kind and scenario. With
    ``force``: any folder the planner wrote. Never: a file, a folder of anything else.
    """
    if path.is_symlink() and not path.exists():
        raise OutputFolderError(msg("output.broken_link", path=path))
    if not path.exists():
        return
    if not path.is_dir():
        raise OutputFolderError(msg("output.is_file", path=path))
    try:
        entries = [p.name for p in path.iterdir()]
    except OSError as error:
        raise OutputFolderError(
            msg("output.unreadable", path=path, reason=error.strerror or error)
        ) from None
    if not entries:
        return
    found = read_manifest(path)
    if found is None:
        raise OutputFolderError(
            msg("output.not_ours", path=path, count=len(entries), example=repr(sorted(entries)[0]))
        )
    if found.kind == manifest.kind and found.scenario in (manifest.scenario, None):
        return  # a re-run (None: written before manifests, scenario unknown)
    if force:
        return
    what: str = _KIND_WORDS.get(found.kind, found.kind)
    if found.scenario:
        what = msg("output.of_scenario", what=what, scenario=repr(found.scenario))
    raise OutputFolderError(msg("output.holds", path=path, what=what))


# --- the atomic exchange ----------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def move_into_place(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` at ``target``; the old target, if any, is removed.

    At every instant ``target`` holds the old folder or the new one (see the module's
    docstring for systems without an atomic exchange).
    """
    if target.exists():
        if _exchange(new, target):
            # ``new`` now holds the old folder, under the temporary name: remove it.
            shutil.rmtree(new, ignore_errors=True)
            return
        aside = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, aside)
        os.replace(new, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.replace(new, target)


def _repair_and_clean(target: Path) -> None:
    """Undo a half-done fallback move of a killed run, then remove every leftover."""
    parent = target.parent
    asides = sorted(parent.glob(f".{target.name}.old-*"))
    if not target.exists() and asides:
        os.replace(asides[0], target)  # the old plan back where it was
        asides = asides[1:]
    for leftover in [*asides, *parent.glob(f".{target.name}.tmp-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


# --- the lock ---------------------------------------------------------------------------


def _lock_path(path: Path) -> Path:
    return path.parent / f".{path.name}.lock"


def _take_lock(path: Path) -> IO[bytes]:
    """An exclusive flock on ``.<name>.lock`` beside ``path``; one line if another run holds it.

    The lock file is removed by its holder on release. A run that opened the file just before
    it was removed would lock a file nobody else sees; so after locking, the file must still
    be the one at the path, or the lock is taken again on the new file.
    """
    import fcntl

    lock_file = _lock_path(path)
    for _ in range(10):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = lock_file.open("ab")
        except OSError as error:
            raise OutputFolderError(
                msg("output.cannot_write", path=path, reason=error.strerror or error)
            ) from None
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise OutputFolderError(msg("output.busy", path=path)) from None
        try:
            same = os.fstat(lock.fileno()).st_ino == os.stat(lock_file).st_ino
        except OSError:
            same = False
        if same:
            return lock
        lock.close()
    raise OutputFolderError(msg("output.cannot_lock", path=path))


# --- the folder as a claimed resource -----------------------------------------------------


@dataclass
class OutputFolder:
    """One output folder, claimed (locked and checked) for the length of a run.

    Use as a context manager around the whole run, so the lock is held from the first check
    to the final move::

        with OutputFolder(path, Manifest("plan", scenario="demo")) as out:
            ...  # solve
            out.write(lambda tmp: ...)
    """

    path: Path
    manifest: Manifest
    force: bool = False
    _lock: IO[bytes] | None = field(default=None, init=False, repr=False)

    def claim(self) -> None:
        """Lock the folder and check it may be replaced; one line if not."""
        if self._lock is not None:
            return
        path = self.path
        if path.name in ("", ".", ".."):
            raise OutputFolderError(msg("output.no_name", path=path))
        self._lock = _take_lock(path)
        try:
            _repair_and_clean(path)
            check_target(path, self.manifest, force=self.force)
        except BaseException:
            self.release()
            raise

    def write(self, fill: Callable[[Path], None]) -> Path:
        """Write the folder's content with ``fill(tmp)``, add the manifest, move it into place."""
        self.claim()
        path = self.path
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
        except OSError as error:
            raise OutputFolderError(
                msg("output.cannot_write", path=path, reason=error.strerror or error)
            ) from None
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the outputs are for everyone
        try:
            fill(tmp)
            stamped = replace(
                self.manifest, written_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            )
            (tmp / MANIFEST).write_text(stamped.to_json() + "\n", encoding="utf-8")
            move_into_place(tmp, path)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return path

    def mark(self) -> None:
        """Write the manifest into a folder built in place (a sweep's parent folder), last."""
        self.claim()
        self.path.mkdir(parents=True, exist_ok=True)
        stamped = replace(
            self.manifest, written_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )
        (self.path / MANIFEST).write_text(stamped.to_json() + "\n", encoding="utf-8")

    def release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                # Unlinked while still held, so nobody can take a lock on a file about to go.
                _lock_path(self.path).unlink()
            with contextlib.suppress(OSError):
                self._lock.close()  # closing the file releases the flock
            self._lock = None

    def __enter__(self) -> OutputFolder:
        self.claim()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def write_folder(
    path: Path, manifest: Manifest, fill: Callable[[Path], None], *, force: bool = False
) -> Path:
    """Claim, write and release in one call (for writers that have no long work before)."""
    with OutputFolder(path, manifest, force=force) as out:
        return out.write(fill)

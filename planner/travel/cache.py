"""Routing-server matrices kept on disk, keyed by what was asked, so a re-run asks nothing.

The key is the SHA-256 of the request's content, written as canonical JSON:
  - the cache format version, the engine ("osrm" or "valhalla") and the server URL
    (without a trailing slash),
  - the profile or costing asked for ("driving", "auto", "motorcycle", ...),
  - every place's exact (lat, lon), in order (Python's shortest round-trip float text).
The URL is part of the key on purpose: two servers may hold different map data or profiles
(a car server and a motorbike server), and reusing one's answer for the other would be
silently wrong, whereas a changed URL costs only one more request. Nothing in the key sees
the server's map data: after updating the map behind the same URL, delete the cache folder.

Each entry is one .npz file (seconds and km, NaN where the server found no route, the
places, and the key's text to guard against a collision), named
`<engine-url-profile digest>-<key digest>.npz`.

A request whose places are all among the places of one stored entry of the same engine,
URL and profile is answered from that entry's rows and columns (`find_within`): a table's
entry for a pair does not depend on the other places asked with it. That is how
`planner check` re-checks each team-day (its base and stops, read back from schedule.csv
with 6 decimals) with the very numbers the province's matrix gave when planning. Places
match when their coordinates agree to 6 decimals (about 0.1 m), the precision the plan's
files and OSRM requests use. Writes go to a temporary file in the same folder,
then `os.replace` renames it into place: a reader sees the whole old file or the whole new
one, never a part, and two worker processes writing the same key both write the same
content, so whichever rename comes last wins harmlessly.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.travel.model import Place

CACHE_FORMAT = 1


@dataclass(frozen=True)
class ServerMatrix:
    """A routing server's raw answer for n places: seconds and km, NaN where no route."""

    seconds: np.ndarray  # float64 (n, n)
    km: np.ndarray  # float64 (n, n)


def cache_key_text(engine: str, url: str, profile: str, places: Sequence[Place]) -> str:
    """The canonical JSON text a cache entry is keyed by (see the module docstring)."""
    return json.dumps(
        {
            "format": CACHE_FORMAT,
            "engine": engine,
            "url": url.rstrip("/"),
            "profile": profile,
            "places": [[float(p.lat), float(p.lon)] for p in places],
        },
        separators=(",", ":"),
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _group_digest(key_text: str) -> str:
    """The digest of a key without its places: entries that can answer for each other."""
    key = json.loads(key_text)
    key.pop("places")
    return _digest(json.dumps(key, sort_keys=True))[:16]


def spot(lat: float, lon: float) -> str:
    """A place's position to 6 decimals: how places are matched across entries."""
    return f"{lat:.6f},{lon:.6f}"


@functools.lru_cache(maxsize=512)
def _entry_spots(path: str, modified_ns: int, size: int) -> dict[str, int] | None:
    """Position -> row of one stored entry (memoised per file version), None if unreadable."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            lat, lon = np.asarray(stored["lat"], float), np.asarray(stored["lon"], float)
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    spots: dict[str, int] = {}
    for row, (a, b) in enumerate(zip(lat.tolist(), lon.tolist(), strict=True)):
        spots.setdefault(spot(a, b), row)
    return spots


@dataclass(frozen=True)
class MatrixCache:
    """A folder of .npz files, one per (engine, url, profile, places) asked."""

    folder: Path

    def path_for(self, key_text: str) -> Path:
        return self.folder / f"{_group_digest(key_text)}-{_digest(key_text)}.npz"

    def load(self, key_text: str) -> ServerMatrix | None:
        """The stored answer for this key, or None when absent, unreadable or not this key.

        A damaged or foreign file is treated as missing (the server is asked again and the
        file rewritten) rather than as an error: the cache only ever saves time.
        """
        stored = self._read(self.path_for(key_text))
        if stored is None or stored[0] != key_text:
            return None
        return stored[1]

    def find_within(self, key_text: str, places: Sequence[Place]) -> ServerMatrix | None:
        """The answer for these places cut out of a stored entry that has them all, if any."""
        for path in sorted(self.folder.glob(f"{_group_digest(key_text)}-*.npz")):
            try:
                status = path.stat()
            except OSError:
                continue
            spots = _entry_spots(str(path), status.st_mtime_ns, status.st_size)
            if spots is None:
                continue
            found = [spots.get(spot(p.lat, p.lon)) for p in places]
            rows = np.array([r for r in found if r is not None], dtype=np.intp)
            if len(rows) != len(found):
                continue
            stored = self._read(path)
            if stored is None:
                continue
            _, matrix = stored
            return ServerMatrix(
                seconds=matrix.seconds[np.ix_(rows, rows)], km=matrix.km[np.ix_(rows, rows)]
            )
        return None

    def _read(self, path: Path) -> tuple[str, ServerMatrix] | None:
        try:
            with np.load(path, allow_pickle=False) as stored:
                key_text = str(stored["key"])
                seconds = np.asarray(stored["seconds"], dtype=float)
                km = np.asarray(stored["km"], dtype=float)
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
            return None
        if seconds.ndim != 2 or seconds.shape != km.shape or seconds.shape[0] != seconds.shape[1]:
            return None
        return key_text, ServerMatrix(seconds=seconds, km=km)

    def store(self, key_text: str, matrix: ServerMatrix) -> Path:
        """Write one entry atomically (temporary file + os.replace); returns its path."""
        path = self.path_for(key_text)
        places = json.loads(key_text)["places"]
        lat = np.array([p[0] for p in places], dtype=float).reshape(-1)
        lon = np.array([p[1] for p in places], dtype=float).reshape(-1)
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=self.folder, prefix=f".{path.stem[:16]}-", suffix=".npz.tmp"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez_compressed(
                    out,
                    key=np.array(key_text),
                    seconds=np.asarray(matrix.seconds, dtype=float),
                    km=np.asarray(matrix.km, dtype=float),
                    lat=lat,
                    lon=lon,
                )
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

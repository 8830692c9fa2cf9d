"""Travel matrices from your own routing server: OSRM's table service or Valhalla's matrix.

How a matrix is asked for (both engines):
  1. The places are cut into blocks of at most `block_size`; every (source block,
     destination block) pair is one request, so no request has more than `block_size`
     places per side (OSRM's default --max-table-size is 100; Valhalla's service limits
     vary by version and costing: lower `travel.block_size` if the server says "too many").
  2. A request that fails for a passing reason (connection refused or reset, timeout,
     HTTP 5xx or 429) is tried again `retries` times, waiting backoff x 2^k seconds
     (capped at 5 s) between tries. A request the server refuses (HTTP 4xx) or answers with
     nonsense (not JSON, wrong shape, negative times) is not retried: asking again would
     get the same answer. Either way the error is one line naming the scenario field
     travel.url, the server URL and what went wrong.
  3. The answer (seconds and km, NaN where the server found no route) is kept in the
     on-disk cache (planner.travel.cache) before anything else, so a re-run or
     `planner check` gets the same matrix without the server.
  4. Minutes are rounded up as in the great-circle model, 0 on the diagonal.

Pairs with no road route (null in the answer: an island, a road piece cut off from the rest
of the map) get, by default, the great-circle model's estimate for that pair, with a
warning that counts them and names one. Why not an error: every coastal province has
boat-only island communes; one of them would stop the whole province, whereas the planner
already leaves boat-only communes out unless boats are allowed, and when boats are allowed
the great-circle estimate is what the default model uses for them too. `unreachable="error"`
raises instead, naming the first such pair.

OSRM's profile is fixed when the server's data is prepared (osrm-extract -p car.lua): the
profile word in the URL is not checked by osrm-routed. Both vehicles ask for "driving";
a motorbike profile needs its own server (and `url`). Valhalla picks its costing per
request: "auto" for cars, "motorcycle" for motorbikes ("motor_scooter" is the other choice
for small scooters).
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from planner.errors import RoutingServerError
from planner.messages import msg
from planner.travel.cache import MatrixCache, ServerMatrix, cache_key_text
from planner.travel.great_circle import GreatCircleTravel
from planner.travel.model import Place, TravelMatrices, whole_minutes

Engine = Literal["osrm", "valhalla"]
Unreachable = Literal["great_circle", "error"]

DEFAULT_PROFILES: Mapping[str, Mapping[str, str]] = {
    "osrm": {"car": "driving", "motorbike": "driving"},
    "valhalla": {"car": "auto", "motorbike": "motorcycle"},
}
MAX_BACKOFF_SECONDS = 5.0


class UnroutablePairsWarning(UserWarning):
    """Some pairs of places have no road route on the server; estimates were used."""


class _PassingFailure(Exception):
    """A failure worth another try (connection, timeout, HTTP 5xx/429)."""


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _describe_reason(reason: object, timeout_seconds: float) -> str:
    """A failed connection's reason in a few words."""
    if isinstance(reason, ConnectionRefusedError):
        return msg("routing.refused_connection")
    if isinstance(reason, TimeoutError | socket.timeout):
        return msg("routing.timeout", seconds=timeout_seconds)
    if isinstance(reason, socket.gaierror):
        return msg("routing.unknown_host")
    if isinstance(reason, ConnectionResetError | http.client.RemoteDisconnected):
        return msg("routing.closed")
    return _one_line(str(reason)) or type(reason).__name__


def _server_message(body: bytes) -> str:
    """The error text an OSRM ({"code", "message"}) or Valhalla ({"error"}) answer carries."""
    text = body.decode("utf-8", "replace")
    try:
        payload = json.loads(text)
    except ValueError:
        return _one_line(text)
    if isinstance(payload, dict):
        parts = [
            str(payload[k]) for k in ("code", "error_code", "message", "error") if k in payload
        ]
        if parts:
            return _one_line(" ".join(parts))
    return _one_line(text)


@dataclass(frozen=True)
class RoutingServer:
    """Where the server is, how long to wait, how often to try; errors name `where`."""

    url: str
    where: str = ""  # the scenario file, for error messages
    timeout_seconds: float = 30.0
    retries: int = 3
    backoff_seconds: float = 0.5

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def error(self, problem: str) -> RoutingServerError:
        return RoutingServerError(self.where, self.url, problem)

    def ask_json(self, address: str, body: dict[str, Any] | None, what: str) -> Any:
        """GET (or POST `body` as JSON) `address`; the parsed JSON answer.

        `what` says which request this was, for the error message. Passing failures are
        retried with a doubling backoff; the last one's reason is reported.
        """
        tries = self.retries + 1
        reason = ""
        for attempt in range(tries):
            if attempt:
                time.sleep(min(self.backoff_seconds * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))
            try:
                raw = self._fetch(address, body, what)
            except _PassingFailure as failure:
                reason = failure.args[0] if failure.args else str(failure)
                continue
            try:
                return json.loads(raw)
            except ValueError:
                shown = _one_line(raw.decode("utf-8", "replace"), 60)
                raise self.error(msg("routing.not_json", what=what, shown=repr(shown))) from None
        raise self.error(msg("routing.no_answer", tries=tries, reason=reason, what=what))

    def _fetch(self, address: str, body: dict[str, Any] | None, what: str) -> bytes:
        """One HTTP exchange: the answer's bytes, or _PassingFailure, or an error."""
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise self.error(msg("routing.not_http"))
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            request = urllib.request.Request(address, data=data, headers=headers)
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as answer:
                content: bytes = answer.read()
                return content
        except urllib.error.HTTPError as refused:
            message = _server_message(refused.read() or b"")
            status = f"HTTP {refused.code}" + (f": {message}" if message else "")
            if refused.code >= 500 or refused.code == 429:
                raise _PassingFailure(status) from None
            raise self.error(msg("routing.refused", what=what, status=status)) from None
        except urllib.error.URLError as failed:
            raise _PassingFailure(_describe_reason(failed.reason, self.timeout_seconds)) from None
        except (OSError, http.client.HTTPException) as failed:
            raise _PassingFailure(_describe_reason(failed, self.timeout_seconds)) from None
        except ValueError as bad:  # not an http(s) URL
            raise self.error(msg("routing.unusable_url", reason=_one_line(str(bad)))) from None


def _number_table(
    rows: Any, n_rows: int, n_cols: int, name: str, server: RoutingServer
) -> np.ndarray:
    """A JSON table of non-negative numbers or nulls as a float array, NaN for null."""
    if (
        not isinstance(rows, list)
        or len(rows) != n_rows
        or any(not isinstance(r, list) or len(r) != n_cols for r in rows)
    ):
        raise server.error(msg("routing.table_shape", name=name, rows=n_rows, columns=n_cols))
    table = np.full((n_rows, n_cols), np.nan)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0 <= value < float("inf"))
            ):
                raise server.error(
                    msg("routing.bad_value", value=repr(value), name=name, row=i, column=j)
                )
            table[i, j] = float(value)
    return table


def _osrm_coordinates(places: Sequence[Place]) -> str:
    return ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in places)


def osrm_table(
    server: RoutingServer,
    profile: str,
    sources: Sequence[Place],
    destinations: Sequence[Place] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, km) from sources to destinations by OSRM's table service.

    destinations None: the sources to themselves (one block on the diagonal), sent once.
    Otherwise both lists are sent, and `sources=` / `destinations=` pick the sides.
    """
    n_s = len(sources)
    n_d = n_s if destinations is None else len(destinations)
    query = "annotations=duration,distance"
    if destinations is None:
        coordinates = _osrm_coordinates(sources)
    else:
        coordinates = _osrm_coordinates([*sources, *destinations])
        query += "&sources=" + ";".join(str(i) for i in range(n_s))
        query += "&destinations=" + ";".join(str(n_s + j) for j in range(n_d))
    address = f"{server.base}/table/v1/{profile}/{coordinates}?{query}"
    what = msg("routing.table_request", rows=n_s, columns=n_d, profile=profile)
    payload = server.ask_json(address, None, what)
    if not isinstance(payload, dict) or payload.get("code") != "Ok":
        code = payload.get("code") if isinstance(payload, dict) else None
        raise server.error(msg("routing.code_not_ok", what=what, code=repr(code)))
    if "distances" not in payload or "durations" not in payload:
        raise server.error(msg("routing.no_annotations", what=what))
    seconds = _number_table(payload["durations"], n_s, n_d, "durations", server)
    meters = _number_table(payload["distances"], n_s, n_d, "distances", server)
    return seconds, meters / 1000.0


def _valhalla_locations(places: Sequence[Place]) -> list[dict[str, float]]:
    return [{"lat": float(p.lat), "lon": float(p.lon)} for p in places]


def valhalla_sources_to_targets(
    server: RoutingServer,
    costing: str,
    sources: Sequence[Place],
    destinations: Sequence[Place] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, km) from sources to targets by Valhalla's sources_to_targets service.

    Reads both answer forms: the verbose one (a row per source of {"time", "distance",
    "from_index", "to_index"} objects; the default) and the concise one (Valhalla >= 3.5
    with verbose=false: {"durations": [[...]], "distances": [[...]]}).
    """
    targets = sources if destinations is None else destinations
    n_s, n_d = len(sources), len(targets)
    body = {
        "sources": _valhalla_locations(sources),
        "targets": _valhalla_locations(targets),
        "costing": costing,
        "units": "kilometers",
    }
    what = msg("routing.sources_request", rows=n_s, columns=n_d, costing=costing)
    payload = server.ask_json(f"{server.base}/sources_to_targets", body, what)
    table = payload.get("sources_to_targets") if isinstance(payload, dict) else None
    if isinstance(table, dict):
        seconds = _number_table(table.get("durations"), n_s, n_d, "durations", server)
        km = _number_table(table.get("distances"), n_s, n_d, "distances", server)
        return seconds, km
    if not isinstance(table, list) or len(table) != n_s:
        raise server.error(msg("routing.rows_missing", what=what, rows=n_s))
    times: list[list[Any]] = []
    distances: list[list[Any]] = []
    for i, row in enumerate(table):
        if not isinstance(row, list) or len(row) != n_d:
            raise server.error(msg("routing.row_length", what=what, row=i, columns=n_d))
        times.append([None] * n_d)
        distances.append([None] * n_d)
        for j, cell in enumerate(row):
            if not isinstance(cell, dict):
                raise server.error(msg("routing.entry_not_object", what=what, row=i, entry=j))
            at = cell.get("to_index", j)
            if cell.get("from_index", i) != i or not isinstance(at, int) or not 0 <= at < n_d:
                raise server.error(msg("routing.entry_misplaced", what=what, row=i, entry=j))
            times[i][at] = cell.get("time")
            distances[i][at] = cell.get("distance")
    seconds = _number_table(times, n_s, n_d, "time", server)
    km = _number_table(distances, n_s, n_d, "distance", server)
    return seconds, km


def blocks(n: int, block_size: int) -> list[range]:
    """0..n-1 cut into consecutive ranges of at most block_size."""
    return [range(start, min(start + block_size, n)) for start in range(0, n, block_size)]


def _place_text(index: int, place: Place) -> str:
    return msg("routing.place", index=index, lat=f"{place.lat:.5f}", lon=f"{place.lon:.5f}")


@dataclass(frozen=True)
class RoutingServerTravel:
    """Travel matrices from an OSRM or Valhalla server, cached on disk (see module docstring)."""

    engine: Engine
    server: RoutingServer
    fallback: GreatCircleTravel
    cache: MatrixCache | None = None
    block_size: int = 100
    profiles: Mapping[str, str] | None = None  # vehicle -> profile/costing; None: defaults
    unreachable: Unreachable = "great_circle"

    def profile_for(self, vehicle: str) -> str:
        profiles = DEFAULT_PROFILES[self.engine] if self.profiles is None else self.profiles
        if vehicle not in profiles:
            raise self.server.error(
                msg(
                    "routing.no_profile",
                    engine=self.engine,
                    vehicle=repr(vehicle),
                    known=", ".join(sorted(profiles)),
                )
            )
        return profiles[vehicle]

    def matrices(self, places: Sequence[Place], vehicle: str) -> TravelMatrices:
        matrix = self.server_matrix(places, self.profile_for(vehicle))
        return self._travel_matrices(matrix, places, vehicle)

    def server_matrix(self, places: Sequence[Place], profile: str) -> ServerMatrix:
        """The server's answer for these places: from the cache, else asked and then cached.

        The cache answers a request it stored, or one whose places all lie in one stored
        answer (a team-day's places within its province's matrix, as `planner check` asks).
        """
        key = cache_key_text(self.engine, self.server.url, profile, places)
        if self.cache is not None:
            cached = self.cache.load(key) or self.cache.find_within(key, places)
            if cached is not None and cached.seconds.shape == (len(places), len(places)):
                return cached
        matrix = self.ask_server(places, profile)
        if self.cache is not None:
            self.cache.store(key, matrix)
        return matrix

    def ask_server(self, places: Sequence[Place], profile: str) -> ServerMatrix:
        """Every (source block, destination block) request, assembled into one matrix."""
        n = len(places)
        seconds = np.zeros((n, n))
        km = np.zeros((n, n))
        if n <= 1:
            return ServerMatrix(seconds=seconds, km=km)
        ask = osrm_table if self.engine == "osrm" else valhalla_sources_to_targets
        cuts = blocks(n, self.block_size)
        for rows in cuts:
            for cols in cuts:
                sources = [places[i] for i in rows]
                destinations = None if rows == cols else [places[j] for j in cols]
                block_seconds, block_km = ask(self.server, profile, sources, destinations)
                seconds[rows.start : rows.stop, cols.start : cols.stop] = block_seconds
                km[rows.start : rows.stop, cols.start : cols.stop] = block_km
        return ServerMatrix(seconds=seconds, km=km)

    def _travel_matrices(
        self, matrix: ServerMatrix, places: Sequence[Place], vehicle: str
    ) -> TravelMatrices:
        """Server seconds and km as planner matrices; pairs with no route per `unreachable`."""
        n = len(places)
        seconds = matrix.seconds.copy()
        km = matrix.km.copy()
        np.fill_diagonal(seconds, 0.0)
        np.fill_diagonal(km, 0.0)
        missing = np.isnan(seconds) | np.isnan(km)
        if missing.any():
            i, j = (int(x) for x in np.argwhere(missing)[0])
            pair = msg(
                "routing.pair", source=_place_text(i, places[i]), target=_place_text(j, places[j])
            )
            count = msg("routing.pairs", missing=int(missing.sum()), total=n * (n - 1))
            profile = self.profile_for(vehicle)
            if self.unreachable == "error":
                raise self.server.error(
                    msg("routing.no_route", count=count, profile=profile, pair=pair)
                )
            estimate = self.fallback.matrices(places, vehicle)
            seconds = np.where(missing, estimate.minutes * 60.0, seconds)
            km = np.where(missing, estimate.km, km)
            said = msg(
                "routing.fallback_used",
                url=self.server.url,
                count=count,
                profile=profile,
                pair=pair,
            )
            warnings.warn(UnroutablePairsWarning(said), stacklevel=3)
        return TravelMatrices(km=km, minutes=whole_minutes(seconds / 60.0))


def routing_server_travel(
    engine: Engine,
    *,
    url: str,
    fallback: GreatCircleTravel,
    cache_dir: Path | None,
    where: str = "",
    block_size: int = 100,
    timeout_seconds: float = 30.0,
    retries: int = 3,
    backoff_seconds: float = 0.5,
    unreachable: Unreachable = "great_circle",
) -> RoutingServerTravel:
    """A RoutingServerTravel from plain settings (cache_dir None: no disk cache)."""
    return RoutingServerTravel(
        engine=engine,
        server=RoutingServer(
            url=url,
            where=where,
            timeout_seconds=timeout_seconds,
            retries=retries,
            backoff_seconds=backoff_seconds,
        ),
        fallback=fallback,
        cache=None if cache_dir is None else MatrixCache(cache_dir),
        block_size=block_size,
        unreachable=unreachable,
    )

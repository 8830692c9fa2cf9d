"""A local routing server for the travel tests: OSRM's table API and Valhalla's matrix API.

It runs on 127.0.0.1 (port 0: the system picks a free one) in a thread, answers the two
documented request forms from a made-up road model that differs on purpose from the
great-circle model (so a test can tell whose minutes a plan used), and can be told to fail:
HTTP 503, a dropped connection, a slow answer, a body that is not JSON.

The road model, between places a and b (great-circle km d):
  seconds = 90 + d x 1.4 / 24 km/h x 3600, plus 67 s when b is north of a (so the matrix is
  not symmetric and a transposed block shows); metres = d x 1.4 x 1000; 0 from a place to
  itself; no route (null) between the two sides of `island_lon` when it is set.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from planner.travel import EARTH_RADIUS_KM, Place

OSRM_MAX_TABLE_SIZE = 100  # osrm-routed's default --max-table-size


@dataclass(frozen=True)
class RoadModel:
    """What the local server answers (see the module docstring)."""

    detour: float = 1.4
    kmh: float = 24.0
    fixed_seconds: float = 90.0
    north_seconds: float = 67.0
    island_lon: float | None = None

    @staticmethod
    def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
        """Haversine km, as planner.travel.great_circle_km, in plain floats (fast per pair)."""
        phi1, phi2 = math.radians(a[0]), math.radians(b[0])
        dphi, dlmb = phi2 - phi1, math.radians(b[1] - a[1])
        h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))

    def reachable(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        if self.island_lon is None:
            return True
        return (a[1] > self.island_lon) == (b[1] > self.island_lon)

    def seconds(self, a: tuple[float, float], b: tuple[float, float]) -> float | None:
        """Seconds from a to b ((lat, lon) pairs), None when no route."""
        if a == b:
            return 0.0
        if not self.reachable(a, b):
            return None
        road_km = self._km(a, b) * self.detour
        north = self.north_seconds if b[0] > a[0] else 0.0
        return float(round(self.fixed_seconds + road_km / self.kmh * 3600 + north))

    def metres(self, a: tuple[float, float], b: tuple[float, float]) -> float | None:
        if a == b:
            return 0.0
        if not self.reachable(a, b):
            return None
        return round(self._km(a, b) * self.detour * 1000, 1)

    def minutes(self, places: list[Place]) -> list[list[int | None]]:
        """The whole minutes a client should make of this model (None: no route)."""
        out: list[list[int | None]] = []
        for p in places:
            row: list[int | None] = []
            for q in places:
                s = self.seconds((p.lat, p.lon), (q.lat, q.lon))
                row.append(None if s is None else math.ceil(s / 60 - 1e-9))
            out.append(row)
        return out


class _QuietServer(ThreadingHTTPServer):
    """A threaded HTTP server that does not print a client's hang-up (a timed-out test)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@dataclass
class Request:
    method: str
    path: str
    sources: int
    destinations: int
    profile: str


@dataclass
class LocalRoutingServer:
    """The server's state: the model, failures still to inject, what it was asked."""

    model: RoadModel
    failures: list[str] = field(default_factory=list)  # "503", "drop", "slow", "garbage"
    valhalla_concise: bool = False
    slow_seconds: float = 1.0
    requests: list[Request] = field(default_factory=list)
    answered: dict[tuple[str, str], float] = field(default_factory=dict)  # OSRM text pairs
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    _http: ThreadingHTTPServer | None = None

    def start(self) -> None:
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                state._handle(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                state._handle(self, self.rfile.read(length))

        self._http = _QuietServer(("127.0.0.1", 0), Handler)
        host, port = self._http.server_address[:2]
        self.url = f"http://{host}:{port}"
        serve = self._http.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    # --- answering --------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes | None) -> None:
        with self.lock:
            failure = self.failures.pop(0) if self.failures else None
        if failure == "drop":
            handler.close_connection = True
            return
        if failure == "slow":
            time.sleep(self.slow_seconds)
        if failure == "503":
            self._send(handler, 503, {"code": "Busy", "message": "try again"})
            return
        if failure == "garbage":
            self._send_raw(handler, 200, b"<html>proxy error</html>")
            return
        path = urlsplit(handler.path).path
        if handler.command == "GET" and path.startswith("/table/v1/"):
            self._osrm_table(handler)
        elif handler.command == "POST" and path == "/sources_to_targets":
            self._valhalla(handler, json.loads(body or b"{}"))
        else:
            self._send(handler, 404, {"code": "NotFound", "message": "no such service"})

    def _osrm_table(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        _, _, _, profile, coordinates = parts.path.split("/", 4)
        texts = coordinates.split(";")
        points = [(float(t.split(",")[1]), float(t.split(",")[0])) for t in texts]
        query = parse_qs(parts.query)
        every = list(range(len(points)))
        sources = [int(i) for i in query["sources"][0].split(";")] if "sources" in query else every
        targets = (
            [int(i) for i in query["destinations"][0].split(";")]
            if "destinations" in query
            else every
        )
        self._record("GET", handler.path, len(sources), len(targets), profile)
        if len(sources) * len(targets) > OSRM_MAX_TABLE_SIZE**2:
            message = "Too many table coordinates"
            self._send(handler, 400, {"code": "TooBig", "message": message})
            return
        durations, distances = [], []
        for i in sources:
            durations.append([self.model.seconds(points[i], points[j]) for j in targets])
            distances.append([self.model.metres(points[i], points[j]) for j in targets])
            for j, seconds in zip(targets, durations[-1], strict=True):
                if seconds is not None:
                    with self.lock:
                        self.answered[(texts[i], texts[j])] = seconds
        self._send(
            handler,
            200,
            {
                "code": "Ok",
                "durations": durations,
                "distances": distances,
                "sources": [{"location": [points[i][1], points[i][0]]} for i in sources],
                "destinations": [{"location": [points[j][1], points[j][0]]} for j in targets],
            },
        )

    def _valhalla(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        sources = [(s["lat"], s["lon"]) for s in body["sources"]]
        targets = [(t["lat"], t["lon"]) for t in body["targets"]]
        self._record("POST", handler.path, len(sources), len(targets), body["costing"])
        if body.get("units") != "kilometers":
            self._send(handler, 400, {"error_code": 1, "error": "expected kilometers"})
            return

        def cell(i: int, j: int) -> tuple[int | None, float | None]:
            seconds = self.model.seconds(sources[i], targets[j])
            metres = self.model.metres(sources[i], targets[j])
            if seconds is None or metres is None:
                return None, None
            return round(seconds), round(metres / 1000, 3)

        cells = [[cell(i, j) for j in range(len(targets))] for i in range(len(sources))]
        if self.valhalla_concise:
            table: Any = {
                "durations": [[time for time, _ in row] for row in cells],
                "distances": [[km for _, km in row] for row in cells],
            }
        else:
            table = [
                [
                    {"from_index": i, "to_index": j, "time": time, "distance": km}
                    for j, (time, km) in enumerate(row)
                ]
                for i, row in enumerate(cells)
            ]
        self._send(handler, 200, {"sources_to_targets": table, "units": "kilometers"})

    def _record(self, method: str, path: str, n_sources: int, n_targets: int, profile: str) -> None:
        with self.lock:
            self.requests.append(Request(method, path, n_sources, n_targets, profile))

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        LocalRoutingServer._send_raw(handler, status, json.dumps(payload).encode("utf-8"))

    @staticmethod
    def _send_raw(handler: BaseHTTPRequestHandler, status: int, content: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(content)))
        handler.end_headers()
        handler.wfile.write(content)


@pytest.fixture
def road_server() -> Iterator[LocalRoutingServer]:
    """A local routing server; places east of 106.15 E are an island with no road to it."""
    server = LocalRoutingServer(RoadModel(island_lon=106.15))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def closed_port_url() -> str:
    """The URL of a port on this machine where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def grid_places(
    n: int, *, lat0: float = 21.10, lon0: float = 105.95, step: float = 0.004
) -> list[Place]:
    """n distinct places on a small lattice west of the island line, row by row."""
    side = math.ceil(math.sqrt(n))
    terrains = ("urban", "plain", "mountain")
    return [
        Place(lat0 + (k // side) * step, lon0 + (k % side) * step, terrains[k % 3])
        for k in range(n)
    ]


# The tiny road network of tests/data/travel (make_tiny_network.py): a 4 x 4 grid of roads
# 0.01 degree apart from (21.18, 106.06), and a road piece near (21.19, 106.205) joined to
# nothing, for the tests against a real engine.
TINY_SOUTH_WEST = (21.18, 106.06)
TINY_STEP = 0.01
TINY_ISLAND = Place(21.19, 106.205, "plain")


def grid_corner(row: int, col: int, terrain: str = "plain") -> Place:
    """A node of the tiny network's grid."""
    return Place(
        TINY_SOUTH_WEST[0] + row * TINY_STEP, TINY_SOUTH_WEST[1] + col * TINY_STEP, terrain
    )


def manhattan_km(a: Place, b: Place) -> float:
    """Along the grid: the east-west leg at a's latitude, then the north-south leg."""
    return RoadModel._km((a.lat, a.lon), (a.lat, b.lon)) + RoadModel._km(
        (a.lat, b.lon), (b.lat, b.lon)
    )

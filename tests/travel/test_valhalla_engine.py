"""The Valhalla source against a real Valhalla engine on a tiny hand-made road network.

The engine is pyvalhalla (the `dev` extra: 3.2.0 on Python 3.11), reading the tiles in
tests/data/travel/valhalla_tiles/ (a 4 x 4 grid of roads near Bắc Ninh and one road piece
joined to nothing; tests/data/travel/make_tiny_network.py rebuilds them). pyvalhalla has
no HTTP service on Python 3.11, so a few lines of http.server hand each POST body to the
engine's own `matrix` action unchanged and return its answer (or its error as HTTP 400),
as valhalla_service does. Under CI the test fails, rather than skips, without pyvalhalla.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from planner.travel import Place, RoutingServerError, UnroutablePairsWarning
from tests.travel.conftest import TINY_ISLAND as ISLAND
from tests.travel.conftest import grid_corner, manhattan_km
from tests.travel.test_routing_server import source

if os.environ.get("CI"):
    import valhalla
else:
    valhalla = pytest.importorskip("valhalla", reason="pyvalhalla is in the dev extra")

TILES = Path(__file__).resolve().parents[1] / "data" / "travel" / "valhalla_tiles"


def engine_actor(work: Path) -> Any:
    """The pyvalhalla engine over the tiny network's tiles (no tar extract).

    Written for pyvalhalla 3.2 and 3.9 alike: 3.9's get_config wants an existing extract
    or "", and 3.2's engine cannot open "" (so it gets a path where no file is).
    """
    config = valhalla.get_config(tile_extract="", tile_dir=str(TILES))
    config["mjolnir"]["tile_extract"] = str(work / "no-extract.tar")
    return valhalla.Actor(config)


@contextmanager
def engine_server(work: Path) -> Iterator[str]:
    """A local HTTP front for the engine: POST /sources_to_targets -> Actor.matrix."""
    actor = engine_actor(work)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            status = 200
            try:
                if self.path != "/sources_to_targets":
                    raise RuntimeError(json.dumps({"error": f"no action {self.path}"}))
                with lock:
                    answer = actor.matrix(body)
            except RuntimeError as refused:
                status, answer = 400, str(refused)
            content = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def valhalla_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with engine_server(tmp_path_factory.mktemp("valhalla")) as url:
        yield url


def test_grid_matrix_from_the_engine(valhalla_url: str, tmp_path: Path) -> None:
    places = [grid_corner(0, 0), grid_corner(3, 3), grid_corner(1, 2), grid_corner(3, 0)]
    matrices = source("valhalla", valhalla_url).matrices(places, "car")
    locations = [{"lat": p.lat, "lon": p.lon} for p in places]
    request = {"sources": locations, "targets": locations, "costing": "auto", "units": "kilometers"}
    direct = engine_actor(tmp_path).matrix(request)
    for i, row in enumerate(direct["sources_to_targets"]):
        for cell in row:
            j = cell["to_index"]
            if i == j:
                continue
            assert matrices.minutes[i, j] == math.ceil(cell["time"] / 60)
            assert matrices.km[i, j] == pytest.approx(cell["distance"])
    # The roads follow the grid: corner to corner is the Manhattan distance.
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            assert matrices.km[i, j] == pytest.approx(manhattan_km(a, b), abs=0.05)
    assert (np.diag(matrices.minutes) == 0).all()
    # 6.45 km at 30-60 km/h: between 6 and 13 minutes.
    assert 6 <= matrices.minutes[0, 1] <= 13


def test_blocks_match_one_request(valhalla_url: str) -> None:
    places = [grid_corner(r, c) for r in range(4) for c in range(4)][::2]
    whole = source("valhalla", valhalla_url, block_size=100).matrices(places, "car")
    in_blocks = source("valhalla", valhalla_url, block_size=3).matrices(places, "car")
    assert (in_blocks.minutes == whole.minutes).all()
    assert np.allclose(in_blocks.km, whole.km)


def test_motorbike_costing(valhalla_url: str) -> None:
    places = [grid_corner(0, 0), grid_corner(3, 3)]
    motorbike = source("valhalla", valhalla_url).matrices(places, "motorbike")
    assert motorbike.km[0, 1] == pytest.approx(manhattan_km(*places), abs=0.05)
    assert motorbike.minutes[0, 1] > 0


def test_island_has_no_road(valhalla_url: str) -> None:
    places = [grid_corner(0, 0), grid_corner(1, 1), ISLAND]
    with pytest.warns(UnroutablePairsWarning, match="no road route for 4 of 6 place pairs"):
        source("valhalla", valhalla_url).matrices(places, "car")
    with pytest.raises(RoutingServerError, match=r"to place 2 \(21.19000, 106.20500\)"):
        source("valhalla", valhalla_url, unreachable="error").matrices(places, "car")


def test_engine_refusal_is_one_line(valhalla_url: str) -> None:
    far = [grid_corner(0, 0), Place(10.77, 106.70, "urban")]  # Ho Chi Minh City: no tiles there
    with pytest.raises(RoutingServerError) as caught:
        source("valhalla", valhalla_url).matrices(far, "car")
    message = str(caught.value)
    assert "refused the sources_to_targets request of 2 x 2 places (costing auto)" in message
    assert "HTTP 400" in message and "\n" not in message


def test_cache_answers_when_the_engine_is_gone(tmp_path: Path) -> None:
    places = [grid_corner(0, 0), grid_corner(2, 1), grid_corner(3, 3), ISLAND]
    with engine_server(tmp_path) as url, pytest.warns(UnroutablePairsWarning):
        first = source("valhalla", url, tmp_path / "cache").matrices(places, "car")
    # The engine's front is shut: nothing listens at that URL any more.
    with pytest.raises(RoutingServerError, match="connection refused"):
        source("valhalla", url, None, retries=0).matrices(places, "car")
    with pytest.warns(UnroutablePairsWarning):
        again = source("valhalla", url, tmp_path / "cache").matrices(places, "car")
    assert (again.minutes == first.minutes).all()
    assert np.array_equal(again.km, first.km)

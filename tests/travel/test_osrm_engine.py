"""The OSRM source against a real osrm-routed on the tiny network (opt-in).

OSRM has no Python 3.11 package that runs a server (osrm-bindings ships cp312-abi3 wheels
only, with the osrm-* executables inside), so this test runs only when PLANNER_OSRM_BIN
names a folder with osrm-extract, osrm-partition, osrm-customize and osrm-routed, e.g.

    python3.12 -m pip download --no-deps --only-binary=:all: osrm-bindings -d /tmp/osrm
    cd /tmp/osrm && unzip -q osrm_bindings-*.whl && chmod +x osrm/bin/*
    PLANNER_OSRM_BIN=/tmp/osrm/osrm/bin .venv/bin/pytest tests/travel/test_osrm_engine.py

The car profile is PLANNER_OSRM_PROFILE, else ../share/profiles/car.lua beside the bin
folder (the wheel's layout), else /opt/car.lua (the osrm/osrm-backend image's layout).
Everything the test starts listens on 127.0.0.1 and is stopped by its process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from planner.travel import Place, RoutingServerError, UnroutablePairsWarning
from tests.travel.conftest import TINY_ISLAND as ISLAND
from tests.travel.conftest import grid_corner, manhattan_km
from tests.travel.test_routing_server import source

NETWORK = Path(__file__).resolve().parents[1] / "data" / "travel" / "tiny_grid.osm.pbf"
BIN = os.environ.get("PLANNER_OSRM_BIN", "")

pytestmark = pytest.mark.skipif(
    not BIN, reason="set PLANNER_OSRM_BIN to a folder with the osrm-* executables"
)


def car_profile(bin_dir: Path) -> Path:
    candidates = [
        os.environ.get("PLANNER_OSRM_PROFILE", ""),
        str(bin_dir.parent / "share" / "profiles" / "car.lua"),
        "/opt/car.lua",
    ]
    return next(Path(c) for c in candidates if c and Path(c).is_file())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def osrm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    bin_dir = Path(BIN)
    work = tmp_path_factory.mktemp("osrm")
    shutil.copy(NETWORK, work / "tiny.osm.pbf")
    quiet = {"cwd": work, "check": True, "capture_output": True}
    subprocess.run([bin_dir / "osrm-extract", "-p", car_profile(bin_dir), "tiny.osm.pbf"], **quiet)
    subprocess.run([bin_dir / "osrm-partition", "tiny.osrm"], **quiet)
    subprocess.run([bin_dir / "osrm-customize", "tiny.osrm"], **quiet)
    port = free_port()
    routed = subprocess.Popen(
        [
            bin_dir / "osrm-routed",
            "--algorithm",
            "mld",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "--max-table-size",
            "6",
            "tiny.osrm",
        ],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{url}/nearest/v1/driving/106.06,21.18", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or routed.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        routed.terminate()
        routed.wait(timeout=10)


def test_grid_matrix_from_osrm(osrm_url: str) -> None:
    places = [grid_corner(0, 0), grid_corner(3, 3), grid_corner(1, 2), grid_corner(3, 0)]
    matrices = source("osrm", osrm_url).matrices(places, "car")
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            assert matrices.km[i, j] == pytest.approx(manhattan_km(a, b), abs=0.05)
    assert (np.diag(matrices.minutes) == 0).all()
    assert 6 <= matrices.minutes[0, 1] <= 15


def test_blocks_within_the_servers_table_limit(osrm_url: str) -> None:
    """--max-table-size 6: 9 places at once is refused; blocks of 3 are not, and agree."""
    places: list[Place] = [grid_corner(r, c) for r in range(4) for c in range(4)][::2][:9]
    with pytest.raises(RoutingServerError, match="TooBig"):
        source("osrm", osrm_url, block_size=9).matrices(places, "car")
    in_blocks = source("osrm", osrm_url, block_size=3).matrices(places, "car")
    in_pairs = source("osrm", osrm_url, block_size=2).matrices(places, "car")
    assert (in_blocks.minutes == in_pairs.minutes).all()
    assert np.allclose(in_blocks.km, in_pairs.km)


def test_island_has_no_road(osrm_url: str) -> None:
    places = [grid_corner(0, 0), grid_corner(1, 1), ISLAND]
    with pytest.warns(UnroutablePairsWarning, match="no road route for 4 of 6 place pairs"):
        source("osrm", osrm_url).matrices(places, "car")

"""The on-disk cache of routing-server matrices: keys, re-runs without a server, atomic writes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from planner.scenario.schema import Travel
from planner.travel import (
    GreatCircleTravel,
    MatrixCache,
    Place,
    RoutingServerError,
    RoutingServerTravel,
    ServerMatrix,
    UnroutablePairsWarning,
    cache_key_text,
    travel_source,
)
from tests.travel.conftest import LocalRoutingServer, closed_port_url, grid_places
from tests.travel.test_routing_server import ISLAND, source


@pytest.mark.parametrize("engine", ["osrm", "valhalla"])
def test_rerun_does_not_ask_the_server(
    road_server: LocalRoutingServer, tmp_path: Path, engine: str
) -> None:
    places = grid_places(12)
    first = source(engine, road_server.url, tmp_path, block_size=5).matrices(places, "car")
    asked = len(road_server.requests)
    assert asked == 9
    assert len(list(tmp_path.glob("*.npz"))) == 1
    road_server.stop()  # the second run must not need it
    again = source(engine, road_server.url, tmp_path, block_size=5).matrices(places, "car")
    assert (again.minutes == first.minutes).all()
    assert np.array_equal(again.km, first.km)
    # Without the cache the same call fails: the server really is gone.
    with pytest.raises(RoutingServerError, match="connection refused"):
        source(engine, road_server.url, None, retries=0).matrices(places, "car")


def test_vehicles_with_one_profile_share_an_entry(
    road_server: LocalRoutingServer, tmp_path: Path
) -> None:
    """OSRM asks "driving" for cars and motorbikes: the second vehicle is a cache hit."""
    places = grid_places(4)
    travel = source("osrm", road_server.url, tmp_path)
    car = travel.matrices(places, "car")
    motorbike = travel.matrices(places, "motorbike")
    assert len(road_server.requests) == 1
    assert (car.minutes == motorbike.minutes).all()
    valhalla = source("valhalla", road_server.url, tmp_path)
    valhalla.matrices(places, "car")
    valhalla.matrices(places, "motorbike")
    assert [r.profile for r in road_server.requests[1:]] == ["auto", "motorcycle"]
    assert len(list(tmp_path.glob("*.npz"))) == 3


def test_key_is_the_request_content() -> None:
    places = grid_places(3)
    key = cache_key_text("osrm", "http://h:5000", "driving", places)
    assert key == cache_key_text("osrm", "http://h:5000/", "driving", places)
    others = [
        cache_key_text("valhalla", "http://h:5000", "driving", places),
        cache_key_text("osrm", "http://other:5000", "driving", places),
        cache_key_text("osrm", "http://h:5000", "bike", places),
        cache_key_text("osrm", "http://h:5000", "driving", places[::-1]),
        cache_key_text("osrm", "http://h:5000", "driving", places[:2]),
        cache_key_text(
            "osrm",
            "http://h:5000",
            "driving",
            [Place(places[0].lat + 1e-12, places[0].lon, "plain"), *places[1:]],
        ),
    ]
    assert len({key, *others}) == 1 + len(others)
    # The terrain is not part of a server request, so not of its key either.
    same_spots = [Place(p.lat, p.lon, "mountain") for p in places]
    assert cache_key_text("osrm", "http://h:5000", "driving", same_spots) == key


def test_unreachable_pairs_are_cached_as_no_route(
    road_server: LocalRoutingServer, tmp_path: Path
) -> None:
    places = [*grid_places(2), ISLAND]
    with pytest.warns(UnroutablePairsWarning):
        first = source("osrm", road_server.url, tmp_path).matrices(places, "car")
    road_server.stop()
    with pytest.warns(UnroutablePairsWarning, match="no road route for 4 of 6 place pairs"):
        again = source("osrm", road_server.url, tmp_path).matrices(places, "car")
    assert (again.minutes == first.minutes).all()
    (entry,) = tmp_path.glob("*.npz")
    with np.load(entry) as stored:
        assert np.isnan(stored["seconds"][0, 2]) and np.isnan(stored["km"][2, 1])


def test_damaged_entry_is_asked_again(road_server: LocalRoutingServer, tmp_path: Path) -> None:
    places = grid_places(3)
    first = source("osrm", road_server.url, tmp_path).matrices(places, "car")
    (entry,) = tmp_path.glob("*.npz")
    entry.write_bytes(b"PK\x03\x04 not a whole zip file")
    again = source("osrm", road_server.url, tmp_path).matrices(places, "car")
    assert len(road_server.requests) == 2
    assert (again.minutes == first.minutes).all()
    assert MatrixCache(tmp_path).load(cache_key_text("osrm", road_server.url, "driving", places))


def test_entry_of_another_key_is_not_used(tmp_path: Path) -> None:
    """A file whose stored key differs (a hash collision, a renamed file) is a miss."""
    cache = MatrixCache(tmp_path)
    matrix = ServerMatrix(seconds=np.zeros((2, 2)), km=np.zeros((2, 2)))
    key = cache_key_text("osrm", "http://a", "driving", grid_places(2))
    other = cache_key_text("osrm", "http://b", "driving", grid_places(2))
    cache.store(other, matrix).rename(cache.path_for(key))
    assert cache.load(key) is None
    assert cache.load(other) is None  # moved away
    cache.store(key, matrix)
    assert cache.load(key) is not None


def test_writers_in_two_processes_never_leave_a_partial_file(tmp_path: Path) -> None:
    """Two processes store the same key 40 times each while this one reads it."""
    n = 120
    key = cache_key_text("osrm", "http://race", "driving", grid_places(n))
    writer = textwrap.dedent(
        f"""
        import numpy as np
        from pathlib import Path
        from planner.travel import MatrixCache, ServerMatrix
        cache = MatrixCache(Path({str(tmp_path)!r}))
        seconds = np.arange({n * n}, dtype=float).reshape({n}, {n})
        for _ in range(40):
            cache.store({key!r}, ServerMatrix(seconds=seconds, km=seconds / 100))
        """
    )
    workers = [subprocess.Popen([sys.executable, "-c", writer]) for _ in range(2)]
    cache = MatrixCache(tmp_path)
    expected = np.arange(n * n, dtype=float).reshape(n, n)
    reads = 0
    while any(w.poll() is None for w in workers):
        # Once the file is there it is always whole: a load never finds a part of one.
        there = cache.path_for(key).exists()
        stored = cache.load(key)
        if there:
            assert stored is not None
        if stored is not None:
            assert np.array_equal(stored.seconds, expected)
            assert np.array_equal(stored.km, expected / 100)
            reads += 1
    assert [w.returncode for w in workers] == [0, 0]
    assert reads > 0
    assert [p.name for p in tmp_path.iterdir()] == [cache.path_for(key).name]  # no temp files


def test_travel_source_resolves_the_cache_beside_the_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "plans" / "roads.toml"
    settings = Travel(source="valhalla", url="http://localhost:8002", cache_dir="cache/travel")
    travel = travel_source(settings, scenario)
    assert isinstance(travel, RoutingServerTravel)
    assert travel.cache == MatrixCache((tmp_path / "plans" / "cache" / "travel").resolve())
    assert travel.engine == "valhalla" and travel.server.url == "http://localhost:8002"
    assert travel.block_size == 100 and travel.server.retries == 3
    assert travel.fallback == GreatCircleTravel(1.3, travel.fallback.speeds_kmh)
    assert travel.server.where == str(scenario)
    assert isinstance(travel_source(Travel(), scenario), GreatCircleTravel)


def test_cache_folder_is_made_when_first_written(
    road_server: LocalRoutingServer, tmp_path: Path
) -> None:
    folder = tmp_path / "not" / "yet"
    source("osrm", road_server.url, folder).matrices(grid_places(2), "car")
    assert len(list(folder.glob("*.npz"))) == 1
    # ... and nothing is written when the server is down.
    down = tmp_path / "down"
    with pytest.raises(RoutingServerError):
        source("osrm", closed_port_url(), down, retries=0).matrices(grid_places(2), "car")
    assert not down.exists()


def test_places_within_a_stored_matrix_are_cut_out_of_it(
    road_server: LocalRoutingServer, tmp_path: Path
) -> None:
    """A team-day's places, read back from a plan with 6 decimals, reuse the province's answer."""
    province = [
        Place(21.1 + k * 0.0123456789, 106.0 + k * 0.00987654321, "plain") for k in range(9)
    ]
    whole = source("osrm", road_server.url, tmp_path).matrices(province, "car")
    road_server.stop()
    order = [6, 2, 8, 2]  # as a route visits them, a place twice
    as_written = [
        Place(float(f"{province[k].lat:.6f}"), float(f"{province[k].lon:.6f}"), "urban")
        for k in order
    ]
    team_day = source("osrm", road_server.url, tmp_path).matrices(as_written, "motorbike")
    assert (
        team_day.minutes == whole.minutes[np.ix_(order, order)] * (1 - np.eye(4, dtype=int))
    ).all()
    assert team_day.minutes[0, 1] != team_day.minutes[1, 0]  # not transposed
    # A place the province never asked for, or another profile, still needs the server.
    with pytest.raises(RoutingServerError, match="connection refused"):
        source("osrm", road_server.url, tmp_path, retries=0).matrices(
            [*as_written, Place(21.0, 105.9, "plain")], "car"
        )
    with pytest.raises(RoutingServerError, match="connection refused"):
        source("valhalla", road_server.url, tmp_path, retries=0).matrices(as_written, "car")

"""OSRM and Valhalla sources against the local routing server (tests/travel/conftest.py).

What is checked: the matrix is the server's (km from metres, minutes rounded up, diagonal
0, rows and columns not swapped), blocks, retries, a server that is down or answers
nonsense (one line naming the URL), pairs with no route, and pickling for worker processes.
"""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

from planner.errors import PlannerError
from planner.travel import (
    GreatCircleTravel,
    Place,
    RoutingServerError,
    RoutingServerTravel,
    UnroutablePairsWarning,
    routing_server_travel,
    whole_minutes,
)
from planner.travel.engines import blocks
from tests.travel.conftest import LocalRoutingServer, closed_port_url, grid_places

GREAT_CIRCLE = GreatCircleTravel(
    1.3,
    {
        "car": {"urban": 30.0, "plain": 50.0, "mountain": 35.0},
        "motorbike": {"urban": 25.0, "plain": 40.0, "mountain": 30.0},
    },
)
ISLAND = Place(21.19, 106.205, "plain")


def source(
    engine: str, url: str, cache_dir: Path | None = None, **options: object
) -> RoutingServerTravel:
    settings: dict[str, object] = {"retries": 3, "timeout_seconds": 5.0, "backoff_seconds": 0.0}
    settings.update(options)
    return routing_server_travel(
        engine,  # type: ignore[arg-type]
        url=url,
        fallback=GREAT_CIRCLE,
        cache_dir=cache_dir,
        where="scenarios/roads.toml",
        **settings,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("engine", ["osrm", "valhalla"])
def test_matrix_is_the_servers_answer(road_server: LocalRoutingServer, engine: str) -> None:
    places = grid_places(7)
    matrices = source(engine, road_server.url).matrices(places, "car")
    expected = np.array(road_server.model.minutes(places))
    assert matrices.minutes.dtype == np.int32
    assert (matrices.minutes == expected).all()
    # Not symmetric on purpose (67 s more going north): a transposed block would show here.
    assert (matrices.minutes != matrices.minutes.T).any()
    assert (np.diag(matrices.minutes) == 0).all() and (np.diag(matrices.km) == 0).all()
    a, b = places[0], places[5]
    metres = road_server.model.metres((a.lat, a.lon), (b.lat, b.lon))
    assert metres is not None
    assert matrices.km[0, 5] == pytest.approx(metres / 1000, abs=1e-3)
    # ... and not the great-circle model's (a different speed and a fixed 90 s per leg).
    assert (matrices.minutes != GREAT_CIRCLE.matrices(places, "car").minutes).any()


def test_minutes_are_rounded_up() -> None:
    """Any part of a minute counts as a minute; float noise does not; diagonal 0."""
    minutes = whole_minutes(
        np.array([[5.0, 59.9 / 60, 1 + 1e-12], [61 / 60, 0.0, 2.0]]).reshape(2, 3)[:, :2]
    )
    assert minutes.tolist() == [[0, 1], [2, 0]]
    assert whole_minutes(np.array([[0.0, 1 + 1e-12], [0.01, 0.0]])).tolist() == [[0, 1], [1, 0]]


def test_profiles_by_vehicle(road_server: LocalRoutingServer) -> None:
    places = grid_places(3)
    source("osrm", road_server.url).matrices(places, "motorbike")
    source("valhalla", road_server.url).matrices(places, "car")
    source("valhalla", road_server.url).matrices(places, "motorbike")
    assert [r.profile for r in road_server.requests] == ["driving", "auto", "motorcycle"]
    with pytest.raises(RoutingServerError, match="no osrm profile for vehicle 'boat'"):
        source("osrm", road_server.url).matrices(places, "boat")


def test_blocks_cover_every_place_once() -> None:
    assert blocks(250, 100) == [range(0, 100), range(100, 200), range(200, 250)]
    assert blocks(3, 100) == [range(0, 3)]
    assert blocks(0, 100) == []


@pytest.mark.parametrize("engine", ["osrm", "valhalla"])
def test_blocks_give_the_same_matrix(road_server: LocalRoutingServer, engine: str) -> None:
    """250 places in blocks of 100: 9 requests, none over 100 a side, one matrix."""
    places = grid_places(250)
    in_blocks = source(engine, road_server.url, block_size=100).matrices(places, "car")
    assert len(road_server.requests) == 9
    assert max(max(r.sources, r.destinations) for r in road_server.requests) == 100
    assert sorted((r.sources, r.destinations) for r in road_server.requests) == sorted(
        (a, b) for a in (100, 100, 50) for b in (100, 100, 50)
    )
    assert (in_blocks.minutes == np.array(road_server.model.minutes(places))).all()
    if engine == "osrm":  # one request of 250 x 250 is over osrm-routed's default limit
        with pytest.raises(RoutingServerError, match="TooBig"):
            source(engine, road_server.url, block_size=250).matrices(places, "car")
    else:
        at_once = source(engine, road_server.url, block_size=250).matrices(places, "car")
        assert (in_blocks.minutes == at_once.minutes).all()
        assert np.allclose(in_blocks.km, at_once.km)


def test_one_place_or_none_asks_nothing(road_server: LocalRoutingServer) -> None:
    one = source("osrm", road_server.url).matrices(grid_places(1), "car")
    none = source("osrm", road_server.url).matrices([], "car")
    assert one.minutes.tolist() == [[0]] and one.km.tolist() == [[0.0]]
    assert none.minutes.shape == (0, 0)
    assert road_server.requests == []


@pytest.mark.parametrize("failure", ["503", "drop"])
def test_retries_then_answers(road_server: LocalRoutingServer, failure: str) -> None:
    road_server.failures = [failure, failure]
    places = grid_places(4)
    matrices = source("osrm", road_server.url, retries=2).matrices(places, "car")
    assert (matrices.minutes == np.array(road_server.model.minutes(places))).all()
    assert len(road_server.failures) == 0


def test_gives_up_after_the_last_retry(road_server: LocalRoutingServer) -> None:
    road_server.failures = ["503"] * 5
    with pytest.raises(RoutingServerError) as caught:
        source("valhalla", road_server.url, retries=2).matrices(grid_places(4), "car")
    message = str(caught.value)
    assert message.startswith(f"scenarios/roads.toml, field 'travel.url': {road_server.url}: ")
    assert "no answer after 3 tries (HTTP 503: Busy try again)" in message
    assert "\n" not in message
    assert road_server.failures == ["503", "503"]


def test_server_down_is_one_clear_line() -> None:
    url = closed_port_url()
    with pytest.raises(PlannerError) as caught:
        source("osrm", url, retries=3).matrices(grid_places(3), "car")
    assert str(caught.value) == (
        f"scenarios/roads.toml, field 'travel.url': {url}: no answer after 4 tries "
        "(connection refused) to the table request of 3 x 3 places (profile driving)"
    )


def test_slow_server_times_out(road_server: LocalRoutingServer) -> None:
    road_server.failures = ["slow", "slow"]
    road_server.slow_seconds = 1.0
    with pytest.raises(
        RoutingServerError, match=r"no answer after 2 tries \(no answer within 0.2 s\)"
    ):
        source("osrm", road_server.url, retries=1, timeout_seconds=0.2).matrices(
            grid_places(3), "car"
        )


def test_not_json_is_not_retried(road_server: LocalRoutingServer) -> None:
    road_server.failures = ["garbage"]
    with pytest.raises(RoutingServerError, match="not JSON: '<html>proxy error</html>'"):
        source("osrm", road_server.url).matrices(grid_places(3), "car")
    assert len(road_server.requests) == 0  # the garbage came before the table was asked


def test_refusal_is_not_retried(road_server: LocalRoutingServer) -> None:
    with pytest.raises(RoutingServerError) as caught:
        source("osrm", road_server.url, block_size=150).matrices(grid_places(150), "car")
    assert "refused the table request of 150 x 150 places (profile driving)" in str(caught.value)
    assert "HTTP 400: TooBig Too many table coordinates" in str(caught.value)
    assert len(road_server.requests) == 1


def test_wrong_service_or_url(road_server: LocalRoutingServer) -> None:
    with pytest.raises(RoutingServerError, match="HTTP 404"):
        source("osrm", road_server.url + "/nowhere").matrices(grid_places(2), "car")
    with pytest.raises(RoutingServerError, match="is not an http:// or https:// URL"):
        source("osrm", "localhost:5000").matrices(grid_places(2), "car")


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"code": "NoTable"}, "with code 'NoTable', expected 'Ok'"),
        ({"code": "Ok", "durations": [[0]]}, "without durations and distances"),
        ({"code": "Ok", "durations": [[0, 1]], "distances": [[0, 1]]}, "not 2 x 2"),
        (
            {"code": "Ok", "durations": [[0, -4], [3, 0]], "distances": [[0, 1], [1, 0]]},
            "answered -4 in 'durations' row 0, column 1",
        ),
        (
            {"code": "Ok", "durations": [[0, "x"], [3, 0]], "distances": [[0, 1], [1, 0]]},
            "answered 'x' in 'durations'",
        ),
        ([1, 2], "with code None"),
    ],
)
def test_nonsense_answers(
    road_server: LocalRoutingServer, monkeypatch: pytest.MonkeyPatch, payload: object, problem: str
) -> None:
    def answer_nonsense(self: LocalRoutingServer, handler: object) -> None:
        self._send(handler, 200, payload)  # type: ignore[arg-type]

    monkeypatch.setattr(LocalRoutingServer, "_osrm_table", answer_nonsense)
    with pytest.raises(RoutingServerError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        source("osrm", road_server.url).matrices(grid_places(2), "car")


def test_valhalla_concise_answer(road_server: LocalRoutingServer) -> None:
    road_server.valhalla_concise = True
    places = grid_places(5)
    matrices = source("valhalla", road_server.url).matrices(places, "car")
    assert (matrices.minutes == np.array(road_server.model.minutes(places))).all()


@pytest.mark.parametrize("engine", ["osrm", "valhalla"])
def test_unreachable_pairs_fall_back_to_great_circle(
    road_server: LocalRoutingServer, engine: str
) -> None:
    places = [*grid_places(3), ISLAND]
    with pytest.warns(UnroutablePairsWarning) as caught:
        matrices = source(engine, road_server.url).matrices(places, "car")
    (warning,) = caught
    assert str(warning.message) == (
        f"travel.url {road_server.url}: no road route for 6 of 12 place pairs "
        f"(profile {'driving' if engine == 'osrm' else 'auto'}), e.g. from "
        "place 0 (21.10000, 105.95000) to place 3 (21.19000, 106.20500); "
        "great-circle estimates used for them"
    )
    estimate = GREAT_CIRCLE.matrices(places, "car")
    assert (matrices.minutes[:3, 3] == estimate.minutes[:3, 3]).all()
    assert (matrices.minutes[3, :3] == estimate.minutes[3, :3]).all()
    assert np.allclose(matrices.km[3, :3], estimate.km[3, :3])
    served = np.array(road_server.model.minutes(places[:3]))
    assert (matrices.minutes[:3, :3] == served).all()


def test_unreachable_pairs_as_an_error(road_server: LocalRoutingServer) -> None:
    places = [*grid_places(2), ISLAND]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RoutingServerError) as caught:
            source("osrm", road_server.url, unreachable="error").matrices(places, "car")
    assert str(caught.value).endswith(
        "found no road route for 4 of 6 place pairs (profile driving), e.g. from "
        "place 0 (21.10000, 105.95000) to place 2 (21.19000, 106.20500)"
    )


def test_source_and_error_pickle(road_server: LocalRoutingServer, tmp_path: Path) -> None:
    """Province tasks carry the source to worker processes, and errors come back."""
    travel = source("osrm", road_server.url, cache_dir=tmp_path)
    again = pickle.loads(pickle.dumps(travel))
    assert again == travel
    places = grid_places(3)
    assert (again.matrices(places, "car").minutes == travel.matrices(places, "car").minutes).all()
    error = RoutingServerError("a.toml", "http://x", "no answer after 4 tries (connection refused)")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is RoutingServerError and str(back) == str(error)


@pytest.mark.parametrize(
    ("lang", "start", "words"),
    [
        ("vi", "planner: cảnh báo: travel.url http://x:5000: ", "ước tính theo đường chim bay"),
        ("en", "planner: warning: travel.url http://x:5000: ", "great-circle estimates used"),
    ],
)
def test_the_fallback_warning_is_one_line_in_the_commands_language(
    lang: str,
    start: str,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # a command that meets unroutable pairs (the warning of matrices(), raised deep down)
    # prints it as one line in its language, not Python's "file:line: Category: ..." form
    import planner.cli as cli
    from planner.messages import msg

    said = msg(
        "routing.fallback_used",
        url="http://x:5000",
        count=msg("routing.pairs", missing=6, total=12),
        profile="driving",
        pair=msg("routing.pair", source="place 0", target="place 3"),
    )

    def command(args: object) -> int:
        warnings.warn(UnroutablePairsWarning(said), stacklevel=2)
        return 0

    monkeypatch.setattr(cli, "_cmd_schema", command)
    monkeypatch.setenv("PLANNER_LANG", lang)
    assert cli.main(["schema"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(start) and words in lines[0], lines[0]
    assert "UnroutablePairsWarning" not in lines[0]

"""A user's mistake found in a worker process reaches the command line whole."""

from __future__ import annotations

import pickle

from planner.errors import DataError, ScenarioError


def test_errors_survive_the_trip_back_from_a_worker_process() -> None:
    for error in (
        DataError("done.csv", "no pass of team X", row=4, field="commune_code"),
        DataError("communes.gpkg", "no coordinate reference system"),
        ScenarioError("wave.toml", "must be at least 1", field="teams.rule.crew"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert str(back) == str(error)
        assert back.__dict__ == error.__dict__

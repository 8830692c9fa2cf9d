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


def test_error_classes_live_in_errors_py() -> None:
    """Every exception class of the package is in planner/errors.py, but for the few below:
    private signals caught in their own module."""
    import ast
    from pathlib import Path

    import planner

    root = Path(planner.__file__).parent
    kept = {
        "reports.py:_Bad",  # a cell's value, caught by its row reader
        "travel/engines.py:_PassingFailure",  # a failure worth another try, caught by the retry
        "scenario/schema.py:FieldProblem",  # a pydantic validator's ValueError, with its field
    }
    found = set()
    for path in sorted(root.rglob("*.py")):
        if path == root / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            ]
            if any(b in ("Exception", "BaseException") or b.endswith("Error") for b in bases):
                found.add(f"{path.relative_to(root).as_posix()}:{node.name}")
    assert found == kept

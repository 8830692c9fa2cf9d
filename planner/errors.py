"""The few error classes the planner raises for a user's mistake.

Every message names the file, the row or field, and what was expected, so that the command
line can print it as one line and exit non-zero without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class PlannerError(Exception):
    """Base class of every error caused by the user's input, not by a bug."""


class DataError(PlannerError, ValueError):
    """A geographic or tabular data file is missing, unreadable or invalid."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        row: int | str | None = None,
        field: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.field = field
        self.sheet = sheet  # the sheet of a workbook, when the file is one
        self.problem = problem
        where = self.path
        if sheet is not None:
            where += f", sheet '{sheet}'"
        if row is not None:
            where += f", row {row}"
        if field is not None:  # in a workbook's sheet, a field is a column
            where += f", {'field' if sheet is None else 'column'} '{field}'"
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process, it must come back to the parent whole (pickle).
        return (_data_error, (self.path, self.problem, self.row, self.field, self.sheet))


class ScenarioError(PlannerError, ValueError):
    """A scenario file is missing, malformed or inconsistent with the data."""

    def __init__(self, path: str | Path, problem: str, field: str | None = None) -> None:
        self.path = str(path)
        self.field = field
        self.problem = problem
        where = self.path if field is None else f"{self.path}, field '{field}'"
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        return (ScenarioError, (self.path, self.problem, self.field))


class UsageError(PlannerError):
    """A mistake on the command line (an unknown option, a bad value)."""


class PlanCheckError(PlannerError):
    """A written plan breaks a rule of its scenario (raised by `planner check`)."""


def _data_error(
    path: str,
    problem: str,
    row: int | str | None,
    field: str | None,
    sheet: str | None = None,
) -> DataError:
    return DataError(path, problem, row=row, field=field, sheet=sheet)


class BoundBelowPlanError(RuntimeError):
    """The upper bound came out below a plan's value: a bug in the bound, never the user's.

    The bound (planner/solve/bound.py) is a relaxation of the rules the plan keeps, so no
    feasible plan can exceed it; a plan above it means the relaxation dropped a way to earn
    value that the solver found. The run stops loudly rather than report a bound that hides it.
    """


class OutputFolderError(PlannerError):
    """An output folder that cannot be used: not the planner's, in use, or not writable."""


class RoutingServerError(PlannerError):
    """The routing server could not be reached, refused a request, or answered nonsense."""

    def __init__(self, where: str, url: str, problem: str) -> None:
        self.where = where
        self.url = url
        self.problem = problem
        place = f"{where}, field 'travel.url'" if where else "travel.url"
        super().__init__(f"{place}: {url}: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in worker processes: pickle by constructor arguments, not by message.
        return (type(self), (self.where, self.url, self.problem))


class SweepError(PlannerError):
    """A --vary option of `planner sweep` that cannot be read."""


class CompareError(PlannerError, ValueError):
    """The plans to compare or their labels do not fit together."""


class BodyTooLarge(Exception):
    """A request body to the web app grew past the limit while it was read (answered 413 by
    the app's middleware, planner/web/security.py)."""


class VariantError(PlannerError):
    """A variant not saved in `planner serve`: the one-line message and the form field it is
    about ('' for the form as a whole)."""

    def __init__(self, message: str, form_field: str) -> None:
        super().__init__(message)
        self.message = message
        self.form_field = form_field

    def __reduce__(self) -> tuple[object, ...]:
        return (VariantError, (self.message, self.form_field))


class UploadError(PlannerError):
    """A scenario uploaded to `planner serve` and refused: too large, not TOML, invalid, or
    taking a used name."""

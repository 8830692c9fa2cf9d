"""`python -m planner.web [--workspace DIR] [--host H] [--port N]`: `planner serve` by itself."""

from __future__ import annotations

import argparse
import sys

from planner.errors import PlannerError
from planner.web.cli import add_arguments, run_from_args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.web", description=__doc__)
    add_arguments(parser)
    try:
        return run_from_args(parser.parse_args(argv))
    except PlannerError as exc:
        print(f"planner serve: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

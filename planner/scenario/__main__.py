"""`python -m planner.scenario`: print the scenario JSON Schema.

`python -m planner.scenario FILE...` instead checks scenario files: one line per file,
exit status 1 if any is invalid.
"""

from __future__ import annotations

import json
import sys

from planner.errors import ScenarioError
from planner.scenario.load import load_scenario, scenario_hash, scenario_json_schema


def schema_text() -> str:
    """The JSON Schema as written to scenarios/scenario.schema.json."""
    return json.dumps(scenario_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the schema, or check the files named in `argv`."""
    files = sys.argv[1:] if argv is None else argv
    if not files:
        sys.stdout.write(schema_text())
        return 0
    status = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
        else:
            print(f"{file}: ok ({scenario.name}, sha256 {scenario_hash(scenario)[:12]})")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""Progress of a run as the command line shows it: bars in a terminal, lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.plan import ProvincePlan


def province_line(label: str, plan: ProvincePlan, resumed: bool) -> str:
    k = plan.kpis
    how = "resumed" if resumed else f"{k.solve_seconds:.1f}s"
    return (
        f"{label} {plan.province_name}: {k.passes} passes, {k.conferences} conferences, "
        f"value {k.objective:,.0f} (bound {k.upper_bound:,.0f}, greedy {k.greedy_value:,.0f}), {how}"
    )


class LineProgress:
    """One line per finished province (for logs and CI)."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def start(self, labels: Sequence[str]) -> None:
        self.total = len(labels)
        print(f"planning {self.total} province(s)", file=self.stream, flush=True)

    def finished(self, label: str, plan: ProvincePlan, resumed: bool) -> None:
        self.done += 1
        print(
            f"[{self.done}/{self.total}] {province_line(label, plan, resumed)}",
            file=self.stream,
            flush=True,
        )

    def note(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class BarProgress:
    """An overall bar and one bar per province, drawn with rich in a terminal."""

    def __init__(self) -> None:
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[result]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self.overall: object = None
        self.rows: dict[str, object] = {}

    def start(self, labels: Sequence[str]) -> None:
        self.bars.start()
        self.overall = self.bars.add_task("all provinces", total=len(labels), result="")
        for label in labels:
            self.rows[label] = self.bars.add_task(f"  province {label}", total=1, result="")

    def finished(self, label: str, plan: ProvincePlan, resumed: bool) -> None:
        k = plan.kpis
        note = "resumed" if resumed else f"value {k.objective:,.0f} / bound {k.upper_bound:,.0f}"
        self.bars.update(self.rows[label], completed=1, result=note)  # type: ignore[arg-type]
        self.bars.advance(self.overall)  # type: ignore[arg-type]

    def note(self, text: str) -> None:
        self.bars.console.print(text)

    def stop(self) -> None:
        self.bars.stop()

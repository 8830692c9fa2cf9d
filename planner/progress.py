"""Progress of a run as the command line shows it: bars in a terminal, lines otherwise.

In Vietnamese unless `lang="en"` (the command's --lang or $PLANNER_LANG); the notes the
runner sends (`note`) are printed as they come.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.messages import Lang, localize, text
from planner.plan import ProvincePlan


def province_line(label: str, plan: ProvincePlan, resumed: bool, lang: Lang = "vi") -> str:
    """One finished province: its figures, and how long it took (or that it was resumed)."""
    k = plan.kpis
    how = (
        text("progress.resumed", lang)
        if resumed
        else text("progress.seconds", lang, seconds=k.solve_seconds)
    )
    return text(
        "progress.province",
        lang,
        label=label,
        province=plan.province_name,
        passes=k.passes,
        conferences=k.conferences,
        value=k.objective,
        bound=k.upper_bound,
        greedy=k.greedy_value,
        how=how,
    )


class LineProgress:
    """One line per finished province (for logs and CI)."""

    def __init__(self, stream: TextIO = sys.stderr, *, lang: Lang = "vi") -> None:
        self.stream = stream
        self.lang = lang
        self.total = 0
        self.done = 0

    def start(self, labels: Sequence[str]) -> None:
        self.total = len(labels)
        print(text("progress.start", self.lang, n=self.total), file=self.stream, flush=True)

    def finished(self, label: str, plan: ProvincePlan, resumed: bool) -> None:
        self.done += 1
        line = province_line(label, plan, resumed, self.lang)
        print(
            text("progress.line", self.lang, done=self.done, total=self.total, line=line),
            file=self.stream,
            flush=True,
        )

    def note(self, text: str) -> None:
        print(localize(text, self.lang), file=self.stream, flush=True)


class BarProgress:
    """An overall bar and one bar per province, drawn with rich in a terminal."""

    def __init__(self, *, lang: Lang = "vi") -> None:
        self.lang = lang
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
        self.overall = self.bars.add_task(
            text("progress.all", self.lang), total=len(labels), result=""
        )
        for label in labels:
            self.rows[label] = self.bars.add_task(
                text("progress.bar", self.lang, label=label), total=1, result=""
            )

    def finished(self, label: str, plan: ProvincePlan, resumed: bool) -> None:
        k = plan.kpis
        note = (
            text("progress.resumed", self.lang)
            if resumed
            else text("progress.bar_result", self.lang, value=k.objective, bound=k.upper_bound)
        )
        self.bars.update(self.rows[label], completed=1, result=note)  # type: ignore[arg-type]
        self.bars.advance(self.overall)  # type: ignore[arg-type]

    def note(self, text: str) -> None:
        self.bars.console.print(localize(text, self.lang))

    def stop(self) -> None:
        self.bars.stop()

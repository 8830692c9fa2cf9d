"""Ctrl-C and `kill` stop a run at once, even when they land inside a solver library.

Python turns a signal into KeyboardInterrupt at its next bytecode; when that bytecode is a
callback called from C++ (an OR-Tools routing callback, a CP-SAT log line), the library may
swallow the exception and carry on. So the handlers here also *remember* the request, and
the planner checks it at safe points (between provinces and their parts, before writing the
outputs): a signal is never lost, whatever it interrupted.
"""

from __future__ import annotations

import signal
from typing import Any

_requested = False


def _handler(signum: int, frame: object) -> None:
    global _requested
    _requested = True
    raise KeyboardInterrupt


def install() -> tuple[Any, Any] | None:
    """Handle SIGINT and SIGTERM as an interrupt; returns the previous handlers (None when
    not in the main thread, where signals cannot be handled)."""
    global _requested
    _requested = False
    try:
        previous = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
        signal.signal(signal.SIGINT, _handler)
        signal.signal(signal.SIGTERM, _handler)
    except ValueError:  # not the main thread (the API called from a thread)
        return None
    return previous


def restore(previous: tuple[Any, Any] | None) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def check() -> None:
    """Raise KeyboardInterrupt if an interrupt was asked for since `install`."""
    if _requested:
        raise KeyboardInterrupt

"""`planner serve [--workspace DIR] [--host 127.0.0.1] [--port 8000] [--executor dask
--scheduler tcp://HOST:8786]`.

`planner.cli` adds the sub-command with `add_arguments(parser)` and runs it with
`run_from_args(args)`. Only the standard library and argparse here: Starlette and uvicorn
are imported when the server starts, so the rest of the command line never needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import sys
from pathlib import Path

from planner.errors import PlannerError
from planner.messages import msg


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return value


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 < value <= 1024:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 1024, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `planner serve`."""
    parser.add_argument(
        "--workspace",
        type=Path,
        default=Path("."),
        help="folder with scenarios/ and outputs/ (default: the current folder); the job "
        "store .planner-web.sqlite is kept there",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only); any other address "
        "needs the access token printed at start",
    )
    parser.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help="provinces planned in parallel by each run (default: one per CPU core)",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where the runs plan provinces: local processes (default), or an existing Dask "
        "cluster, as planner run --executor",
    )
    parser.add_argument(
        "--scheduler", help="Dask scheduler address for --executor dask, e.g. tcp://host:8786"
    )


def run_from_args(args: argparse.Namespace) -> int:
    """Start the server; returns the exit status when it stops (Ctrl-C)."""
    try:
        import uvicorn

        from planner.web.app import create_app
        from planner.web.security import is_loopback
    except ImportError as exc:  # the web dependencies are missing
        raise PlannerError(msg("web.missing_extra", reason=str(exc))) from None
    host = str(args.host)
    executor = str(getattr(args, "executor", None) or "local")
    scheduler = getattr(args, "scheduler", None)
    if executor == "dask" and not scheduler:
        raise PlannerError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    app = create_app(
        args.workspace,
        host=host,
        token=token,
        workers=args.workers,
        executor=executor,
        scheduler=scheduler if executor == "dask" else None,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{args.port}/"
    if token:
        url += f"?token={token}"
        print(
            f"planner serve: listening on {host}:{args.port}; open (the token is needed): {url}",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(f"planner serve: open {url}", file=sys.stderr, flush=True)
    if executor == "dask":
        print(
            f"planner serve: provinces are planned on the Dask cluster {scheduler}",
            file=sys.stderr,
            flush=True,
        )
    config = uvicorn.Config(
        app,
        host=host,
        port=args.port,
        log_level="warning",
        timeout_graceful_shutdown=3,
        server_header=False,
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn passes Ctrl-C on after shutdown
        uvicorn.Server(config).run()
    print(
        "planner serve: stopped; runs still going finish in their own processes and are "
        "listed at the next start",
        file=sys.stderr,
    )
    return 0

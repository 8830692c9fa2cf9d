"""`planner serve` under load: 20 clients browse results pages while a run goes.

    python benchmarks/web_load.py [--clients 20] [--seconds 60] [--time-limit 20]
        [--live-scenario scenarios/vietnam-2020-may.toml] [--workspace DIR] [--port 0]

Starts `python -m planner.web` on a free loopback port (a temporary workspace with the demo
scenario unless --workspace is given), plans the demo once so that there are results to
browse, then starts a second run and, while it goes, has --clients threads each load, in
turn, the runs list, the finished run's page, its province map, its map library, its team
pack zip, the running run's live block and the scenarios page, for at most --seconds (and
at most 2,000 requests each). With --live-scenario (e.g. the national month), that scenario
is the run going on during the load (it is cancelled at the end). Prints the number of requests, errors (status other than 200
or no answer), and the p50 / p95 / max response times, overall and per page.

Traffic goes to 127.0.0.1 only. Not run by the tests.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_REQUESTS_PER_CLIENT = 2000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _wait_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("planner serve stopped at start")
        try:
            with urllib.request.urlopen(f"{url}/scenarios", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("planner serve did not answer within a minute")


def _start_run(
    opener: urllib.request.OpenerDirector, url: str, time_limit: str, scenario: str = "demo"
) -> str:
    page = opener.open(f"{url}/scenarios/{scenario}", timeout=30).read().decode()
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token on the scenario page")
    data = urllib.parse.urlencode(
        {"csrf": found.group(1), "scenario": scenario, "time_limit": time_limit}
    ).encode()
    with opener.open(f"{url}/runs", data=data, timeout=30) as response:
        return response.geturl().rstrip("/").rsplit("/", 1)[1]


def _cancel(opener: urllib.request.OpenerDirector, url: str, job_id: str) -> None:
    page = opener.open(f"{url}/runs/{job_id}", timeout=30).read().decode()
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    if found is not None:
        data = urllib.parse.urlencode({"csrf": found.group(1)}).encode()
        opener.open(f"{url}/runs/{job_id}/cancel", data=data, timeout=30).read()


def _status(opener: urllib.request.OpenerDirector, url: str, job_id: str) -> str:
    text = opener.open(f"{url}/runs/{job_id}/live", timeout=30).read().decode()
    found = re.search(r'data-status="(\w+)"', text)
    return found.group(1) if found else "?"


def _wait_final(opener: urllib.request.OpenerDirector, url: str, job_id: str) -> str:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status = _status(opener, url, job_id)
        if status in ("done", "failed", "cancelled", "interrupted"):
            return status
        time.sleep(1)
    raise SystemExit(f"run {job_id} did not end within 10 minutes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--time-limit", default="20", help="per province, for the live run")
    parser.add_argument("--workspace", type=Path, help="default: a temporary one with the demo")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--live-scenario",
        type=Path,
        help="the scenario run during the load (default: the demo), e.g. the national month",
    )
    args = parser.parse_args(argv)

    temporary = None
    workspace = args.workspace
    if workspace is None:
        temporary = Path(tempfile.mkdtemp(prefix="planner-web-load-"))
        workspace = temporary / "ws"
        (workspace / "scenarios").mkdir(parents=True)
        shutil.copy(REPO / "scenarios" / "demo.toml", workspace / "scenarios" / "demo.toml")
    live_name = "demo"
    if args.live_scenario is not None:
        live_name = args.live_scenario.stem
        shutil.copy(args.live_scenario, workspace / "scenarios" / args.live_scenario.name)
    port = args.port or _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "planner.web", "--workspace", str(workspace), "--port", str(port)],
        cwd=workspace,
    )
    try:
        _wait_up(url, server)
        opener = _opener()
        print("planning the demo once, for results to browse ...", flush=True)
        finished = _start_run(opener, url, "5")
        if _wait_final(opener, url, finished) != "done":
            raise SystemExit(f"the first run {finished} did not finish")
        live = _start_run(opener, url, args.time_limit, live_name)
        pages = {
            "runs": "/runs",
            "run": f"/runs/{finished}",
            "map": f"/runs/{finished}/files/maps/27.html",
            "map-lib": f"/runs/{finished}/files/maps/lib/leaflet.js",
            "team-zip": f"/runs/{finished}/teams/27-256-1.zip",
            "live": f"/runs/{live}/live",
            "scenarios": "/scenarios",
        }
        times: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def client(number: int) -> None:
            browser = _opener()
            names = list(pages)
            for i in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() > stop_at:
                    return
                name = names[(i + number) % len(names)]
                started = time.perf_counter()
                ok = False
                try:
                    with browser.open(url + pages[name], timeout=30) as response:
                        response.read()
                        ok = response.status == 200
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    times[name].append(elapsed)
                    if not ok:
                        errors[name] += 1

        print(
            f"{args.clients} clients for at most {args.seconds:.0f} s while run {live} goes",
            flush=True,
        )
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        live_status = _status(opener, url, live)
        every = [t for values in times.values() for t in values]

        def line(label: str, values: list[float], failed: int) -> str:
            ordered = sorted(values)
            p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else 0.0
            p50 = statistics.median(ordered) if ordered else 0.0
            top = ordered[-1] if ordered else 0.0
            return (
                f"{label:<10} {len(values):>6} requests  {failed:>4} errors  "
                f"p50 {1000 * p50:7.1f} ms  p95 {1000 * p95:7.1f} ms  max {1000 * top:7.1f} ms"
            )

        print(line("all", every, sum(errors.values())))
        for name in pages:
            print(line(name, times[name], errors[name]))
        print(f"the live run was {live_status} at the end of the load")
        if live_status not in ("done", "failed", "cancelled", "interrupted"):
            _cancel(opener, url, live)  # its worker would outlive the server otherwise
            _wait_final(opener, url, live)
        return 1 if sum(errors.values()) else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

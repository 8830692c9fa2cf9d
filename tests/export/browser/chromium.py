"""Open a local page in headless Chromium with the network cut off, through the DevTools protocol.

`open_page(path)` starts Chromium with a proxy to nowhere (so no request can leave the
machine), loads the page, and returns what a test needs to judge it: JavaScript exceptions
and console errors, every request the page made that was not to a local file, numbers read
from the DOM by small expressions, and a PNG screenshot.

Needs the Debian package `chromium` (/usr/bin/chromium) and the Python package
`websocket-client` (the project's `browser` extra).
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium binary: $PLANNER_CHROMIUM, else the first of CHROMIUM_NAMES on PATH."""
    configured = os.environ.get("PLANNER_CHROMIUM")
    if configured and Path(configured).is_file():
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    exceptions: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    screenshot: Path | None = None


class _DevTools:
    def __init__(self, url: str, timeout: float) -> None:
        import websocket  # websocket-client

        self.ws = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": dict(params or {})}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, event: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if any(e.get("method") == event for e in self.events):
            return
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            self.events.append(message)
            if message.get("method") == event:
                return
        raise TimeoutError(f"no {event} within {timeout} s")

    def drain(self, seconds: float) -> None:
        """Collect events for a while (late script errors, requests)."""
        self.ws.settimeout(0.2)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.events.append(json.loads(self.ws.recv()))
            except Exception:  # a read timeout: nothing more yet
                continue

    def close(self) -> None:
        self.ws.close()


def _devtools_port(profile: Path, process: subprocess.Popen[bytes], timeout: float) -> int:
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_file.is_file():
            lines = port_file.read_text().splitlines()
            if lines and lines[0].strip().isdigit():
                return int(lines[0])
        if process.poll() is not None:
            raise RuntimeError(f"Chromium exited with code {process.returncode}")
        time.sleep(0.1)
    raise TimeoutError("Chromium did not open its DevTools port")


def _page_websocket(port: int, timeout: float) -> str:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
            targets = json.loads(response.read())
        pages = [t for t in targets if t.get("type") == "page"]
        if pages:
            return str(pages[0]["webSocketDebuggerUrl"])
        time.sleep(0.1)
    raise TimeoutError("Chromium opened no page")


def open_page(
    path: Path,
    *,
    expressions: Mapping[str, str] | None = None,
    screenshot: Path | None = None,
    width: int = 1200,
    height: int = 900,
    mobile: bool = False,
    settle_seconds: float = 1.0,
    timeout: float = 30.0,
) -> PageReport:
    """Load `path` offline in headless Chromium and report on it (see the module docstring)."""
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("no Chromium found")
    profile = Path(tempfile.mkdtemp(prefix="planner-chromium-"))
    process = subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = PageReport()
    try:
        port = _devtools_port(profile, process, timeout)
        devtools = _DevTools(_page_websocket(port, timeout), timeout)
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                devtools.call(f"{domain}.enable")
            devtools.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            )
            devtools.call("Page.navigate", {"url": path.resolve().as_uri()})
            devtools.wait_for("Page.loadEventFired", timeout)
            devtools.drain(settle_seconds)
            for name, expression in (expressions or {}).items():
                result = devtools.call(
                    "Runtime.evaluate", {"expression": expression, "returnByValue": True}
                )
                if "exceptionDetails" in result:
                    report.exceptions.append(f"{name}: {result['exceptionDetails']}")
                report.values[name] = result.get("result", {}).get("value")
            if screenshot is not None:
                shot = devtools.call("Page.captureScreenshot", {"format": "png"})
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
                report.screenshot = screenshot
            devtools.drain(0.2)
        finally:
            devtools.close()
        for event in devtools.events:
            method = event.get("method")
            params = event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text")
                report.exceptions.append(str(text))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                report.console_errors.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                )
            elif method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "about:", "blob:")):
                    report.remote_requests.append(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return report

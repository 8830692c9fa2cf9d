"""Open a local page in headless Chromium with the network cut off, through the DevTools protocol.

`open_page(path)` starts Chromium with a proxy to nowhere (so no request can leave the
machine), loads the page, and returns what a test needs to judge it: JavaScript exceptions
and console errors, every request the page made that was not to a local file, numbers read
from the DOM by small expressions, and a PNG screenshot.

Needs only the Debian package `chromium` (/usr/bin/chromium): the DevTools protocol is spoken
over a minimal WebSocket client written here with the standard library (`_WebSocket`), so the
test needs no extra Python package.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.parse
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
    dialogs: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    screenshot: Path | None = None


class _WebSocket:
    """Just enough of RFC 6455 for DevTools on the loopback: text frames, masked sends."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        self.partial = b""
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"WebSocket handshake refused: {head[:200]!r}")

    def settimeout(self, seconds: float) -> None:
        self.sock.settimeout(seconds)

    def send(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 1 << 16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _frame(self) -> tuple[bool, int, bytes] | None:
        """The first whole frame in the buffer (fin, opcode, payload), consumed; None if partial."""
        buffer = self.buffer
        if len(buffer) < 2:
            return None
        first, second = buffer[0], buffer[1]
        length, offset = second & 0x7F, 2
        if length == 126:
            if len(buffer) < 4:
                return None
            (length,), offset = struct.unpack("!H", buffer[2:4]), 4
        elif length == 127:
            if len(buffer) < 10:
                return None
            (length,), offset = struct.unpack("!Q", buffer[2:10]), 10
        mask = b""
        if second & 0x80:
            mask, offset = buffer[offset : offset + 4], offset + 4
        if len(buffer) < offset + length:
            return None
        payload = buffer[offset : offset + length]
        self.buffer = buffer[offset + length :]
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return bool(first & 0x80), first & 0x0F, payload

    def recv(self) -> str:
        """The next text message; a socket timeout leaves what was read for the next call."""
        while True:
            frame = self._frame()
            if frame is None:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("DevTools closed the connection")
                self.buffer += chunk
                continue
            fin, opcode, payload = frame
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the connection")
            if opcode in (0x9, 0xA):  # ping, pong: DevTools sends none; ignore
                continue
            self.partial += payload
            if fin:
                message, self.partial = self.partial, b""
                return message.decode()

    def close(self) -> None:
        self.sock.close()


class _DevTools:
    def __init__(self, url: str, timeout: float) -> None:
        self.timeout = timeout
        self.ws = _WebSocket(url, timeout)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": dict(params or {})}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Page.javascriptDialogOpening":
                # an alert() would block the page: note it, dismiss it, go on
                self.ws.send(
                    json.dumps(
                        {
                            "id": next(self.ids),
                            "method": "Page.handleJavaScriptDialog",
                            "params": {"accept": False},
                        }
                    )
                )
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
        try:
            while time.monotonic() < deadline:
                try:
                    self.events.append(json.loads(self.ws.recv()))
                except TimeoutError:  # nothing more yet
                    continue
        finally:
            self.ws.settimeout(self.timeout)

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
    media: str | None = None,
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
            if media is not None:  # "print": the page as it will be printed
                devtools.call("Emulation.setEmulatedMedia", {"media": media})
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
            elif method == "Page.javascriptDialogOpening":
                report.dialogs.append(str(params.get("message")))
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

"""What guards every request: the host, the access token, the body size, CSRF, headers.

- **Host.** Served on the loopback (the default), a request must name a loopback host
  (`127.0.0.1`, `localhost`, `[::1]`): a page elsewhere cannot reach the app by pointing a
  DNS name at 127.0.0.1 (DNS rebinding).
- **Token.** Served on any other address, every request needs the token `planner serve`
  printed: `?token=` once (answered by a redirect that drops it from the address and sets
  an HttpOnly, SameSite=Strict cookie), then the cookie; or `Authorization: Bearer TOKEN`.
- **Body size.** A request body larger than `max_body` is refused (413) as it arrives, so
  an upload cannot fill the disk or memory; a few paths (the teams' report files) have a
  larger limit of their own (`body_limits`).
- **CSRF.** Every browser gets a random `planner_csrf` cookie (HttpOnly, SameSite=Strict);
  every form carries `csrf`, an HMAC of that cookie under the workspace's secret, and every
  POST is checked (`check_csrf`); a POST whose Origin names another site is refused too.
- **Headers.** A strict Content-Security-Policy (scripts only from /static, no inline
  script), no sniffing, no framing, no referrer across sites.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
import urllib.parse
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import URL, Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from planner.errors import BodyTooLarge

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "planner_token"
CSRF_COOKIE = "planner_csrf"
LANG_COOKIE = "planner_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

#: The app's own pages: everything from this server, no inline script, no framing.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

#: Pages of a run folder (maps, sheets, team pages): their inline scripts run, map tiles
#: load, but they cannot call the app (connect-src) nor post a form to it.
RUN_FILE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'none'; "
    "form-action 'none'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, with or without brackets) is this machine only."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The host part of a Host header ('127.0.0.1:8000' -> '127.0.0.1', '[::1]:80' -> '::1')."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class Guard:
    """The ASGI middleware that applies the rules in the module's docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        csrf_secret: str,
        max_body: int,
        body_limits: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.app = app
        self.token = token
        self.csrf_secret = csrf_secret
        self.max_body = max_body
        self.body_limits = tuple(body_limits)

    def body_limit(self, path: str) -> int:
        """The largest body a request to `path` may send."""
        for pattern, limit in self.body_limits:
            if pattern.fullmatch(path):
                return limit
        return self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        cookies = _cookies(headers)
        new_cookies: list[str] = []
        secure = scope.get("scheme") == "https"
        if self.token is not None:
            query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = query.get("token", [""])[0]
            if given and hmac.compare_digest(given, self.token):
                # Set the cookie and drop the token from the address (history, Referer).
                url = URL(scope=scope)
                kept = [(k, v) for k, v in urllib.parse.parse_qsl(url.query) if k != "token"]
                target = url.path + ("?" + urllib.parse.urlencode(kept) if kept else "")
                response = RedirectResponse(target, status_code=303)
                response.set_cookie(
                    TOKEN_COOKIE, self.token, httponly=True, samesite="strict", secure=secure
                )
                await response(scope, receive, send)
                return
            if not self._token_ok(headers, cookies):
                await _plain(
                    401,
                    "Cần mã truy cập: mở đường dẫn có ?token=... mà planner serve đã in ra. "
                    "(An access token is needed: open the link with ?token=... that planner "
                    "serve printed.)",
                )(scope, receive, send)
                return
        session = cookies.get(CSRF_COOKIE, "")
        if len(session) < 20:
            session = secrets.token_urlsafe(24)
            new_cookies.append(_cookie_header(CSRF_COOKIE, session, secure=secure, max_age=None))
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf_token(self.csrf_secret, session)
        state["csrf_session"] = session

        max_body = self.body_limit(str(scope.get("path", "")))
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            await _plain(413, "Request body too large.")(scope, receive, send)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body:
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for cookie in new_cookies:
                    out.append("set-cookie", cookie)
                out.setdefault("x-content-type-options", "nosniff")
                out.setdefault("referrer-policy", "same-origin")
                out.setdefault("content-security-policy", APP_CSP)
                out.setdefault("x-frame-options", "DENY")
                out.setdefault("cross-origin-opener-policy", "same-origin")
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            await _plain(413, "Request body too large.")(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers) -> Response | None:
        """A response refusing the request at once (wrong host, foreign origin), or None."""
        host = _host_name(headers.get("host", ""))
        if self.token is None and not is_loopback(host):
            return _plain(
                421,
                "This server answers only on 127.0.0.1 / localhost (start planner serve "
                "with --host to serve other addresses, with a token).",
            )
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin and origin != "null":
                origin_host = urllib.parse.urlsplit(origin).netloc
                if origin_host != headers.get("host", ""):
                    return _plain(403, "Refused: this request comes from another site.")
        return None

    def _token_ok(self, headers: Headers, cookies: dict[str, str]) -> bool:
        assert self.token is not None
        cookie = cookies.get(TOKEN_COOKIE, "")
        if cookie and hmac.compare_digest(cookie, self.token):
            return True
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return hmac.compare_digest(auth[7:].strip(), self.token)
        return False


def csrf_token(secret: str, session: str) -> str:
    """The form token of a browser's CSRF cookie: HMAC-SHA256 under the workspace's secret."""
    return hmac.new(secret.encode(), session.encode(), hashlib.sha256).hexdigest()[:40]


async def check_csrf(request: Request, *, max_files: int = 1, max_fields: int = 20) -> bool:
    """Whether a POST carries the right CSRF token (form field `csrf` or X-CSRF-Token).

    The form is read here with the route's limits (`max_files`, `max_fields`): it is read
    once, and the route gets the same form back."""
    expected = request.state.csrf_token
    session_cookie = request.cookies.get(CSRF_COOKIE, "")
    if not session_cookie or session_cookie != request.state.csrf_session:
        return False  # no cookie was sent: the token cannot be tied to this browser
    given = request.headers.get(CSRF_HEADER, "")
    if not given:
        form = await request.form(max_files=max_files, max_fields=max_fields)
        value = form.get(CSRF_FIELD, "")
        given = value if isinstance(value, str) else ""
    return bool(given) and hmac.compare_digest(given, expected)


def _cookies(headers: Headers) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header: as if none
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _cookie_header(name: str, value: str, *, secure: bool, max_age: int | None) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(
        text,
        status_code=status,
        headers={
            "content-security-policy": APP_CSP,
            "x-content-type-options": "nosniff",
            "x-frame-options": "DENY",
        },
    )

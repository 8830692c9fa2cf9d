"""Host, token, CSRF on every POST, headers, and the command line's wiring of `planner serve`."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from planner.errors import PlannerError
from planner.web import add_arguments, run_from_args
from planner.web.app import create_app
from planner.web.security import CSRF_COOKIE, is_loopback
from tests.web.conftest import BASE_URL, client_for, csrf_of

TOKEN = "s3cret-token-for-tests-0123456789"


def _post_routes(app: Starlette) -> list[str]:
    """Every POST route of the app, with a sample path."""
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            paths.append(route.path.replace("{rid}", "demo-x").replace("{sid}", "demo"))
    return paths


def test_every_post_route_needs_the_csrf_token(app: Starlette) -> None:
    posts = _post_routes(app)
    assert set(posts) >= {
        "/runs",
        "/scenarios/upload",
        "/runs/demo-x/cancel",
        "/variants",
        "/compare",
        "/scenarios/demo/sweep",
        "/runs/demo-x/reports",
        "/runs/demo-x/replan",
        "/runs/demo-x/publish",
    }
    with client_for(app) as client:
        token = csrf_of(client)
        for path in posts:
            # no token at all; a wrong one; the right one in the header of another browser
            assert client.post(path, data={}).status_code == 403, path
            assert client.post(path, data={"csrf": "0" * 40}).status_code == 403, path
            with client_for(app) as stranger:
                stranger.get("/scenarios")  # its own cookie
                response = stranger.post(path, data={"csrf": token})
                assert response.status_code == 403, path
            without_cookie = TestClient(app, base_url=BASE_URL)
            assert without_cookie.post(path, data={"csrf": token}).status_code == 403, path


def test_csrf_cookie_is_strict(client: TestClient) -> None:
    client.cookies.clear()
    response = client.get("/scenarios")
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(CSRF_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_post_from_another_site_refused(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post(
        "/runs", data={"csrf": token, "scenario": "demo"}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403


def test_security_headers(client: TestClient) -> None:
    response = client.get("/scenarios")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_static_files_are_local(client: TestClient) -> None:
    page = client.get("/scenarios").text
    assert 'src="/static/htmx.min.js"' in page and 'src="/static/sse.js"' in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
    script = client.get("/static/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text[:2000]
    assert client.get("/static/sse.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_loopback_server_refuses_other_host_names(app: Starlette) -> None:
    """A DNS name pointed at 127.0.0.1 by another site (DNS rebinding) gets nothing."""
    with TestClient(app, base_url="http://evil.example") as client:
        assert client.get("/scenarios").status_code == 421
    for base in ("http://localhost:8000", "http://[::1]:8000", "http://127.0.0.1"):
        with TestClient(app, base_url=base) as client:
            assert client.get("/scenarios").status_code == 200, base


def test_non_local_host_needs_a_token(tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match="needs an access token"):
        create_app(tmp_path / "a", host="0.0.0.0")


def test_non_local_host_without_token_refused(tmp_path: Path) -> None:
    app = create_app(tmp_path / "ws", host="0.0.0.0", token=TOKEN)
    with TestClient(app, base_url="http://192.0.2.10:8000", follow_redirects=False) as client:
        for path in ("/", "/scenarios", "/runs", "/static/htmx.min.js", "/runs/x/events"):
            response = client.get(path)
            assert response.status_code == 401, path
            assert "token" in response.text
        assert client.post("/runs", data={}).status_code == 401
        assert client.get("/scenarios?token=wrong").status_code == 401
        # the token once in the address: a cookie, and the address without it
        response = client.get(f"/scenarios?lang=en&token={TOKEN}")
        assert response.status_code == 303
        assert response.headers["location"] == "/scenarios?lang=en"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        assert client.get("/scenarios").status_code == 200  # by the cookie
    with TestClient(app, base_url="http://192.0.2.10:8000") as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert client.get("/scenarios", headers=headers).status_code == 200
        assert client.get("/scenarios", headers={"Authorization": "Bearer x"}).status_code == 401


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("[::1]") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    assert not is_loopback("example.com") and not is_loopback("")


def test_cli_arguments(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([])
    assert (args.workspace, args.host, args.port) == (Path("."), "127.0.0.1", 8000)
    args = parser.parse_args(["--workspace", str(tmp_path), "--host", "0.0.0.0", "--port", "9"])
    assert (args.workspace, args.host, args.port) == (tmp_path, "0.0.0.0", 9)
    with pytest.raises(SystemExit):
        parser.parse_args(["--port", "70000"])


def test_run_from_args_prints_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    served: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.append(self.config))
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert run_from_args(parser.parse_args(["--workspace", str(tmp_path), "--port", "8123"])) == 0
    assert "open http://127.0.0.1:8123/" in capsys.readouterr().err
    assert served[0].host == "127.0.0.1" and served[0].port == 8123
    assert (tmp_path / "scenarios").is_dir() and (tmp_path / ".planner-web.sqlite").is_file()
    run_from_args(parser.parse_args(["--workspace", str(tmp_path), "--host", "0.0.0.0"]))
    err = capsys.readouterr().err
    assert "the token is needed" in err and "?token=" in err

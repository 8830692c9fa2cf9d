"""Results: the summary, files served from the run folder (never outside it), downloads, zips."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import anyio
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from planner.web.security import RUN_FILE_CSP


def test_results_summary(client: TestClient, workspace: Path, finished_run: str) -> None:
    summary = json.loads((workspace / "outputs" / finished_run / "summary.json").read_text())
    page = client.get(f"/runs/{finished_run}").text
    assert "Số liệu chính" in page
    assert "Ngày-đội đã dùng" in page
    assert f"{summary['team_days']} / {summary['team_days_available']}" in page
    assert "P10–P90" in page
    # the history, realism and capacity lines the command line prints
    assert "so với lịch sử" in page and "ngày-đội:" in page
    assert f'href="/runs/{finished_run}/files/maps/27.html"' in page
    assert f'href="/runs/{finished_run}/files/maps/index.html"' in page
    assert f'href="/runs/{finished_run}/download/workbook"' in page
    assert f'href="/runs/{finished_run}/download/geopackage"' in page
    assert f'href="/runs/{finished_run}/teams/27-256-1.zip"' in page
    english = client.get(f"/runs/{finished_run}?lang=en").text
    assert "Key figures" in english and "against the record" in english


def test_map_served_with_its_library(client: TestClient, finished_run: str) -> None:
    page = client.get(f"/runs/{finished_run}/files/maps/27.html")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == RUN_FILE_CSP
    assert "lib/leaflet.js" in page.text
    library = client.get(f"/runs/{finished_run}/files/maps/lib/leaflet.js")
    assert library.status_code == 200
    assert "javascript" in library.headers["content-type"]


@pytest.mark.parametrize(
    "path",
    [
        "../../scenarios/demo.toml",
        "..%2F..%2Fscenarios%2Fdemo.toml",
        "%2e%2e/%2e%2e/scenarios/demo.toml",
        "maps/%2e%2e/%2e%2e/%2e%2e/.planner-web.sqlite",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "..%5C..%5Cscenarios%5Cdemo.toml",
        "maps/..",
        "maps",
        "",
        "nothing.html",
        "maps/%00.html",
        "~/.bashrc",
    ],
)
def test_paths_out_of_the_run_folder_refused(
    client: TestClient, finished_run: str, path: str
) -> None:
    response = client.get(f"/runs/{finished_run}/files/{path}", follow_redirects=True)
    assert response.status_code == 404
    assert "root:" not in response.text and "[campaign]" not in response.text
    assert 'href="//' not in response.text


def test_raw_dot_segments_refused(app: Starlette, finished_run: str) -> None:
    """`..` as a server that does not normalise paths delivers it (HTTP clients would)."""

    async def status(path: str) -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent: list[dict[str, Any]] = []
        asked = 0

        async def receive() -> dict[str, Any]:
            nonlocal asked
            asked += 1
            if asked > 1:  # the client stays until the response is sent
                await anyio.sleep_forever()
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return int(sent[0]["status"])

    base = f"/runs/{finished_run}/files/"
    assert anyio.run(status, base + "summary.json") == 200
    for rest in (
        "../../../pyproject.toml",
        "maps/../../../scenarios/demo.toml",
        "../x",
        "/etc/passwd",
    ):
        assert anyio.run(status, base + rest) == 404, rest


def test_link_out_of_the_run_folder_refused(
    client: TestClient, workspace: Path, finished_run: str
) -> None:
    link = workspace / "outputs" / finished_run / "sneaky.toml"
    os.symlink(workspace / "scenarios" / "demo.toml", link)
    try:
        assert client.get(f"/runs/{finished_run}/files/sneaky.toml").status_code == 404
    finally:
        link.unlink()


def test_download_workbook_and_geopackage(client: TestClient, finished_run: str) -> None:
    workbook = client.get(f"/runs/{finished_run}/download/workbook")
    assert workbook.status_code == 200
    assert workbook.content[:2] == b"PK"  # a zip: xlsx
    assert "attachment" in workbook.headers["content-disposition"]
    assert f"demo-{finished_run}-schedule.xlsx" in workbook.headers["content-disposition"]
    assert "spreadsheetml" in workbook.headers["content-type"]
    gpkg = client.get(f"/runs/{finished_run}/download/geopackage")
    assert gpkg.status_code == 200
    assert gpkg.content[:16] == b"SQLite format 3\x00"
    for kind in ("schedule-csv", "routes-csv", "unserved-csv", "summary-json"):
        assert client.get(f"/runs/{finished_run}/download/{kind}").status_code == 200
    assert client.get(f"/runs/{finished_run}/download/passwd").status_code == 404


def test_team_pack_zip(client: TestClient, workspace: Path, finished_run: str) -> None:
    response = client.get(f"/runs/{finished_run}/teams/27-256-1.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "27-256-1/teams/team-27-256-1.html" in names
    assert "27-256-1/sheets/27-256-1.html" in names
    gpx = [n for n in names if n.endswith(".gpx")]
    folder = workspace / "outputs" / finished_run / "gpx"
    assert sorted(n.rsplit("/", 1)[1] for n in gpx) == sorted(
        p.name for p in folder.glob("27-256-1-*.gpx")
    )
    assert gpx  # the team works some days
    assert all(not n.startswith(("/", "..")) for n in names)


@pytest.mark.parametrize("stem", ["nope", "..%2F27-256-1", "27-256-1.zip%00"])
def test_unknown_team_not_found(client: TestClient, finished_run: str, stem: str) -> None:
    assert client.get(f"/runs/{finished_run}/teams/{stem}.zip").status_code == 404

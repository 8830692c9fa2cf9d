"""Scenario pages: the list, one scenario's summary, download, upload checked before it is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from planner.web.app import create_app
from planner.web.workspace import MAX_UPLOAD_BYTES, slug
from tests.web.conftest import DEMO, client_for, csrf_of, make_workspace

GOOD = """
name = "small"
title = "Nhỏ <b>đậm</b> & <script>alert(1)</script>"
description = "A variant of the demo."
extends = "demo.toml"
"""


@pytest.fixture
def space(tmp_path: Path) -> Path:
    """A workspace of its own (uploads change the list)."""
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def own_client(space: Path) -> TestClient:
    return client_for(create_app(space))


def _files(space: Path) -> list[str]:
    return sorted(p.name for p in (space / "scenarios").iterdir())


def _upload(
    client: TestClient,
    name: str,
    content: bytes,
    *,
    replace: bool = False,
    htmx: bool = False,
    csrf: str | None = None,
) -> object:
    data = {"csrf": csrf if csrf is not None else csrf_of(client)}
    if replace:
        data["replace"] = "1"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        "/scenarios/upload",
        data=data,
        files={"file": (name, content, "application/toml")},
        headers=headers,
    )


def test_root_goes_to_scenarios(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["location"] == "/scenarios"


def test_list_shows_title_and_description(client: TestClient) -> None:
    page = client.get("/scenarios")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
    assert "Bắc Ninh — tháng vận động BHXH tự nguyện" in page.text
    assert "Tuần đầu tháng vận động 5/2020 ở Bắc Ninh" in page.text
    assert 'href="/scenarios/demo"' in page.text
    assert "Tải lên kịch bản" in page.text  # the upload form, in Vietnamese


def test_english_by_query_then_cookie(client: TestClient) -> None:
    page = client.get("/scenarios?lang=en")
    assert '<html lang="en">' in page.text
    assert "Upload a scenario" in page.text
    assert client.get("/runs").text.count('<html lang="en">') == 1  # kept by the cookie
    assert '<html lang="vi">' in client.get("/runs?lang=vi").text


def test_english_by_environment(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_LANG", "en")
    with client_for(app) as fresh:  # type: ignore[arg-type]
        assert '<html lang="en">' in fresh.get("/scenarios").text


def test_scenario_page_summarises_fields(client: TestClient) -> None:
    page = client.get("/scenarios/demo")
    assert page.status_code == 200
    text = page.text
    assert "Bắc Ninh" in text
    assert "23/05/2020" in text and "29/05/2020" in text and "7 ngày" in text
    assert "1 đội mỗi huyện" in text and "3 người" in text
    assert "07:30 – 17:00" in text
    assert 'href="/scenarios/demo/download"' in text
    assert 'action="/runs"' in text and 'name="time_limit"' in text


def test_scenario_page_in_english(client: TestClient) -> None:
    text = client.get("/scenarios/demo?lang=en").text
    assert "1 team(s) per district" in text and "crew of 3" in text


def test_download_is_the_file(client: TestClient) -> None:
    response = client.get("/scenarios/demo/download")
    assert response.status_code == 200
    assert response.content == DEMO.read_bytes()
    assert "attachment" in response.headers["content-disposition"]
    assert 'filename="demo.toml"' in response.headers["content-disposition"]


@pytest.mark.parametrize(
    "path",
    [
        "/scenarios/nope",
        "/scenarios/..%2Fpyproject",
        "/scenarios/%2E%2E/download",
        "/scenarios/DEMO/download",
        "/scenarios/demo.toml/download",
    ],
)
def test_unknown_scenarios_are_not_found(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_upload_valid_is_kept(space: Path, own_client: TestClient) -> None:
    response = _upload(own_client, "Small Variant.toml", GOOD.encode())
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/scenarios/small-variant"  # type: ignore[attr-defined]
    assert (space / "scenarios" / "small-variant.toml").read_text() == GOOD
    listing = own_client.get("/scenarios").text
    # names are escaped, never markup
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "Nhỏ &lt;b&gt;đậm&lt;/b&gt; &amp;" in listing
    page = own_client.get("/scenarios/small-variant").text
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "demo.toml" in page  # extends


def test_upload_by_htmx_redirects(space: Path, own_client: TestClient) -> None:
    response = _upload(own_client, "second.toml", GOOD.encode(), htmx=True)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.headers["hx-redirect"] == "/scenarios/second"  # type: ignore[attr-defined]
    assert "second.toml" in _files(space)


def test_bad_scenario_shown_inline_and_nothing_written(space: Path, own_client: TestClient) -> None:
    before = _files(space)
    bad = GOOD + "[campaign]\nstart = 2020-05-30\nend = 2020-05-23\n"
    response = _upload(own_client, "bad.toml", bad.encode(), htmx=True)
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.text  # type: ignore[attr-defined]
    assert 'role="alert"' in body and "Không lưu được" in body
    # the loader's one line, naming the file as uploaded and the field
    assert "bad.toml, field &#39;campaign.end&#39;" in body
    assert ".upload-" not in body and str(space) not in body
    assert "<html" not in body  # a fragment for the page, not a page
    assert _files(space) == before


def test_malformed_toml_without_htmx_is_the_page_with_the_error(
    space: Path, own_client: TestClient
) -> None:
    before = _files(space)
    response = _upload(own_client, "broken.toml", b"name = \n")
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.text  # type: ignore[attr-defined]
    assert "<html" in body and "broken.toml: malformed TOML at line 1" in body
    assert _files(space) == before


def test_oversized_upload_refused(space: Path, own_client: TestClient) -> None:
    before = _files(space)
    big = GOOD.encode() + b"#" * MAX_UPLOAD_BYTES
    response = _upload(own_client, "big.toml", big, htmx=True)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "256 kB" in response.text  # type: ignore[attr-defined]
    assert _files(space) == before


def test_much_larger_body_refused_as_it_arrives(space: Path, own_client: TestClient) -> None:
    before = _files(space)
    response = _upload(own_client, "huge.toml", b"#" * (4 * MAX_UPLOAD_BYTES))
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert _files(space) == before


def test_existing_name_needs_replace(space: Path, own_client: TestClient) -> None:
    response = _upload(own_client, "demo.toml", GOOD.replace("extends", "#").encode())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "đã có một kịch bản tên này" in response.text  # type: ignore[attr-defined]
    assert (space / "scenarios" / "demo.toml").read_bytes() == DEMO.read_bytes()
    own = DEMO.read_text(encoding="utf-8").replace("Bắc Ninh —", "Bắc Ninh (sửa) —")
    response = _upload(own_client, "demo.toml", own.encode(), replace=True)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "Bắc Ninh (sửa)" in (space / "scenarios" / "demo.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.txt", GOOD, "kịch bản phải là một tệp .toml"),
        ("...toml", GOOD, "hãy đặt tên tệp bằng chữ cái hoặc chữ số"),
        ("../../evil.toml", 'extends = "/etc/passwd"\n', "evil.toml"),
        ("up.toml", GOOD.replace('"demo.toml"', '"../../../demo.toml"'), "extends"),
        ("data.toml", GOOD + '[data]\ncommunes = "/etc/hosts"\n', "nằm ngoài thư mục làm việc"),
    ],
)
def test_refused_uploads(
    space: Path, own_client: TestClient, name: str, content: str, expected: str
) -> None:
    before = _files(space)
    response = _upload(own_client, name, content.encode(), htmx=True)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert expected in response.text  # type: ignore[attr-defined]
    assert _files(space) == before
    assert not (space.parent / "evil.toml").exists()


def test_upload_without_csrf_refused(space: Path, own_client: TestClient) -> None:
    own_client.get("/scenarios")  # has the cookie, not the token
    before = _files(space)
    response = _upload(own_client, "nocsrf.toml", GOOD.encode(), csrf="")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert _files(space) == before


def test_slug() -> None:
    assert slug("Kịch bản Đà Nẵng 2025") == "kich-ban-da-nang-2025"
    assert slug("../../etc") == "etc"
    assert slug("...") == ""


def test_invalid_file_in_folder_is_listed_with_its_error(space: Path) -> None:
    (space / "scenarios" / "broken.toml").write_text("name = [", encoding="utf-8")
    client = client_for(create_app(space))
    page = client.get("/scenarios").text
    assert "broken.toml: malformed TOML" in page
    detail = client.get("/scenarios/broken")
    assert detail.status_code == 200
    assert re.search(r'class="error".*malformed TOML', detail.text, re.S)

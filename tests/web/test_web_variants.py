"""A variant through the form generated from the scenario's JSON Schema: only the changed
fields written, checked by the loader first, its one-line message beside the field."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from planner.scenario import load_scenario
from planner.web.app import create_app
from planner.web.variant import FIELDS, field_spec, toml_string, variant_toml
from tests.web.conftest import client_for, csrf_of, make_workspace


@pytest.fixture
def space(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def own_client(space: Path) -> TestClient:
    return client_for(create_app(space))


def _files(space: Path) -> list[str]:
    return sorted(p.name for p in (space / "scenarios").iterdir())


def _field_block(page: str, path: str) -> str:
    """The HTML of one field of the form (its label, input, hint and error)."""
    marker = f'data-field="{path}">'
    assert marker in page, f"no field {path} on the page"
    return page.split(marker, 1)[1].split('<div class="vfield', 1)[0].split("<p><button", 1)[0]


def _post(client: TestClient, **fields: object) -> object:
    data: dict[str, object] = {"csrf": csrf_of(client, "/variants/new?base=demo"), "base": "demo"}
    data.update({key.replace("__", "."): value for key, value in fields.items()})
    return client.post("/variants", data=data)


def test_form_from_the_schema(own_client: TestClient) -> None:
    page = own_client.get("/variants/new?base=demo")
    assert page.status_code == 200
    text = page.text
    assert '<html lang="vi">' in text and "Biến thể của một kịch bản" in text
    for path in FIELDS:
        assert f'data-field="{path}"' in text, path
    show_up = _field_block(text, "conferences.show_up")
    assert "Tỷ lệ người được mời đến dự" in show_up  # the label table
    assert "Tỷ lệ người được mời đến dự (từ 0 đến 1)" in show_up  # i18n.FIELD_HELP_VI
    assert "Share of invited people who attend" not in show_up  # not the schema's English
    assert 'type="number"' in show_up and 'min="0"' in show_up and 'max="1"' in show_up
    assert 'value="0.7"' in show_up and "Kịch bản gốc: 0.7" in show_up
    per_group = _field_block(text, "teams.rule.teams_per_group")
    assert 'step="1"' in per_group and 'min="1"' in per_group and 'max="20"' in per_group
    start = _field_block(text, "campaign.start")
    assert 'type="date"' in start and 'value="2020-05-23"' in start
    assert 'type="time"' in _field_block(text, "teams.working_hours.start")
    territory = _field_block(text, "teams.territory")  # an enum: a select
    assert "<select" in territory and '<option value="own" selected>' in territory
    assert 'value="province"' in territory
    weekdays = _field_block(text, "teams.weekdays")  # a list of an enum: boxes
    assert weekdays.count('type="checkbox"') == 7
    assert 'value="sat" checked' in weekdays and 'value="sun">' in weekdays
    level = _field_block(text, "covid.default_level")  # the base's own levels
    assert '<option value="open" selected>' in level and 'value="d19_low"' in level
    assert "<select" in _field_block(text, "safety.daylight_only")
    assert 'value="2020-05-23"' in _field_block(text, "launch.date")
    english = own_client.get("/variants/new?base=demo&lang=en").text
    assert "Show-up rate" in english and "Make a variant" in english


def test_make_a_variant(own_client: TestClient, space: Path) -> None:
    response = _post(
        own_client,
        name="demo-two",
        title='Hai đội <b>mỗi</b> huyện "thử"',
        teams__rule__teams_per_group="2",
        conferences__show_up="0.7",  # as the base: not written
        campaign__end="2020-05-26",
        safety__daylight_only="false",
        covid__default_level="d19_low",
        solver__time_limit_seconds="20",  # as the base (20.0)
        **{"teams.weekdays": ["", "mon", "tue", "wed", "thu", "fri", "sat"]},  # as the base
    )
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    assert response.headers["location"] == "/scenarios/demo-two"  # type: ignore[attr-defined]
    path = space / "scenarios" / "demo-two.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    assert table == {
        "name": "demo-two",
        "title": 'Hai đội <b>mỗi</b> huyện "thử"',
        "extends": "demo.toml",
        "campaign": {"end": __import__("datetime").date(2020, 5, 26)},
        "teams": {"rule": {"teams_per_group": 2}},
        "safety": {"daylight_only": False},
        "covid": {"default_level": "d19_low"},
    }
    scenario = load_scenario(path)
    assert scenario.teams.rule is not None and scenario.teams.rule.teams_per_group == 2
    assert scenario.teams.rule.crew == 3  # the base's
    page = own_client.get("/scenarios/demo-two")
    assert page.status_code == 200
    assert "Hai đội &lt;b&gt;mỗi&lt;/b&gt; huyện" in page.text  # escaped
    download = own_client.get("/scenarios/demo-two/download")
    assert download.status_code == 200
    assert download.content == path.read_bytes()
    assert 'filename="demo-two.toml"' in download.headers["content-disposition"]
    assert 'href="/scenarios/demo-two"' in own_client.get("/scenarios").text


@pytest.mark.parametrize(
    ("fields", "where", "words"),
    [
        ({"conferences.show_up": "1.5"}, "conferences.show_up", "1.5"),
        ({"teams.rule.crew": "abc"}, "teams.rule.crew", "abc"),
        ({"campaign.end": "2020-05-20"}, "campaign.end", "2020-05-20"),
        ({"campaign.start": "23/05/2020"}, "campaign.start", "23/05/2020"),
        ({"teams.weekdays": [""]}, "teams.weekdays", "teams.weekdays"),
        ({"teams.working_hours.end": "25:00"}, "teams.working_hours.end", "25:00"),
        ({"solver.time_limit_seconds": "0"}, "solver.time_limit_seconds", "0"),
        ({"teams.territory": "everywhere"}, "teams.territory", "everywhere"),
    ],
)
def test_bad_value_shown_beside_its_field_nothing_written(
    own_client: TestClient, space: Path, fields: dict[str, object], where: str, words: str
) -> None:
    before = _files(space)
    response = _post(
        own_client, name="demo-bad", **{k.replace(".", "__"): v for k, v in fields.items()}
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    block = _field_block(page, where)
    errors = re.findall(r'<p class="error field-error" id="[^"]+" role="alert">(.*?)</p>', block)
    assert len(errors) == 1, page
    line = errors[0]
    # the loader's one line: the new file's name, the field, the value; no temporary name
    assert line.startswith("scenarios/demo-bad.toml, ")
    assert f"&#39;{where}" in line and words in line
    assert ".variant-" not in page and "\n" not in line
    assert 'aria-invalid="true"' in block
    assert page.count('class="error field-error"') == 1  # beside that field only
    assert _files(space) == before  # nothing written, no temporary file left
    # what was typed is kept in the form
    if isinstance(next(iter(fields.values())), str):
        assert f'value="{words}"' in block or f'value="{words}" selected' in block or words in block


def test_name_checked(own_client: TestClient, space: Path) -> None:
    before = _files(space)
    for name in ("", "Demo Hai", "../x", "x" * 65, "demo"):
        response = _post(own_client, name=name, teams__rule__teams_per_group="2")
        assert response.status_code == 422, name  # type: ignore[attr-defined]
        assert 'id="err-name"' in response.text  # type: ignore[attr-defined]
    assert "demo.toml: đã có kịch bản tên này" in response.text  # type: ignore[attr-defined]
    assert _files(space) == before


def test_nothing_changed_refused(own_client: TestClient, space: Path) -> None:
    response = _post(own_client, name="same", conferences__show_up="0.70")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Chưa có trường nào khác kịch bản gốc" in response.text  # type: ignore[attr-defined]
    assert not (space / "scenarios" / "same.toml").exists()


@pytest.mark.parametrize("base", ["../demo", "..%2Fdemo", "nope", "/etc/passwd", "DEMO", ""])
def test_unknown_base_refused(own_client: TestClient, space: Path, base: str) -> None:
    if base:
        assert own_client.get(f"/variants/new?base={base}").status_code == 404
    response = own_client.post(
        "/variants",
        data={"csrf": csrf_of(own_client), "base": base, "name": "x", "campaign.end": "2020-05-26"},
    )
    assert response.status_code == 422
    assert "Không có kịch bản này" in response.text
    assert not (space / "scenarios" / "x.toml").exists()


def test_a_variant_of_a_variant(own_client: TestClient, space: Path) -> None:
    assert _post(own_client, name="v1", teams__rule__teams_per_group="2").status_code == 303  # type: ignore[attr-defined]
    token = csrf_of(own_client)
    response = own_client.post(
        "/variants",
        data={"csrf": token, "base": "v1", "name": "v2", "conferences.lead_days": "5"},
    )
    assert response.status_code == 303
    scenario = load_scenario(space / "scenarios" / "v2.toml")
    assert scenario.conferences.lead_days == 5
    assert scenario.teams.rule is not None and scenario.teams.rule.teams_per_group == 2
    assert tomllib.loads((space / "scenarios" / "v2.toml").read_text())["extends"] == "v1.toml"


def test_toml_written_reads_back() -> None:
    for text in ('a "quoted" \\ back', "tab\there", "line\nbreak", "del\x7f", "Đắk Lắk ✓"):
        assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text
    content = variant_toml(
        name="x",
        title="",
        description="",
        base_file="demo.toml",
        base_title="Demo",
        changed={"propaganda.reach_share": 1e-05, "solver.time_limit_seconds": 5.0},
        lang="en",
    )
    table = tomllib.loads(content)
    assert table["propaganda"] == {"reach_share": 1e-05}
    assert table["solver"] == {"time_limit_seconds": 5.0}
    assert table["title"] == "Demo (x)"


def test_every_field_is_in_the_schema() -> None:
    kinds = {path: field_spec(path).kind for path in FIELDS}
    assert kinds["campaign.start"] == "date"
    assert kinds["teams.weekdays"] == "choices"
    assert kinds["teams.territory"] == "choice"
    assert kinds["launch.start"] == "time"
    assert kinds["conferences.max_per_team_week"] == "integer"
    assert field_spec("conferences.max_per_team_week").nullable
    assert kinds["safety.daylight_only"] == "boolean"


def _data(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


def _as_a_browser_sends(page: str) -> list[tuple[str, str]]:
    """Every field of the variant form as a browser sends it: text inputs with their value,
    ticked boxes, the chosen option of each select, the hidden fields."""
    form = page.split('action="/variants"', 1)[1].split("</form>", 1)[0]
    sent: list[tuple[str, str]] = []
    for tag in re.findall(r"<input[^>]*>", form, re.S):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None:
            continue
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        sent.append((name.group(1), value.group(1) if value else ""))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        sent.append((name, chosen.group(1) if chosen else ""))
    return sent


def test_the_whole_form_as_sent(own_client: TestClient, space: Path) -> None:
    page = own_client.get("/variants/new?base=demo").text
    fields = _as_a_browser_sends(page)
    assert len(fields) > 20  # more fields than a small form: all read
    unchanged = [(k, "demo-full" if k == "name" else v) for k, v in fields]
    response = own_client.post("/variants", data=_data(unchanged))
    assert response.status_code == 422 and "Chưa có trường nào khác" in response.text
    changed = [(k, "3" if k == "conferences.max_per_team_week" else v) for k, v in unchanged]
    response = own_client.post("/variants", data=_data(changed))
    assert response.status_code == 303, response.text
    table = tomllib.loads((space / "scenarios" / "demo-full.toml").read_text(encoding="utf-8"))
    assert set(table) == {"name", "title", "extends", "conferences"}
    assert table["conferences"] == {"max_per_team_week": 3}

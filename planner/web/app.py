"""The Starlette application of `planner serve`: routes, pages, server-sent events.

`create_app(workspace)` builds it on a workspace folder (see `planner.web.workspace`); the
same call on the same folder after a restart finds every job again (`JobRunner.recover`).
"""

from __future__ import annotations

import asyncio
import math
import mimetypes
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from planner.errors import PlannerError, ScenarioError
from planner.export.i18n import Lang
from planner.scenario import load_scenario
from planner.web import i18n
from planner.web.jobs import JobRunner, new_job_id
from planner.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    LANG_COOKIE,
    RUN_FILE_CSP,
    Guard,
    check_csrf,
    is_loopback,
)
from planner.web.store import STORE_NAME, JobStore
from planner.web.views import (
    DOWNLOADS,
    clock,
    duration,
    job_result,
    live_view,
    results_view,
    scenario_summary,
)
from planner.web.workspace import ID_PATTERN, MAX_UPLOAD_BYTES, UploadError, Workspace

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

#: Largest request body: an upload of MAX_UPLOAD_BYTES and its form around it.
MAX_BODY = MAX_UPLOAD_BYTES + 64 * 1024
#: Most seconds one server-sent-events response stays open (the browser reconnects).
SSE_SECONDS = 300.0
#: Seconds between two looks at the store for a live page.
SSE_INTERVAL = 1.0
MAX_TIME_LIMIT = 86_400.0

_MEDIA_TYPES = {
    ".gpx": "application/gpx+xml",
    ".gpkg": "application/geopackage+sqlite3",
    ".csv": "text/csv; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".toml": "application/toml",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


@dataclass
class Web:
    """What the routes share: the workspace, its store, its workers, the templates."""

    workspace: Workspace
    store: JobStore
    runner: JobRunner
    templates: Jinja2Templates
    token: str | None
    workers: int | None


def create_app(
    workspace: Path | str = ".",
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    workers: int | None = None,
) -> Starlette:
    """The web app on `workspace`. Serving on a non-loopback `host` requires `token`."""
    if not is_loopback(host) and not token:
        raise PlannerError(f"--host {host}: serving beyond this machine needs an access token")
    space = Workspace(Path(workspace))
    try:
        space.ensure()
    except OSError as error:
        raise PlannerError(f"{space.root}: cannot use it as a workspace ({error})") from None
    store = JobStore(space.root / STORE_NAME)
    runner = JobRunner(space, store)
    runner.recover()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    web = Web(space, store, runner, Jinja2Templates(env=env), token, workers)
    routes = [
        Route("/", home),
        Route("/scenarios", scenarios_page),
        Route("/scenarios/upload", upload_scenario, methods=["POST"]),
        Route("/scenarios/{sid}", scenario_page),
        Route("/scenarios/{sid}/download", download_scenario),
        Route("/runs", runs_page),
        Route("/runs", start_run, methods=["POST"]),
        Route("/runs/{rid}", run_page),
        Route("/runs/{rid}/live", run_live),
        Route("/runs/{rid}/events", run_events),
        Route("/runs/{rid}/cancel", cancel_run, methods=["POST"]),
        Route("/runs/{rid}/files/{path:path}", run_file),
        Route("/runs/{rid}/download/{kind}", run_download),
        Route("/runs/{rid}/teams/{stem}.zip", team_zip),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                Guard,  # type: ignore[arg-type]
                token=token,
                csrf_secret=store.secret("csrf"),
                max_body=MAX_BODY,
            )
        ],
        exception_handlers={HTTPException: http_error},  # type: ignore[dict-item]
    )
    app.state.web = web
    return app


# --- helpers ---------------------------------------------------------------------------


def _web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def _lang(request: Request) -> Lang:
    lang = getattr(request.state, "lang", None)
    if lang in ("vi", "en"):
        return lang  # type: ignore[no-any-return]
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in ("vi", "en"):
        return asked  # type: ignore[return-value]
    return i18n.default_lang()


def _own_path(path: str) -> str:
    """A path of this site to link back to (never '//host/...', which would leave it)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/scenarios"
    return path


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    lang = _lang(request)
    base = {
        "lang": lang,
        "t": lambda key, **values: i18n.text(key, lang, **values),
        "csrf": request.state.csrf_token,
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "path": _own_path(request.url.path),
        "workspace": str(_web(request).workspace.root),
        "active": "",
    }
    response = _web(request).templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
    asked = request.query_params.get("lang")
    if asked in ("vi", "en"):
        response.set_cookie(LANG_COOKIE, asked, samesite="strict", httponly=True)
    return response


async def http_error(request: Request, exc: HTTPException) -> Response:
    lang = _lang(request)
    if exc.status_code == 404:
        title, message = i18n.text("not_found", lang), i18n.text("not_found_text", lang)
    elif exc.status_code == 403:
        title, message = i18n.text("forbidden", lang), str(exc.detail)
    else:
        title, message = str(exc.status_code), str(exc.detail)
    if not hasattr(request.state, "csrf_token"):
        return HTMLResponse(f"{exc.status_code}", status_code=exc.status_code)
    return render(
        request, "error.html", {"title": title, "message": message}, status_code=exc.status_code
    )


def _not_found() -> HTTPException:
    return HTTPException(404, "not found")


async def _require_csrf(request: Request) -> None:
    if not await check_csrf(request):
        raise HTTPException(403, i18n.text("csrf_failed", _lang(request)))


def _job_or_404(request: Request) -> Any:
    rid = request.path_params["rid"]
    if not ID_PATTERN.match(rid):
        raise _not_found()
    job = _web(request).store.get(rid)
    if job is None:
        raise _not_found()
    return job


# --- pages -------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    return RedirectResponse("/scenarios", status_code=302)


async def scenarios_page(request: Request) -> Response:
    return await _scenarios(request)


async def _scenarios(
    request: Request, *, error: str = "", status_code: int = 200, fragment: bool = False
) -> Response:
    web = _web(request)
    entries = await run_in_threadpool(web.workspace.list_scenarios)
    context = {
        "scenarios": entries,
        "error": error,
        "max_kb": MAX_UPLOAD_BYTES // 1024,
        "active": "scenarios",
    }
    name = "_upload_result.html" if fragment else "scenarios.html"
    return render(request, name, context, status_code=status_code)


async def upload_scenario(request: Request) -> Response:
    await _require_csrf(request)
    web = _web(request)
    lang = _lang(request)
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _scenarios(
            request, error=i18n.text("choose_file", lang), status_code=422, fragment=_htmx(request)
        )
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    replace = form.get("replace") == "1"
    try:
        sid = await run_in_threadpool(
            web.workspace.upload_scenario, upload.filename, data, replace=replace
        )
    except UploadError as exc:
        return await _scenarios(request, error=str(exc), status_code=422, fragment=_htmx(request))
    target = f"/scenarios/{sid}"
    if _htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def scenario_page(request: Request) -> Response:
    web = _web(request)
    lang = _lang(request)
    sid = request.path_params["sid"]
    path = web.workspace.scenario_path(sid)
    if path is None:
        raise _not_found()
    error = ""
    rows: list[tuple[str, str]] = []
    title, description = path.stem, ""
    try:
        scenario = await run_in_threadpool(load_scenario, path)
    except ScenarioError as exc:
        error = web.workspace.short(str(exc))
    else:
        rows = scenario_summary(scenario, lang)
        title, description = scenario.title or scenario.name, scenario.description
    jobs = await run_in_threadpool(web.store.jobs, scenario_id=sid, limit=50)
    return render(
        request,
        "scenario.html",
        {
            "sid": sid,
            "file": path.name,
            "title": title,
            "description": description,
            "rows": rows,
            "error": error,
            "jobs": [_job_row(job, lang) for job in jobs],
            "scenario_ids": [sid],
            "chosen": sid,
            "active": "scenarios",
            "form_error": "",
        },
    )


async def download_scenario(request: Request) -> Response:
    path = _web(request).workspace.scenario_path(request.path_params["sid"])
    if path is None:
        raise _not_found()
    return FileResponse(path, media_type="application/toml", filename=path.name)


def _job_row(job: Any, lang: Lang) -> dict[str, Any]:
    end = job.finished_at
    start = job.started_at or job.created_at
    return {
        "id": job.id,
        "scenario_id": job.scenario_id,
        "title": job.scenario_title or job.scenario_id,
        "status": job.status,
        "status_text": i18n.text(f"status_{job.status}", lang),
        "created": clock(job.created_at),
        "duration": duration(end - start, lang) if end and start else "",
        "outcome": job.message or job_result(job.result, lang),
    }


async def runs_page(request: Request) -> Response:
    return await _runs(request)


async def _runs(request: Request, *, form_error: str = "", status_code: int = 200) -> Response:
    web = _web(request)
    lang = _lang(request)
    jobs = await run_in_threadpool(web.store.jobs)
    ids = list((await run_in_threadpool(web.workspace.scenario_files)).keys())
    return render(
        request,
        "runs.html",
        {
            "jobs": [_job_row(job, lang) for job in jobs],
            "scenario_ids": ids,
            "chosen": request.query_params.get("scenario", ids[0] if ids else ""),
            "active": "runs",
            "form_error": form_error,
        },
        status_code=status_code,
    )


async def start_run(request: Request) -> Response:
    await _require_csrf(request)
    web = _web(request)
    lang = _lang(request)
    form = await request.form(max_files=0, max_fields=20)
    sid = str(form.get("scenario", ""))
    path = web.workspace.scenario_path(sid)
    if path is None:
        return await _runs(request, form_error=i18n.text("unknown_scenario", lang), status_code=422)
    limit_text = str(form.get("time_limit", "")).strip().replace(",", ".")
    time_limit: float | None = None
    if limit_text:
        try:
            time_limit = float(limit_text)
        except ValueError:
            time_limit = -1.0
        if not (0 < time_limit <= MAX_TIME_LIMIT) or not math.isfinite(time_limit):
            return await _runs(
                request, form_error=i18n.text("bad_time_limit", lang), status_code=422
            )
    output_lang = str(form.get("output_lang", lang))
    if output_lang not in ("vi", "en"):
        output_lang = lang
    try:
        scenario = await run_in_threadpool(load_scenario, path)
        title = scenario.title or scenario.name
    except ScenarioError as exc:
        return await _runs(request, form_error=web.workspace.short(str(exc)), status_code=422)
    from planner.runner import RunSettings

    job = await run_in_threadpool(
        lambda: web.store.create(
            new_job_id(sid),
            scenario_id=sid,
            scenario_file=path.name,
            scenario_title=title,
            time_limit=time_limit,
            lang=output_lang,
            workers=web.workers or RunSettings().workers,
        )
    )
    await run_in_threadpool(web.runner.start, job)
    return RedirectResponse(f"/runs/{job.id}", status_code=303)


def _live_context(web: Web, job: Any, lang: Lang) -> dict[str, Any]:
    provinces = web.store.provinces(job.id)
    notes = web.store.notes(job.id)
    live = live_view(job, provinces, notes, lang)
    results = results_view(web.workspace, job, lang) if job.status == "done" else None
    return {"job": job, "live": live, "results": results}


async def run_page(request: Request) -> Response:
    web = _web(request)
    job = _job_or_404(request)
    lang = _lang(request)
    context = await run_in_threadpool(_live_context, web, job, lang)
    return render(request, "run.html", {**context, "active": "runs"})


async def run_live(request: Request) -> Response:
    web = _web(request)
    job = _job_or_404(request)
    context = await run_in_threadpool(_live_context, web, job, _lang(request))
    return render(request, "_live.html", context)


def _sse(event: str, data: str) -> str:
    lines = data.splitlines() or [""]
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


async def run_events(request: Request) -> Response:
    """Server-sent events: `progress` (the live block's HTML) when it changes, `done` at the
    end. A response lasts at most SSE_SECONDS; the browser then reconnects."""
    web = _web(request)
    job = _job_or_404(request)
    lang = _lang(request)
    template = web.templates.get_template("_live.html")
    base = {
        "lang": lang,
        "t": lambda key, **values: i18n.text(key, lang, **values),
        "csrf": request.state.csrf_token,
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
    }

    def snapshot() -> tuple[bool, str]:
        current = web.store.get(job.id)
        assert current is not None
        context = _live_context(web, current, lang)
        return current.final, template.render({**base, **context, "request": request})

    async def stream() -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SSE_SECONDS
        last = ""
        yield "retry: 2000\n\n"
        while True:
            final, html = await run_in_threadpool(snapshot)
            if html != last:
                yield _sse("progress", html)
                last = html
            if final:
                yield _sse("done", "")
                return
            if loop.time() > deadline:
                return
            await asyncio.sleep(SSE_INTERVAL)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


async def cancel_run(request: Request) -> Response:
    await _require_csrf(request)
    web = _web(request)
    job = _job_or_404(request)
    await run_in_threadpool(web.runner.cancel, job.id)
    if _htmx(request):
        return Response(status_code=204)
    return RedirectResponse(f"/runs/{job.id}", status_code=303)


def _media_type(path: Path) -> str:
    return (
        _MEDIA_TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )


async def run_file(request: Request) -> Response:
    """A file of the run's folder (maps, sheets, team pages and what they load)."""
    web = _web(request)
    job = _job_or_404(request)
    path = web.workspace.run_file(job.id, request.path_params["path"])
    if path is None:
        raise _not_found()
    return FileResponse(
        path,
        media_type=_media_type(path),
        headers={"content-security-policy": RUN_FILE_CSP, "x-frame-options": "SAMEORIGIN"},
    )


async def run_download(request: Request) -> Response:
    web = _web(request)
    job = _job_or_404(request)
    kind = request.path_params["kind"]
    if kind not in DOWNLOADS:
        raise _not_found()
    name = DOWNLOADS[kind][0]
    path = web.workspace.run_file(job.id, name)
    if path is None:
        raise _not_found()
    stem, suffix = os.path.splitext(name)
    return FileResponse(
        path, media_type=_media_type(path), filename=f"{job.scenario_id}-{job.id}-{stem}{suffix}"
    )


async def team_zip(request: Request) -> Response:
    web = _web(request)
    job = _job_or_404(request)
    stem = request.path_params["stem"]
    data = await run_in_threadpool(web.workspace.team_pack_zip, job.id, stem)
    if data is None:
        raise _not_found()
    return Response(
        data,
        media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="{job.id}-team-{stem}.zip"'},
    )

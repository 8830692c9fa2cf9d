"""The Starlette application of `planner serve`: routes, pages, server-sent events.

`create_app(workspace)` builds it on a workspace folder (see `planner.web.workspace`); the
same call on the same folder after a restart finds every job again (`JobRunner.recover`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import mimetypes
import os
import re
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

from planner.errors import PlannerError, ScenarioError, UploadError, VariantError
from planner.export.i18n import Lang, format_number, format_percent
from planner.messages import msg
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
from planner.web.store import (
    BATCH,
    COMPARE,
    DONE,
    REPLAN,
    RUN,
    STORE_NAME,
    SWEEP,
    Job,
    JobStore,
)
from planner.web.variant import FIELDS as VARIANT_FIELDS
from planner.web.variant import (
    MAX_TEXT,
    changes,
    check_name,
    field_spec,
    label_of,
    save_variant,
    variant_form,
    variant_toml,
)
from planner.web.views import (
    DOWNLOADS,
    batch_view,
    clock,
    compare_view,
    duration,
    job_outcome,
    job_title,
    live_view,
    results_view,
    scenario_summary,
    sweep_view,
)
from planner.web.workspace import (
    ID_PATTERN,
    MAX_REPORT_BYTES,
    MAX_REPORT_FILES,
    MAX_REPORTS_BODY,
    MAX_UPLOAD_BYTES,
    Workspace,
    slug,
)

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
    executor: str = "local"  # where the workers plan provinces: "local" or "dask"
    scheduler: str | None = None  # the Dask scheduler's address

    def executor_params(self) -> dict[str, Any]:
        """What a job keeps of the executor (nothing for local processes)."""
        if self.executor == "dask":
            return {"executor": "dask", "scheduler": self.scheduler}
        return {}


def create_app(
    workspace: Path | str = ".",
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> Starlette:
    """The web app on `workspace`. Serving on a non-loopback `host` requires `token`.

    With ``executor="dask"`` and a `scheduler` address, the worker processes plan provinces
    on that Dask cluster, as ``planner run --executor dask --scheduler ADDRESS`` does."""
    if not is_loopback(host) and not token:
        raise PlannerError(msg("web.host_needs_token", host=host))
    if executor not in ("local", "dask"):
        raise PlannerError(msg("web.executor", executor=executor))
    if executor == "dask" and not scheduler:
        raise PlannerError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    space = Workspace(Path(workspace))
    try:
        space.ensure()
    except OSError as error:
        raise PlannerError(
            msg("web.workspace_unusable", root=space.root, reason=str(error))
        ) from None
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
    web = Web(
        space,
        store,
        runner,
        Jinja2Templates(env=env),
        token,
        workers,
        executor,
        scheduler if executor == "dask" else None,
    )
    routes = [
        Route("/", home),
        Route("/scenarios", scenarios_page),
        Route("/scenarios/upload", upload_scenario, methods=["POST"]),
        Route("/scenarios/{sid}", scenario_page),
        Route("/scenarios/{sid}/download", download_scenario),
        Route("/variants/new", variant_page),
        Route("/variants", create_variant, methods=["POST"]),
        Route("/runs", runs_page),
        Route("/runs", start_run, methods=["POST"]),
        Route("/runs/batch", start_batch, methods=["POST"]),
        Route("/runs/{rid}", run_page),
        Route("/runs/{rid}/live", run_live),
        Route("/runs/{rid}/events", run_events),
        Route("/runs/{rid}/cancel", cancel_run, methods=["POST"]),
        Route("/runs/{rid}/files/{path:path}", run_file),
        Route("/runs/{rid}/download/{kind}", run_download),
        Route("/runs/{rid}/teams/{stem}.zip", team_zip),
        Route("/runs/{rid}/fieldwork", fieldwork_page),
        Route("/runs/{rid}/reports", upload_reports, methods=["POST"]),
        Route("/runs/{rid}/replan", start_replan, methods=["POST"]),
        Route("/runs/{rid}/publish", publish_run, methods=["POST"]),
        Route("/compare", start_compare, methods=["POST"]),
        Route("/scenarios/{sid}/sweep", start_sweep, methods=["POST"]),
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
                body_limits=[(re.compile(r"/runs/[^/]+/reports"), MAX_REPORTS_BODY)],
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


async def _require_csrf(request: Request, *, max_files: int = 1, max_fields: int = 20) -> None:
    """A 403 unless the POST carries this browser's CSRF token; the form is read with these
    limits (and read once: the route's own `request.form()` gets it back)."""
    if not await check_csrf(request, max_files=max_files, max_fields=max_fields):
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
    request: Request,
    *,
    error: str = "",
    status_code: int = 200,
    fragment: bool = False,
    batch_error: str = "",
    batch_chosen: list[str] | None = None,
) -> Response:
    web = _web(request)
    entries = await run_in_threadpool(web.workspace.list_scenarios)
    context = {
        "scenarios": entries,
        "error": error,
        "max_kb": MAX_UPLOAD_BYTES // 1024,
        "active": "scenarios",
        "batch_error": batch_error,
        "batch_chosen": batch_chosen or [],
        "dask": _web(request).scheduler,
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
        return await _scenarios(
            request, error=i18n.error_text(exc, lang), status_code=422, fragment=_htmx(request)
        )
    target = f"/scenarios/{sid}"
    if _htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def scenario_page(request: Request) -> Response:
    return await _scenario(request)


async def _scenario(
    request: Request, *, sweep: dict[str, str] | None = None, status_code: int = 200
) -> Response:
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
    published = await run_in_threadpool(web.store.published)
    rows_of_jobs = [_job_row(job, lang, published) for job in jobs]
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
            "jobs": rows_of_jobs,
            "scenario_ids": [sid],
            "chosen": sid,
            "active": "scenarios",
            "form_error": "",
            "compare_error": "",
            "can_compare": sum(1 for j in rows_of_jobs if j["comparable"]) >= 2,
            "sweep": {"field": "", "values": "", "time_limit": "", "error": "", **(sweep or {})},
            "sweep_fields": _sweep_fields(lang),
        },
        status_code=status_code,
    )


async def download_scenario(request: Request) -> Response:
    path = _web(request).workspace.scenario_path(request.path_params["sid"])
    if path is None:
        raise _not_found()
    return FileResponse(path, media_type="application/toml", filename=path.name)


# --- variants ----------------------------------------------------------------------------


async def variant_page(request: Request) -> Response:
    """The form of a variant of `?base=<scenario id>` (default: the first scenario)."""
    web = _web(request)
    files = await run_in_threadpool(web.workspace.scenario_files)
    sid = request.query_params.get("base") or next(iter(files), "")
    path = web.workspace.scenario_path(sid) if sid else None
    if path is None:
        raise _not_found()
    return await _variant(request, sid, path, list(files))


async def _variant(
    request: Request,
    sid: str,
    path: Path,
    ids: list[str],
    *,
    submitted: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    web = _web(request)
    lang = _lang(request)
    try:
        base = await run_in_threadpool(load_scenario, path)
    except ScenarioError as exc:
        form = None
        base_error = web.workspace.short(str(exc))
    else:
        form = variant_form(sid, path.name, base, lang, submitted)
        base_error = ""
        for name, message in (errors or {}).items():
            found = form.field(name)
            if found is not None:
                found.error = message
            else:
                form.errors[name] = message
    return render(
        request,
        "variant.html",
        {
            "form": form,
            "sid": sid,
            "file": path.name,
            "base_error": base_error,
            "scenario_ids": ids,
            "active": "scenarios",
        },
        status_code=status_code,
    )


#: Most fields the variant form may send: every field once, each weekday, and some.
VARIANT_MAX_FIELDS = 200


def _submitted(form: Any) -> dict[str, Any]:
    """The variant form as sent: field -> text (a list for a multiple choice)."""
    sent: dict[str, Any] = {}
    for key in ("name", "title", "description"):
        value = form.get(key)
        sent[key] = str(value)[:MAX_TEXT] if isinstance(value, str) else ""
    for path in VARIANT_FIELDS:
        values = [v for v in form.getlist(path) if isinstance(v, str)]
        if not values:
            continue
        sent[path] = values if field_spec(path).kind == "choices" else values[-1]
    return sent


async def create_variant(request: Request) -> Response:
    """Check a variant with the loader and keep it as scenarios/<name>.toml; nothing is
    written when it has a mistake (shown beside the field it is about)."""
    await _require_csrf(request, max_files=0, max_fields=VARIANT_MAX_FIELDS)
    web = _web(request)
    lang = _lang(request)
    form = await request.form(max_files=0, max_fields=VARIANT_MAX_FIELDS)
    sid = str(form.get("base", ""))
    path = web.workspace.scenario_path(sid)
    if path is None:
        return render(
            request,
            "error.html",
            {
                "title": i18n.text("variant_not_saved", lang),
                "message": i18n.text("unknown_scenario", lang),
            },
            status_code=422,
        )
    ids = list((await run_in_threadpool(web.workspace.scenario_files)).keys())
    sent = _submitted(form)
    try:
        base = await run_in_threadpool(load_scenario, path)
    except ScenarioError:
        return await _variant(request, sid, path, ids, status_code=422)

    def save() -> str:
        name = check_name(web.workspace, sent["name"], lang)
        changed = changes(base, sent)
        if not changed:
            raise VariantError(i18n.text("variant_nothing_changed", lang), "")
        content = variant_toml(
            name=name,
            title=sent["title"].strip(),
            description=sent["description"].strip(),
            base_file=path.name,
            base_title=base.title or base.name,
            changed=changed,
            lang=lang,
        )
        save_variant(web.workspace, name, content, changed, lang)
        return name

    try:
        name = await run_in_threadpool(save)
    except VariantError as exc:
        return await _variant(
            request,
            sid,
            path,
            ids,
            submitted=sent,
            errors={exc.form_field: exc.message},
            status_code=422,
        )
    return RedirectResponse(f"/scenarios/{slug(name)}", status_code=303)


def _job_row(job: Job, lang: Lang, published: dict[str, str] | None = None) -> dict[str, Any]:
    end = job.finished_at
    start = job.started_at or job.created_at
    return {
        "id": job.id,
        "scenario_id": job.scenario_id,
        "title": job_title(job, lang),
        "kind": job.kind,
        "kind_text": i18n.text(f"kind_{job.kind}", lang),
        "status": job.status,
        "status_text": i18n.text(f"status_{job.status}", lang),
        "created": clock(job.created_at),
        "duration": duration(end - start, lang) if end and start else "",
        "outcome": job.message or job_outcome(job, lang),
        "comparable": job.makes_plan and job.status == DONE,
        "published": (published or {}).get(job.scenario_id) == job.id,
    }


async def runs_page(request: Request) -> Response:
    return await _runs(request)


async def _runs(
    request: Request, *, form_error: str = "", compare_error: str = "", status_code: int = 200
) -> Response:
    web = _web(request)
    lang = _lang(request)
    jobs = await run_in_threadpool(web.store.jobs)
    published = await run_in_threadpool(web.store.published)
    ids = list((await run_in_threadpool(web.workspace.scenario_files)).keys())
    rows = [_job_row(job, lang, published) for job in jobs]
    return render(
        request,
        "runs.html",
        {
            "jobs": rows,
            "scenario_ids": ids,
            "chosen": request.query_params.get("scenario", ids[0] if ids else ""),
            "active": "runs",
            "form_error": form_error,
            "compare_error": compare_error,
            "can_compare": sum(1 for j in rows if j["comparable"]) >= 2,
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
    try:
        time_limit = _time_limit(form.get("time_limit"))
    except ValueError:
        return await _runs(request, form_error=i18n.text("bad_time_limit", lang), status_code=422)
    output_lang = _output_lang(form.get("output_lang"), lang)
    try:
        scenario = await run_in_threadpool(load_scenario, path)
        title = scenario.title or scenario.name
    except ScenarioError as exc:
        return await _runs(request, form_error=web.workspace.short(str(exc)), status_code=422)
    job = await _start_job(
        web,
        new_job_id(sid),
        scenario_id=sid,
        scenario_file=path.name,
        scenario_title=title,
        time_limit=time_limit,
        lang=output_lang,
    )
    return RedirectResponse(f"/runs/{job.id}", status_code=303)


#: Most scenarios in one batch, and most fields its form may send (the scenarios page has
#: a box per scenario: more ticked than MAX_BATCH is refused with its message below this).
MAX_BATCH = 20
BATCH_MAX_FIELDS = 200


def _batch_of(web: Web, ids: list[str], lang: Lang) -> list[tuple[str, Path, str, str]]:
    """The chosen scenarios, each loaded as the command line loads it: (id, file, name,
    title); a ValueError with the one line to show if one is unknown or invalid, or two
    have the same name (their plans would be labelled alike, as `planner run` refuses)."""
    if not ids:
        raise ValueError(i18n.text("batch_none", lang))
    if len(ids) > MAX_BATCH:
        raise ValueError(i18n.text("batch_too_many", lang, n=MAX_BATCH))
    chosen: list[tuple[str, Path, str, str]] = []
    names: dict[str, str] = {}
    for sid in ids:
        path = web.workspace.scenario_path(sid)
        if path is None:
            raise ValueError(f"{i18n.text('unknown_scenario', lang)} ({sid[:80]})")
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            raise ValueError(web.workspace.short(i18n.error_text(exc, lang))) from None
        if scenario.name in names:
            raise ValueError(
                i18n.text(
                    "batch_same_name", lang, a=names[scenario.name], b=sid, name=scenario.name
                )
            )
        names[scenario.name] = sid
        chosen.append((sid, path, scenario.name, scenario.title or scenario.name))
    return chosen


async def start_batch(request: Request) -> Response:
    """The scenarios ticked on the scenarios page, planned as one batch (`planner run A.toml
    B.toml`) in one worker; one ticked scenario is a run of its own."""
    await _require_csrf(request, max_files=0, max_fields=BATCH_MAX_FIELDS)
    web = _web(request)
    lang = _lang(request)
    form = await request.form(max_files=0, max_fields=BATCH_MAX_FIELDS)
    ids = list(dict.fromkeys(v for v in form.getlist("scenarios") if isinstance(v, str) and v))
    shown = [sid for sid in ids if ID_PATTERN.match(sid)]

    async def refuse(message: str) -> Response:
        return await _scenarios(request, batch_error=message, batch_chosen=shown, status_code=422)

    try:
        time_limit = _time_limit(form.get("time_limit"))
    except ValueError:
        return await refuse(i18n.text("bad_time_limit", lang))
    try:
        chosen = await run_in_threadpool(_batch_of, web, ids, lang)
    except ValueError as exc:
        return await refuse(str(exc))
    output_lang = _output_lang(form.get("output_lang"), lang)
    first_id, first_path, _, first_title = chosen[0]
    if len(chosen) == 1:
        job = await _start_job(
            web,
            new_job_id(first_id),
            scenario_id=first_id,
            scenario_file=first_path.name,
            scenario_title=first_title,
            time_limit=time_limit,
            lang=output_lang,
        )
        return RedirectResponse(f"/runs/{job.id}", status_code=303)
    title = i18n.text(
        "batch_title", lang, n=len(chosen), names=", ".join(sid for sid, *_ in chosen)
    )
    job = await _start_job(
        web,
        new_job_id("batch"),
        scenario_id=first_id,
        scenario_file=first_path.name,
        scenario_title=title[:300],
        time_limit=time_limit,
        lang=output_lang,
        kind=BATCH,
        params={
            "scenarios": [
                {"id": sid, "file": path.name, "name": name, "title": title}
                for sid, path, name, title in chosen
            ]
        },
    )
    return RedirectResponse(f"/runs/{job.id}", status_code=303)


def _time_limit(value: Any) -> float | None:
    """A time limit from a form: None when empty; a ValueError unless 0 < seconds <= a day."""
    limit_text = str(value or "").strip().replace(",", ".")
    if not limit_text:
        return None
    time_limit = float(limit_text)
    if not (0 < time_limit <= MAX_TIME_LIMIT) or not math.isfinite(time_limit):
        raise ValueError(limit_text)
    return time_limit


def _output_lang(value: Any, lang: Lang) -> Lang:
    return value if value in ("vi", "en") else lang  # type: ignore[no-any-return]


async def _start_job(
    web: Web,
    job_id: str,
    *,
    scenario_id: str,
    scenario_file: str,
    scenario_title: str,
    time_limit: float | None,
    lang: str,
    kind: str = RUN,
    params: dict[str, Any] | None = None,
) -> Job:
    """Put a job in the store and start its worker process."""
    from planner.runner import RunSettings

    job = await run_in_threadpool(
        lambda: web.store.create(
            job_id,
            scenario_id=scenario_id,
            scenario_file=scenario_file,
            scenario_title=scenario_title,
            time_limit=time_limit,
            lang=lang,
            workers=web.workers or RunSettings().workers,
            kind=kind,
            params={**(params or {}), **web.executor_params()},
        )
    )
    await run_in_threadpool(web.runner.start, job)
    return job


# --- compare and sweep ---------------------------------------------------------------------

#: Most plans in one comparison started here, and most values in one sweep.
MAX_COMPARE = 8
MAX_SWEEP_VALUES = 8
#: Most fields a form of the comparison may send (a runs page with many plans ticked is
#: refused by the count, with its message, below this).
COMPARE_MAX_FIELDS = 200


def plan_label(job: Job, lang: Lang) -> str:
    """A plan's column title in a comparison: its scenario, what it is, and when it ran."""
    what = job.scenario_id
    if job.kind == REPLAN:
        what += f" ↻ {job.parameters.get('from', '')}"
    return f"{what} · {clock(job.created_at)}"


def _plans_to_compare(web: Web, ids: list[str], lang: Lang) -> list[Job]:
    """The jobs of `ids` (each a finished plan), or a ValueError with the one line to show."""
    if len(ids) < 2:
        raise ValueError(i18n.text("compare_too_few", lang))
    if len(ids) > MAX_COMPARE:
        raise ValueError(i18n.text("compare_too_many", lang, n=MAX_COMPARE))
    jobs = []
    for job_id in ids:
        job = web.store.get(job_id) if ID_PATTERN.match(job_id) else None
        if (
            job is None
            or not job.makes_plan
            or job.status != DONE
            or web.workspace.summary(job.id) is None
        ):
            raise ValueError(i18n.text("compare_not_plan", lang, id=job_id[:80]))
        jobs.append(job)
    return jobs


async def start_compare(request: Request) -> Response:
    """Compare finished plans (`planner compare`) in a worker, into outputs/compare-<id>/."""
    await _require_csrf(request, max_files=0, max_fields=COMPARE_MAX_FIELDS)
    web = _web(request)
    lang = _lang(request)
    form = await request.form(max_files=0, max_fields=COMPARE_MAX_FIELDS)
    ids = list(dict.fromkeys(v for v in form.getlist("runs") if isinstance(v, str)))
    try:
        jobs = await run_in_threadpool(_plans_to_compare, web, ids, lang)
    except ValueError as exc:
        return await _runs(request, compare_error=str(exc), status_code=422)
    jobs.sort(key=lambda j: j.created_at)  # the oldest is the baseline
    if form.get("baseline") in ids:  # asked for: the published plan, a re-plan's parent
        jobs.sort(key=lambda j: j.id != form.get("baseline"))
    labels = []
    for job in jobs:
        label = plan_label(job, lang)
        if label in labels:
            label += f" ({job.id[-6:]})"
        labels.append(label)
    first = jobs[0]
    title = i18n.text("compare_title", lang, labels=", ".join(labels))
    job = await _start_job(
        web,
        new_job_id("compare"),
        scenario_id=first.scenario_id,
        scenario_file=first.scenario_file,
        scenario_title=title[:300],
        time_limit=None,
        lang=lang,
        kind=COMPARE,
        params={"runs": [j.id for j in jobs], "labels": labels},
    )
    return RedirectResponse(f"/runs/{job.id}", status_code=303)


def _sweep_fields(lang: Lang) -> list[tuple[str, str]]:
    """The fields offered for a sweep (any dotted field may be typed): path, words."""
    return [
        (path, label_of(path, lang))
        for path in VARIANT_FIELDS
        if field_spec(path).kind in ("integer", "number", "choice", "boolean", "date", "time")
    ]


def _check_sweep(web: Web, path: Path, option: str, lang: Lang) -> str:
    """The sweep's --vary option checked as `planner sweep` checks it, each variant loaded;
    its base scenario's title. A PlannerError (SweepError, ScenarioError) says what is wrong."""
    from planner.runner import RunSettings
    from planner.sweep import parse_vary, sweep_jobs

    vary = parse_vary(option)
    if len(vary.values) < 2:
        raise PlannerError(i18n.text("sweep_too_few", lang))
    if len(vary.values) > MAX_SWEEP_VALUES:
        raise PlannerError(i18n.text("sweep_too_many", lang, n=MAX_SWEEP_VALUES))
    settings = RunSettings(workers=1)
    jobs = sweep_jobs(path, [vary], settings, web.workspace.outputs / ".sweep-check")
    base = load_scenario(path)
    del jobs
    return base.title or base.name


async def start_sweep(request: Request) -> Response:
    """`planner sweep BASE --vary FIELD=V1,V2` in a worker, into outputs/<job id>/."""
    await _require_csrf(request)
    web = _web(request)
    lang = _lang(request)
    sid = request.path_params["sid"]
    path = web.workspace.scenario_path(sid)
    if path is None:
        raise _not_found()
    form = await request.form(max_files=0, max_fields=20)
    field = str(form.get("field", "")).strip()[:200]
    values = str(form.get("values", "")).strip()[:2000]
    limit_text = str(form.get("time_limit", "")).strip()[:40]
    sent = {"field": field, "values": values, "time_limit": limit_text}
    try:
        time_limit = _time_limit(limit_text)
    except ValueError:
        return await _scenario(
            request, sweep={**sent, "error": i18n.text("bad_time_limit", lang)}, status_code=422
        )
    option = f"{field}={values}"
    try:
        title = await run_in_threadpool(_check_sweep, web, path, option, lang)
    except PlannerError as exc:
        message = web.workspace.short(i18n.error_text(exc, lang))
        return await _scenario(request, sweep={**sent, "error": message}, status_code=422)
    job = await _start_job(
        web,
        new_job_id(f"{sid}-sweep"),
        scenario_id=sid,
        scenario_file=path.name,
        scenario_title=title,
        time_limit=time_limit,
        lang=_output_lang(form.get("output_lang"), lang),
        kind=SWEEP,
        params={"vary": [option]},
    )
    return RedirectResponse(f"/runs/{job.id}", status_code=303)


def _live_context(web: Web, job: Job, lang: Lang) -> dict[str, Any]:
    provinces = web.store.provinces(job.id)
    notes = web.store.notes(job.id)
    live = live_view(job, provinces, notes, lang)
    done = job.status == DONE
    results = results_view(web.workspace, job, lang) if done and job.makes_plan else None
    published = web.store.published_of(job.scenario_id) if job.makes_plan else None
    parent = None
    if job.kind == REPLAN:
        parent = web.store.get(str(job.parameters.get("parent", "")))
    return {
        "job": job,
        "title": job_title(job, lang),
        "kind_text": i18n.text(f"kind_{job.kind}", lang),
        "live": live,
        "results": results,
        "compare": compare_view(web.workspace, job, lang) if done and job.kind == COMPARE else None,
        "sweep": sweep_view(web.workspace, job, lang) if done and job.kind == SWEEP else None,
        "batch": batch_view(web.workspace, job, lang) if done and job.kind == BATCH else None,
        "published": published,
        "parent": parent,
    }


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


# --- field reports, progress, re-plan, publish ---------------------------------------------


def _plan_or_404(request: Request) -> Job:
    """The job of the path, if it is a finished plan (a run or a re-plan); else 404."""
    job: Job = _job_or_404(request)
    if not job.makes_plan or job.status != DONE:
        raise _not_found()
    return job


def _progress_figures(result: Any, lang: Lang) -> dict[str, Any]:
    """What the fieldwork page shows of a `planner.fieldwork.FieldProgress`."""
    from planner.fieldwork import override_line

    total = result.total()
    days = result.not_reported
    return {
        "as_of": result.as_of.isoformat() if result.as_of else "",
        "due": total.due,
        "done": total.done,
        "share": total.done_share if total.due else None,
        "skipped": total.skipped,
        "not_in_report": total.not_in_report,
        "not_reported_days": len(days),
        "not_reported_teams": len({(d.province_code, d.team_id) for d in days}),
        "attendance": total.attendance_reported,
        "attendance_expected": total.attendance_expected,
        "sign_ups": total.sign_ups_reported,
        "enrolments_done": total.enrolments_done,
        "overrides": [override_line(o, lang) for o in result.overrides],
        "lang": lang,
    }


def _progress_rows(figures: dict[str, Any] | None, lang: Lang) -> list[tuple[str, str]]:
    if not figures:
        return []

    def n(key: str, digits: int = 0) -> str:
        value = figures.get(key)
        return format_number(float(value), lang, digits) if isinstance(value, int | float) else "—"

    share = figures.get("share")
    done = f"{n('done')} / {n('due')}"
    if isinstance(share, int | float):
        done += f" ({format_percent(float(share), lang, 0)})"
    as_of = figures.get("as_of") or ""
    return [
        (i18n.text("progress_as_of", lang), str(as_of)),
        (i18n.text("progress_done", lang), done),
        (i18n.text("progress_skipped", lang), n("skipped")),
        (i18n.text("progress_not_in_report", lang), n("not_in_report")),
        (
            i18n.text("progress_not_reported", lang),
            f"{n('not_reported_days')} ({i18n.text('n_teams', lang, n=n('not_reported_teams'))})",
        ),
        (
            i18n.text("progress_attendance", lang),
            f"{n('attendance')} ({n('attendance_expected')})",
        ),
        (i18n.text("progress_sign_ups", lang), f"{n('sign_ups')} ({n('enrolments_done', 1)})"),
    ]


async def fieldwork_page(request: Request) -> Response:
    return await _fieldwork(request, _plan_or_404(request))


async def _fieldwork(
    request: Request,
    job: Job,
    *,
    report_error: str = "",
    replan_error: str = "",
    replan: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    web = _web(request)
    lang = _lang(request)

    def gather() -> dict[str, Any]:
        files = web.workspace.report_files(job.id)
        figures = web.workspace.progress_figures(job.id) if files else None
        campaign: tuple[str, str] | None = None
        try:
            scenario = load_scenario(web.workspace.scenarios / job.scenario_file)
            campaign = (scenario.campaign.start.isoformat(), scenario.campaign.end.isoformat())
        except (ScenarioError, OSError):
            pass
        return {
            "files": [p.name for p in files],
            "progress": _progress_rows(figures, lang),
            "overrides": (figures or {}).get("overrides") or [],
            "progress_page": (
                f"/runs/{job.id}/files/progress/index.html"
                if files and web.workspace.run_file(job.id, "progress/index.html")
                else ""
            ),
            "campaign": campaign,
            "scenario_ids": list(web.workspace.scenario_files()),
            "published": web.store.published_of(job.scenario_id),
        }

    context = await run_in_threadpool(gather)
    return render(
        request,
        "fieldwork.html",
        {
            **context,
            "job": job,
            "title": job_title(job, lang),
            "report_error": report_error,
            "replan_error": replan_error,
            "replan": {"from": "", "rules": "", "time_limit": "", **(replan or {})},
            "max_files": MAX_REPORT_FILES,
            "max_mb": MAX_REPORT_BYTES // (1024 * 1024),
            "active": "runs",
        },
        status_code=status_code,
    )


def _date_or_none(value: Any) -> dt.date | None:
    """A date from a form ('' -> None); a ValueError if it is no date."""
    text = str(value or "").strip()
    return dt.date.fromisoformat(text) if text else None


async def upload_reports(request: Request) -> Response:
    """Keep the teams' report files of a plan if `planner progress` reads them with the
    plan, and write its progress page; otherwise keep nothing and say why, in one line."""
    await _require_csrf(request, max_files=2 * MAX_REPORT_FILES, max_fields=20)
    web = _web(request)
    lang = _lang(request)
    job = _plan_or_404(request)
    form = await request.form(max_files=2 * MAX_REPORT_FILES, max_fields=20)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]

    async def refuse(message: str) -> Response:
        return await _fieldwork(request, job, report_error=message, status_code=422)

    if not files:
        return await refuse(i18n.text("choose_reports", lang))
    if len(files) > MAX_REPORT_FILES:
        return await refuse(i18n.text("too_many_reports", lang, n=MAX_REPORT_FILES))
    try:
        as_of = _date_or_none(form.get("as_of"))
    except ValueError:
        return await refuse(i18n.text("bad_date", lang))
    uploads = [(str(f.filename), await f.read(MAX_REPORT_BYTES + 1)) for f in files]
    folder = web.workspace.run_folder(job.id)

    def check(paths: list[Path]) -> dict[str, Any]:
        from planner.fieldwork import progress

        result = progress(folder, paths, lang=job.lang, as_of=as_of)
        return _progress_figures(result, lang)

    def keep() -> None:
        figures = web.workspace.add_reports(job.id, uploads, check, lang)
        web.workspace.save_progress(job.id, figures)

    try:
        await run_in_threadpool(keep)
    except UploadError as exc:
        return await refuse(i18n.error_text(exc, lang))
    return RedirectResponse(f"/runs/{job.id}/fieldwork", status_code=303)


async def start_replan(request: Request) -> Response:
    """`planner replan outputs/<this plan> --done <its reports> --from DATE` in a worker."""
    await _require_csrf(request)
    web = _web(request)
    lang = _lang(request)
    job = _plan_or_404(request)
    form = await request.form(max_files=0, max_fields=20)
    sent = {
        "from": str(form.get("from", "")).strip()[:20],
        "rules": str(form.get("rules", "")).strip()[:100],
        "time_limit": str(form.get("time_limit", "")).strip()[:40],
    }

    async def refuse(message: str) -> Response:
        return await _fieldwork(request, job, replan_error=message, replan=sent, status_code=422)

    reports = await run_in_threadpool(web.workspace.report_files, job.id)
    if not reports:
        return await refuse(i18n.text("replan_needs_reports", lang))
    try:
        from_date = _date_or_none(sent["from"])
    except ValueError:
        from_date = None
    if from_date is None:
        return await refuse(i18n.text("bad_date", lang))
    if sent["rules"]:
        rules_path = web.workspace.scenario_path(sent["rules"])
        if rules_path is None:
            return await refuse(i18n.text("unknown_scenario", lang))
    else:
        rules_path = web.workspace.scenarios / job.scenario_file
    try:
        time_limit = _time_limit(sent["time_limit"])
    except ValueError:
        return await refuse(i18n.text("bad_time_limit", lang))
    try:
        scenario = await run_in_threadpool(load_scenario, rules_path)
    except ScenarioError as exc:
        return await refuse(web.workspace.short(i18n.error_text(exc, lang)))
    campaign = scenario.campaign
    if not campaign.start < from_date <= campaign.end:
        return await refuse(
            i18n.text(
                "replan_date_range",
                lang,
                start=campaign.start.isoformat(),
                end=campaign.end.isoformat(),
            )
        )
    new = await _start_job(
        web,
        new_job_id(f"{job.scenario_id}-replan"),
        scenario_id=job.scenario_id,
        scenario_file=job.scenario_file,
        scenario_title=job.scenario_title,
        time_limit=time_limit,
        lang=job.lang,
        kind=REPLAN,
        params={
            "parent": job.id,
            "from": from_date.isoformat(),
            "reports": [web.workspace.relative(p) for p in reports],
            "rules": rules_path.name if sent["rules"] else None,
        },
    )
    return RedirectResponse(f"/runs/{new.id}", status_code=303)


async def publish_run(request: Request) -> Response:
    """Make a finished plan the published plan of its scenario (the one teams work from)."""
    await _require_csrf(request)
    web = _web(request)
    job = _plan_or_404(request)
    await run_in_threadpool(web.store.publish, job.scenario_id, job.id)
    return RedirectResponse(f"/runs/{job.id}", status_code=303)

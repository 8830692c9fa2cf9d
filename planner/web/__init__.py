"""`planner serve`: the planner as a local web app, on the same Python API as the command line.

Vietnamese first (``lang="vi"``; English with ``?lang=en`` or ``PLANNER_LANG=en``). A
workspace folder (default: the current one) holds ``scenarios/`` (TOML files),
``outputs/`` (one folder per job), ``reports/`` (the teams' report files of each plan) and
``.planner-web.sqlite`` (the job store). Pages:

- scenarios: list, summary, download, upload checked by the same loader as the command line;
  a **variant** through a form generated from the scenario's JSON Schema
  (`planner.web.variant`: ``scenarios/<name>.toml`` with ``extends`` and only the changed
  fields, checked by the loader first, its message beside the field it names);
- runs: start one scenario, or tick several on the scenarios page and start them as one
  **batch** (`planner run A.toml B.toml`: one job, the provinces of every scenario sharing
  the workers, each scenario's plan in ``outputs/<job id>/<scenario id>/``); live progress
  per province (per scenario in a batch) over server-sent events, cancel, list (which plan
  of each scenario is the **published** one); results (key figures, the record, maps served
  from the run folder, workbook, GeoPackage, a zip per team);
- **compare** finished plans (`planner compare`, into ``outputs/compare-<id>/``) with the
  marginal figures (new participants per extra team-day, km, team), and **sweep** one field
  of a scenario (`planner sweep --vary FIELD=V1,V2`) with its curve;
- **field reports** of a finished plan: upload the teams' files (read by
  `planner.reports.read_reports`), the progress page (`planner progress`), a **re-plan** from
  a date (`planner replan`) compared with the plan it started from, and **publish**.

Solves never run in the web process: each job (a run, a re-plan, a sweep, a comparison) is a
worker process (``python -m planner.web.worker``) that calls the same Python API as the
command line and writes its progress to the job store, so it goes on when the page is closed
and is found again after a restart. Provinces are planned by local processes, or with
``planner serve --executor dask --scheduler tcp://HOST:8786`` on that Dask cluster, as
``planner run --executor dask`` does.

Why Starlette + Jinja2 + HTMX, served by uvicorn:

- **Small and well kept.** Starlette is a few thousand lines of ASGI toolkit with no
  dependency beyond anyio, maintained by the Encode team (uvicorn, httpx) and released
  often; FastAPI is Starlette plus pydantic-driven JSON APIs, which a page app of forms does
  not need. Jinja2 is already a dependency (the route sheets), with autoescaping.
- **Async server-sent events.** Starlette's `StreamingResponse` streams
  ``text/event-stream`` from an async generator, so one live page costs a coroutine, not a
  thread; uvicorn serves it. The client side is the HTMX SSE extension: progress HTML is
  rendered on the server and swapped in, with no JSON protocol to keep in step.
- **No build step.** HTMX is one file (``static/htmx.min.js``, htmx.org 2.0.11, and
  ``static/sse.js``, htmx-ext-sse 2.2.4, vendored from the npm registry: nothing is fetched
  at run time, no CDN, no Node at install). Pages are plain HTML forms that also work
  without JavaScript (a no-script page refreshes itself while a run goes).

Security: see `planner.web.security` (loopback by default, a token for any other host,
CSRF on every POST, size-limited uploads, strict Content-Security-Policy) and
`planner.web.workspace` (ids, never paths, from the client).

The command line wires ``planner serve`` with `add_arguments` and `run_from_args`.
"""

from __future__ import annotations

from planner.web.cli import add_arguments, run_from_args

__all__ = ["add_arguments", "run_from_args"]

"""导入: upload a customer list, follow its progress, read what came of each row.

The upload runs the startImport mutation in process with the uploaded file itself; the rows are
imported afterwards by a worker (in process when there is no Redis), so the progress page polls.
"""

from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.api.relay import from_global_id
from server.ingestion import imports
from server.ingestion.models import ImportJob
from web import import_messages
from web.access import is_htmx, staff_page
from web.form_errors import message
from web.labels import LABELS, N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, not_found, render

RECENT = 10
# A page lists this many problem rows; the downloadable report has every one.
SHOWN_PROBLEMS = 100
DEFAULT_CHANNEL = "IMPORT"
UNFINISHED = {"QUEUED", "RUNNING"}
CHOOSE_FILE = N_("Choose an .xlsx or .csv file.")
CHOOSE_CHANNEL = N_("Choose where the list came from.")


async def _render_form(request: Request, viewer: dict, *, channel: str = DEFAULT_CHANNEL,
                       errors: dict | None = None, status_code: int = 200):
    recent = (await run(request, "ImportList", first=RECENT))["importJobs"]
    _ = gettext_for(request)
    return render(request, "imports.html", {
        "viewer": viewer,
        "tab": "imports",
        "channel": channel,
        "errors": errors or {},
        "recent": recent,
        "columns": import_messages.recognized_columns(_),
        "page_path": "/imports",
    }, status_code=status_code)


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    return await _render_form(request, viewer)


@staff_page
async def upload(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    form = await request.form()
    channel = str(form.get("channel", ""))
    upload_file = form.get("file")
    errors: dict[str, str] = {}
    if channel not in LABELS["channel"]:
        errors["channel"] = _(CHOOSE_CHANNEL)
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        errors["file"] = _(CHOOSE_FILE)
    if not errors:
        payload = (await run(request, "StartImport", input={"file": upload_file, "channel": channel}))["startImport"]
        if not payload["errors"]:
            return RedirectResponse(f"/imports/{payload['job']['id']}", status_code=303)
        for error in payload["errors"]:
            if error["field"] == "file":
                errors["file"] = import_messages.file_error(_, error["message"])
            else:
                errors[""] = message(_, error)
    return await _render_form(request, viewer, channel=channel if channel in LABELS["channel"] else DEFAULT_CHANNEL,
                              errors=errors, status_code=422)


async def _visible_job(request: Request) -> dict | None:
    """The import as the schema shows it to this viewer; None if it does not exist or is not theirs."""
    data = await run_lookup(request, "ImportProgress", id=request.path_params["id"])
    node = data and data["node"]
    return node if node and node["__typename"] == "ImportJob" else None


@staff_page
async def progress(request: Request):
    viewer = await current_viewer(request)
    job = await _visible_job(request)
    if job is None:
        return not_found(request, viewer)
    _ = gettext_for(request)
    problems = [
        {"row": item["row"], "status": item["status"],
         "reasons": [import_messages.row_problem(_, p) for p in item["problems"]]}
        for item in job["problemRows"][:SHOWN_PROBLEMS]
    ]
    context = {
        "viewer": viewer,
        "tab": "imports",
        "job": job,
        "running": job["status"] in UNFINISHED,
        "problems": problems,
        "problem_total": len(job["problemRows"]),
        "failure": import_messages.failure(_, job["error"]) if job["error"] else "",
        "page_path": request.url.path,
    }
    return render(request, "import.html", context, block="progress" if is_htmx(request) else None)


@staff_page
async def report(request: Request):
    """The rejected and flagged rows as CSV, for fixing at the source and importing again."""
    viewer = await current_viewer(request)
    # Who may see the import is the schema's decision; only then is the row itself read.
    job = await _visible_job(request)
    if job is None:
        return not_found(request, viewer)
    _, pk = from_global_id(job["id"])
    model = await ImportJob.get_or_none(id=pk)
    if model is None:
        return not_found(request, viewer)
    stem = job["filename"].rsplit(".", 1)[0] or "import"
    name = f"{stem}-problems.csv"
    disposition = f"attachment; filename=\"import-{pk}-problems.csv\"; filename*=UTF-8''{quote(name)}"
    return Response(imports.rejected_report(model), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"})

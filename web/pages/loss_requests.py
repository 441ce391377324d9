"""战败审批: a manager's queue of loss requests, approved or sent back with a comment.

Who may review is the API's rule (reviewLossRequest); the queue lists what the viewer's scope holds.
"""

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import manages, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, render

REVIEW_ERRORS = {
    ("comment", "REQUIRED"): N_("Say why the request is sent back."),
    ("comment", "INVALID"): N_("The comment is too long (up to 2000 characters)."),
    ("id", "FORBIDDEN"): N_("Only managers and admins review loss requests."),
    ("id", "INVALID"): N_("This request has already been answered."),
    ("id", "NOT_FOUND"): N_("This opportunity was not found or is not in your team."),
    ("version", "CONFLICT"): N_("The request changed after you opened it. Reload and try again."),
}


def review_error_text(gettext, errors: list[dict]) -> str:
    texts = []
    for error in errors:
        text = REVIEW_ERRORS.get((error.get("field"), error.get("code")))
        text = gettext(text) if text else message(gettext, error)
        if text not in texts:
            texts.append(text)
    return " ".join(texts)


async def _render(request: Request, viewer: dict, *, after: str | None = None, failed: dict | None = None,
                  status_code: int = 200):
    data = await run_lookup(request, "LossRequests", after=after)
    if data is None:
        return RedirectResponse("/opportunities/loss-requests", status_code=303)
    connection = data["opportunities"]
    more = None
    if connection["pageInfo"]["hasNextPage"]:
        more = "/opportunities/loss-requests?" + urlencode({"after": connection["pageInfo"]["endCursor"]})
    context = {
        "viewer": viewer,
        "tab": "opportunities",
        "requests": connection,
        "reviewer": manages(viewer),
        "more": more,
        "failed": failed or {},
        "done": pop_flash(request),
        "page_path": "/opportunities/loss-requests",
    }
    return render(request, "loss_requests.html", context, status_code=status_code)


@staff_page
async def queue(request: Request):
    viewer = await current_viewer(request)
    return await _render(request, viewer, after=request.query_params.get("after") or None)


@staff_page
async def review(request: Request):
    viewer = await current_viewer(request)
    form = await request.form()
    approve = form.get("decision") == "approve"
    comment = str(form.get("comment", "")).strip()
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = 0
    result = await run_lookup(request, "ReviewLossRequest", input={
        "id": request.path_params["id"], "version": version, "approve": approve, "comment": comment})
    errors = [{"field": "id", "code": "NOT_FOUND"}] if result is None else result["reviewLossRequest"]["errors"]
    if not errors:
        flash(request, "approved" if approve else "sent_back", title=str(form.get("title", ""))[:200])
        return RedirectResponse("/opportunities/loss-requests", status_code=303)
    failed = {"id": request.path_params["id"], "comment": comment,
              "error": review_error_text(gettext_for(request), errors)}
    code = 409 if any(e["code"] == "CONFLICT" for e in errors) else 422
    return await _render(request, viewer, failed=failed, status_code=code)

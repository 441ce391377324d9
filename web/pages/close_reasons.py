"""设置 · 赢单/战败原因: the managed reason lists — add, rename, reorder, retire, competitor rule.

Who may edit is the API's rule (managers and admins); the page shows the lists to everyone.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import manages, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, render

KINDS = ("WIN", "LOSS")
REASON_ERRORS = {
    ("label", "INVALID"): N_("Enter the reason (1 to 100 characters)."),
    ("label", "DUPLICATE"): N_("This reason is already on the list."),
    ("position", "INVALID"): N_("Enter the place in the list as a whole number."),
    ("kind", "FORBIDDEN"): N_("Only managers and admins edit the reason lists."),
    ("id", "FORBIDDEN"): N_("Only managers and admins edit the reason lists."),
    ("id", "NOT_FOUND"): N_("This reason was not found."),
}


def reason_errors(gettext, errors: list[dict]) -> dict[str, str]:
    """{field: message}; errors not about label or position go under ''."""
    shown: dict[str, str] = {}
    for error in errors:
        key = error.get("field") if error.get("field") in ("label", "position") else ""
        text = REASON_ERRORS.get((error.get("field"), error.get("code")))
        shown[key] = gettext(text) if text else message(gettext, error)
    return shown


def _position(raw) -> int | None | str:
    """A whole number, None when left empty, or 'bad'."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return "bad"


async def _render(request: Request, viewer: dict, *, failed: dict | None = None, status_code: int = 200):
    reasons = (await run(request, "CloseReasonList"))["closeReasons"]
    context = {
        "viewer": viewer,
        "tab": "settings",
        "settings_page": "close-reasons",
        "editor": manages(viewer),
        "lists": [(kind, [r for r in reasons if r["kind"] == kind]) for kind in KINDS],
        "failed": failed or {},
        "done": pop_flash(request),
        "page_path": "/settings/close-reasons",
    }
    return render(request, "close_reasons.html", context, status_code=status_code)


@staff_page
async def page(request: Request):
    return await _render(request, await current_viewer(request))


@staff_page
async def create(request: Request):
    viewer = await current_viewer(request)
    form = await request.form()
    kind = form.get("kind") if form.get("kind") in KINDS else "LOSS"
    entered = {"label": str(form.get("label", "")).strip(), "requiresCompetitor": kind == "LOSS" and bool(form.get("requires_competitor"))}
    result = await run_lookup(request, "CreateCloseReason", input={"kind": kind, **entered})
    errors = [{"field": "label", "code": "INVALID"}] if result is None else result["createCloseReason"]["errors"]
    if not errors:
        flash(request, "reason_added", label=entered["label"])
        return RedirectResponse("/settings/close-reasons", status_code=303)
    failed = {"form": f"new-{kind}", "values": entered, "errors": reason_errors(gettext_for(request), errors)}
    return await _render(request, viewer, failed=failed, status_code=422)


@staff_page
async def update(request: Request):
    viewer = await current_viewer(request)
    form = await request.form()
    reason_id = request.path_params["id"]
    values = {"label": str(form.get("label", "")).strip(), "isActive": bool(form.get("is_active")),
              "requiresCompetitor": bool(form.get("requires_competitor"))}
    position = _position(form.get("position"))
    if position == "bad":
        errors = [{"field": "position", "code": "INVALID"}]
    else:
        if position is not None:
            values["position"] = position
        result = await run_lookup(request, "UpdateCloseReason", input={"id": reason_id, **values})
        errors = [{"field": "id", "code": "NOT_FOUND"}] if result is None else result["updateCloseReason"]["errors"]
    if not errors:
        flash(request, "reason_saved", label=values["label"])
        return RedirectResponse("/settings/close-reasons", status_code=303)
    failed = {"form": reason_id, "values": {**values, "position": str(form.get("position", ""))},
              "errors": reason_errors(gettext_for(request), errors)}
    return await _render(request, viewer, failed=failed, status_code=422)

"""异议 on the deal page: add one (category and the customer's words); 已解决 in one tap, swapping its row."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.form_errors import message
from web.labels import N_
from web.operations import current_viewer, run
from web.pages.opportunities import load, render_page
from web.templating import gettext_for, not_found

OBJECTION_ERRORS = {
    ("category", "INVALID"): N_("Choose what the objection is about."),
    ("text", "INVALID"): N_("Write down the objection (up to 5000 characters)."),
    ("opportunityId", "NOT_FOUND"): N_("This opportunity was not found or is not yours."),
    ("id", "NOT_FOUND"): N_("This objection was not found or is not yours."),
}
FORM_FIELDS = {"category", "text"}


def _errors(gettext, api_errors: list[dict]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for error in api_errors:
        key = error.get("field") if error.get("field") in FORM_FIELDS else ""
        text = OBJECTION_ERRORS.get((error.get("field"), error.get("code")))
        text = gettext(text) if text else message(gettext, error)
        shown[key] = f"{shown[key]} {text}" if key in shown and text not in shown[key] else text
    return shown


@staff_page
async def add(request: Request):
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    form = await request.form()
    state = {"open": True, "category": str(form.get("category", "")).strip(), "text": str(form.get("text", "")).strip(),
             "errors": {}}
    block = "objections" if is_htmx(request) else None
    payload = (await run(request, "AddObjection", input={"opportunityId": o["id"], "category": state["category"],
                                                         "text": state["text"]}))["addObjection"]
    if payload["errors"]:
        state["errors"] = _errors(gettext_for(request), payload["errors"])
        return render_page(request, viewer, data, block=block, status_code=422, objection=state)
    if not is_htmx(request):
        return RedirectResponse(f"/opportunities/{o['id']}?objection=added#objections", status_code=303)
    return render_page(request, viewer, await load(request), block=block, objection_saved=True)


@staff_page
async def resolve(request: Request):
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    objection_id = request.path_params["objection_id"]
    if objection_id not in {x["id"] for x in o["objections"]}:  # another deal's objection is not this page's
        return not_found(request, viewer)
    form = await request.form()
    resolved = form.get("resolved", "true") != "false"
    payload = (await run(request, "ResolveObjection", input={"id": objection_id, "resolved": resolved}))["resolveObjection"]
    if payload["errors"]:
        x = next(x for x in o["objections"] if x["id"] == objection_id)
        row_error = {"id": objection_id, "text": " ".join(_errors(gettext_for(request), payload["errors"]).values())}
        return render_page(request, viewer, data, block="objection_row" if is_htmx(request) else None,
                           status_code=422, x=x, row_error=row_error)
    if not is_htmx(request):
        return RedirectResponse(f"/opportunities/{o['id']}#objections", status_code=303)
    return render_page(request, viewer, data, block="objection_row", x=payload["objection"])

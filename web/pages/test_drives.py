"""试驾 on the deal page: 预约试驾 (the deal's model, a time in the viewer's zone) and 记录反馈 on a
booked drive (how it went, what the customer said, a 1–5 rating). HTMX swaps the test-drive section."""

from datetime import datetime, timezone

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.form_errors import message
from web.labels import N_
from web.operations import current_viewer, run
from web.pages.opportunities import booking_state, catalog_of, load, render_page
from web.templating import formatter, gettext_for, not_found

FEEDBACK_STATUSES = ("DONE", "NO_SHOW", "CANCELLED")
BAD_MOMENT = N_("Pick a date and a time.")
DRIVE_ERRORS = {
    ("scheduledAt", "INVALID"): N_("A test drive is booked for now or later."),
    ("vehicleModelId", "NOT_FOUND"): N_("This vehicle model is not in the catalog."),
    ("opportunityId", "INVALID"): N_("This opportunity is closed: no new test drives."),
    ("opportunityId", "NOT_FOUND"): N_("This opportunity was not found or is not yours."),
    ("customerId", "NOT_FOUND"): N_("This customer is not yours: claim them from the pool first."),
    ("status", "INVALID"): N_("Say whether the drive took place, the customer did not come, or it was cancelled."),
    ("rating", "INVALID"): N_("A rating from 1 to 5, only for a drive that took place."),
    ("feedback", "INVALID"): N_("The feedback is too long (up to 5000 characters)."),
    ("id", "NOT_FOUND"): N_("This test drive was not found or is not yours."),
}
# API field → the form field the message is shown beside.
BOOKING_FIELDS = {"scheduledAt": "at", "vehicleModelId": "model"}
FEEDBACK_FIELDS = {"status": "status", "rating": "rating", "feedback": "text"}


def _errors(gettext, api_errors: list[dict], fields: dict) -> dict[str, str]:
    shown: dict[str, str] = {}
    for error in api_errors:
        key = fields.get(error.get("field"), "")
        text = DRIVE_ERRORS.get((error.get("field"), error.get("code")))
        text = gettext(text) if text else message(gettext, error)
        shown[key] = f"{shown[key]} {text}" if key in shown and text not in shown[key] else text
    return shown


async def _saved(request: Request, viewer: dict, o: dict, what: str):
    """A plain post is redirected (a reload books nothing twice); an HTMX swap gets the fresh section."""
    if not is_htmx(request):
        return RedirectResponse(f"/opportunities/{o['id']}?drive={what}#test-drives", status_code=303)
    return render_page(request, viewer, await load(request), block="test_drives", drive_saved=what)


@staff_page
async def book(request: Request):
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    gettext = gettext_for(request)
    form = await request.form()
    state = booking_state(request, viewer, o) | {
        "open": True, "model": str(form.get("vehicle_model", "")), "at": str(form.get("scheduled_at", "")).strip()}
    block = "test_drives" if is_htmx(request) else None
    variables = {"opportunityId": o["id"]}
    if state["model"] in catalog_of(data):
        variables["vehicleModelId"] = state["model"]
    try:
        # datetime-local gives the viewer's wall-clock time; the API stores UTC.
        local = datetime.fromisoformat(state["at"])
        moment = local if local.tzinfo else local.replace(tzinfo=formatter(request, viewer).tz)
        variables["scheduledAt"] = moment.astimezone(timezone.utc).isoformat()
    except ValueError:
        state["errors"] = {"at": gettext(BAD_MOMENT)}
        return render_page(request, viewer, data, block=block, status_code=422, booking=state)
    payload = (await run(request, "BookTestDrive", input=variables))["bookTestDrive"]
    if payload["errors"]:
        state["errors"] = _errors(gettext, payload["errors"], BOOKING_FIELDS)
        return render_page(request, viewer, data, block=block, status_code=422, booking=state)
    return await _saved(request, viewer, o, "booked")


@staff_page
async def feedback(request: Request):
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    drive_id = request.path_params["drive_id"]
    if drive_id not in {d["id"] for d in o["testDrives"]}:  # a drive of another deal is not this page's
        return not_found(request, viewer)
    gettext = gettext_for(request)
    form = await request.form()
    state = {"drive": drive_id, "status": str(form.get("status", "")), "rating": str(form.get("rating", "")),
             "text": str(form.get("feedback", "")).strip(), "errors": {}}
    block = "test_drives" if is_htmx(request) else None
    if state["status"] not in FEEDBACK_STATUSES:
        state["errors"]["status"] = gettext(DRIVE_ERRORS[("status", "INVALID")])
    variables = {"id": drive_id, "status": state["status"], "feedback": state["text"]}
    if state["rating"]:
        if state["rating"] in ("1", "2", "3", "4", "5"):
            variables["rating"] = int(state["rating"])
        else:
            state["errors"]["rating"] = gettext(DRIVE_ERRORS[("rating", "INVALID")])
    if not state["errors"]:
        payload = (await run(request, "RecordTestDriveFeedback", input=variables))["recordTestDriveFeedback"]
        if not payload["errors"]:
            return await _saved(request, viewer, o, "recorded")
        state["errors"] = _errors(gettext, payload["errors"], FEEDBACK_FIELDS)
    return render_page(request, viewer, data, block=block, status_code=422, feedback=state)

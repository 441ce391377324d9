"""展厅客流: the desk logs a walk-in in a few taps; today's walk-ins below, each with a one-tap 离店.

Matching by phone, who becomes the owner and first-or-return are the API's rules
(recordShowroomVisit); the phone check here only shows the desk what it will find.
"""

import re

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.formatting import parse_moment
from web.labels import N_
from web.operations import current_viewer, run, run_lookup
from web.templating import formatter, gettext_for, not_found, render

PARTY_CHOICES = (1, 2, 3, 4, 5)
VISIT_KINDS = ("auto", "first", "return")
MIN_DIGITS_TO_LOOK_UP = 7
SHOWROOM_ERRORS = {
    ("partySize", "INVALID"): N_("Enter how many came, from 1 to 50."),
    ("arrivedAt", "INVALID"): N_("The arrival cannot be in the future."),
    ("leftAt", "INVALID"): N_("The departure cannot be before the arrival, nor in the future."),
    ("consultantId", "NOT_FOUND"): N_("Choose a consultant from the list."),
    ("consultantId", "INVALID"): N_("Choose a consultant from the list."),
    ("vehicleModelId", "NOT_FOUND"): N_("Choose a car from the list."),
    ("vehicleModelId", "INVALID"): N_("Choose a car from the list."),
    ("note", "INVALID"): N_("The note is too long (up to 1000 characters)."),
    ("id", "NOT_FOUND"): N_("This visit was not found or is not yours."),
}
FORM_FIELDS = {"phone", "name", "partySize", "consultantId", "vehicleModelId", "note"}


def _error_text(gettext, error: dict) -> str:
    text = SHOWROOM_ERRORS.get((error.get("field"), error.get("code")))
    return gettext(text) if text else message(gettext, error)


def field_errors(gettext, errors: list[dict]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for error in errors:
        key = error.get("field") if error.get("field") in FORM_FIELDS else ""
        text = _error_text(gettext, error)
        shown[key] = f"{shown[key]} {text}" if key in shown and text not in shown[key] else text
    return shown


def _day(request: Request, viewer: dict) -> dict:
    fmt = formatter(request, viewer)
    return {"from": fmt.start_of_day().isoformat(), "to": fmt.end_of_day().isoformat()}


def blank_form(viewer: dict) -> dict:
    return {"phone": "", "name": "", "party_size": "1", "party_other": "", "visit_kind": "auto",
            "consultant": viewer["id"], "vehicle_model": "", "note": ""}


async def _render(request: Request, viewer: dict, *, form: dict | None = None, errors: dict | None = None,
                  match: dict | None = None, status_code: int = 200):
    data = await run(request, "ShowroomToday", **_day(request, viewer))
    return render(request, "showroom.html", {
        "viewer": viewer,
        "tab": "showroom",
        "form": form or blank_form(viewer),
        "errors": errors or {},
        "match": match,
        "party_choices": PARTY_CHOICES,
        "consultants": data["showroomConsultants"],
        "vehicle_models": [e["node"] for e in data["vehicleModels"]["edges"]],
        "visits": data["visits"],
        "visit_rows": [with_stay(e["node"]) for e in data["visits"]["edges"]],
        "totals": _totals(data),
        "done": pop_flash(request) if status_code == 200 else None,
        "page_path": "/showroom",
    }, status_code=status_code)


def _totals(data: dict) -> dict:
    return {key: data[key]["totalCount"] for key in ("visits", "firstVisits", "returnVisits", "inShowroom")}


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    return await _render(request, viewer)


def read_form(form) -> tuple[dict, dict, dict]:
    """(what was typed, the mutation input, errors the form itself can tell)."""
    typed = {key: str(form.get(key, "")).strip() for key in
             ("phone", "name", "party_size", "party_other", "visit_kind", "consultant", "vehicle_model", "note")}
    data: dict = {"name": typed["name"], "note": typed["note"]}
    errors: dict = {}
    size = typed["party_other"] or typed["party_size"] or "1"
    try:
        data["partySize"] = int(size)
    except ValueError:
        errors["partySize"] = ("partySize", "INVALID")
    if typed["phone"]:
        data["phone"] = typed["phone"]
    if typed["consultant"]:
        data["consultantId"] = typed["consultant"]
    if typed["vehicle_model"]:
        data["vehicleModelId"] = typed["vehicle_model"]
    if typed["visit_kind"] in ("first", "return"):
        data["isFirstVisit"] = typed["visit_kind"] == "first"
    return typed, data, errors


@staff_page
async def record(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    typed, data, local = read_form(await request.form())
    errors = [{"field": f, "code": c} for f, c in local.values()]
    if not errors:
        result = await run_lookup(request, "RecordShowroomVisit", input=data)
        if result is None:  # an id the schema refused before the service saw it (a tampered select)
            errors = [{"field": None, "code": "INVALID"}]
        else:
            payload = result["recordShowroomVisit"]
            errors = payload["errors"]
            if not errors:
                visit = payload["showroomVisit"]
                name = (visit["customer"] or {}).get("name") or visit["visitorName"]
                flash(request, "walk_in", name=name, new_lead="1" if payload["newLead"] else "")
                return RedirectResponse("/showroom", status_code=303)
    match = await find_by_phone(request, typed["phone"])
    return await _render(request, viewer, form=typed, errors=field_errors(_, errors), match=match, status_code=422)


async def find_by_phone(request: Request, phone: str) -> dict | None:
    """A customer the viewer may see with this number (others' customers are matched, not shown)."""
    if len(re.sub(r"\D", "", phone)) < MIN_DIGITS_TO_LOOK_UP:
        return None
    data = await run_lookup(request, "ShowroomPhoneLookup", phone=phone)
    edges = data["customers"]["edges"] if data else []
    return edges[0]["node"] if edges else None


@staff_page
async def phone_check(request: Request):
    """As the desk types the number: whose it is, and first or return visit chosen to match."""
    viewer = await current_viewer(request)
    match = await find_by_phone(request, request.query_params.get("phone", ""))
    form = blank_form(viewer)
    if match:
        form["visit_kind"] = "return" if match["showroomVisitCount"] else "first"
    return render(request, "showroom.html", {"viewer": viewer, "match": match, "form": form}, block="visit_kind")


@staff_page
async def depart(request: Request):
    """离店: HTMX swaps the row and the totals; a plain post returns to the page."""
    viewer = await current_viewer(request)
    visit_id = request.path_params["id"]
    result = await run_lookup(request, "RecordShowroomDeparture", input={"id": visit_id})
    if result is None:
        return not_found(request, viewer)
    errors = result["recordShowroomDeparture"]["errors"]
    if not is_htmx(request):
        if errors:
            return not_found(request, viewer)
        return RedirectResponse("/showroom", status_code=303)
    data = await run_lookup(request, "ShowroomVisitRow", id=visit_id, **_day(request, viewer))
    visit = data and data["node"]
    if visit is None:
        return not_found(request, viewer)
    context = {"viewer": viewer, "visit": with_stay(visit), "totals": _totals(data), "oob": True,
               "row_error": _error_text(gettext_for(request), errors[0]) if errors else None}
    return render(request, "showroom.html", context, blocks=["visit_row", "totals"],
                  status_code=422 if errors else 200)


def with_stay(visit: dict) -> dict:
    """The visit with `stay`: whole minutes in the showroom, once the party has left."""
    arrived, left = parse_moment(visit["arrivedAt"]), parse_moment(visit["leftAt"])
    return {**visit, "stay": int((left - arrived).total_seconds() // 60) if left else None}

"""商机: opening a deal on a customer, its stage stepper, and closing it won or lost (战败).

The stages, the loss-approval workflow and the competitor rule are the API's; this page shows
them and passes the version read back, so a stale page is a CONFLICT, not a lost update.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from datetime import timedelta

from web import quote_form
from web.access import is_htmx, staff_page
from web.form_errors import message
from web.labels import LABELS, N_, OBJECTION_CATEGORIES
from web.operations import current_viewer, run, run_lookup
from web.templating import formatter, gettext_for, not_found, render

STAGES = list(LABELS["opportunityStage"])
OPPORTUNITY_ERRORS = {
    ("reasonId", "REQUIRED"): N_("Choose a reason from the list."),
    ("reasonId", "INVALID"): N_("Choose a reason of the right kind (win or loss)."),
    ("competitorBrand", "REQUIRED"): N_("This reason needs the competitor's brand."),
    ("competitorModel", "REQUIRED"): N_("This reason needs the competitor's model."),
    ("status", "INVALID"): N_("This opportunity cannot be closed now (it is closed or a loss awaits approval)."),
    ("stage", "INVALID"): N_("This opportunity cannot move now (it is closed or a loss awaits approval)."),
    ("amount", "INVALID"): N_("Enter an amount in CNY."),
    ("version", "CONFLICT"): N_("Someone else changed this opportunity after you opened it. Reload and try again."),
    ("id", "NOT_FOUND"): N_("This opportunity was not found or is not yours."),
    ("id", "INVALID"): N_("This opportunity is open: there is nothing to reopen."),
    ("note", "INVALID"): N_("The note is too long (up to 2000 characters)."),
}

OUTCOME_LABELS = {
    ("closed", "WON"): N_("Closed as won"),
    ("closed", "LOST"): N_("Closed as lost"),
    ("loss_requested", None): N_("Loss requested"),
    ("loss_approved", "LOST"): N_("Loss approved"),
    ("loss_rejected", None): N_("Loss request sent back"),
    ("reopened", "OPEN"): N_("Reopened"),
}


def outcome_label(gettext, action: str, status: str | None) -> str:
    text = OUTCOME_LABELS.get((action, status)) or OUTCOME_LABELS.get((action, None))
    return gettext(text) if text else action


def error_text(gettext, errors: list[dict]) -> str:
    texts = []
    for error in errors:
        text = OPPORTUNITY_ERRORS.get((error.get("field"), error.get("code")))
        text = gettext(text) if text else message(gettext, error)
        if text not in texts:
            texts.append(text)
    return " ".join(texts)


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


@staff_page
async def create(request: Request):
    """新建商机 from the customer page; a bad form re-renders that page with the message."""
    from web.pages import customer_detail  # the customer page renders the form

    viewer = await current_viewer(request)
    customer = await customer_detail.load(request)
    if customer is None:
        return not_found(request, viewer)
    form = await request.form()
    deal = {"open": True, "vehicle_model": str(form.get("vehicle_model", "")), "amount": str(form.get("amount", "")).strip(),
            "expected_close": str(form.get("expected_close", ""))}
    model = next((m for m in customer["vehicleModels"] if m["id"] == deal["vehicle_model"]), None)
    variables = {"customerId": customer["id"],
                 "title": f"{customer['name']} · {model['displayName']}" if model else customer["name"]}
    if model:
        variables["vehicleModelId"] = model["id"]
    if deal["amount"]:
        variables["amount"] = deal["amount"]
    if deal["expected_close"]:
        variables["expectedCloseDate"] = deal["expected_close"]
    data = await run_lookup(request, "CreateOpportunity", input=variables)
    if data is None:  # a malformed date or amount the schema refused before the service saw it
        errors = [{"field": None, "code": "INVALID"}]
    else:
        payload = data["createOpportunity"]
        errors = payload["errors"]
        if not errors:
            return RedirectResponse(f"/opportunities/{payload['opportunity']['id']}", status_code=303)
    deal["errors"] = {"": error_text(gettext_for(request), errors)}
    context = customer_detail.page_context(request, viewer, customer, customer["interactions"], deal=deal)
    return render(request, "customer.html", context, status_code=422)


async def load(request: Request) -> dict | None:
    return await run_lookup(request, "OpportunityDetail", id=request.path_params["id"])


def catalog_of(data: dict) -> dict[str, dict]:
    """The vehicle models the quote and test-drive forms offer, by id."""
    return {edge["node"]["id"]: edge["node"] for edge in data["vehicleModels"]["edges"]}


def booking_state(request: Request, viewer: dict, o: dict) -> dict:
    """预约试驾, prefilled with the deal's model and the next whole hour in the viewer's zone."""
    now = formatter(request, viewer).now
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return {"open": False, "model": (o["vehicleModel"] or {}).get("id", ""), "at": start.strftime("%Y-%m-%dT%H:%M"),
            "errors": {}}


def render_page(request: Request, viewer: dict, data: dict, *, block: str | None = None, status_code: int = 200,
            **extra):
    o = data["opportunity"]
    reasons = [r for r in data["closeReasons"]]
    catalog = catalog_of(data)
    context = {
        "viewer": viewer,
        "tab": "customers",
        "o": o,
        "stages": STAGES,
        "stage_index": STAGES.index(o["stage"]),
        "next_stage": next_stage(o["stage"]),
        "win_reasons": [r for r in reasons if r["kind"] == "WIN"],
        "loss_reasons": [r for r in reasons if r["kind"] == "LOSS"],
        "close": {"status": "LOST", "reason": "", "brand": "", "model": "", "note": "", "error": None},
        "reopen": {"note": "", "error": None},
        "catalog": list(catalog.values()),
        "terms": quote_form.TERMS,
        "quote": quote_form.new_state(catalog.get((o["vehicleModel"] or {}).get("id", ""))),
        "booking": booking_state(request, viewer, o),
        "feedback": {"drive": None},
        "objection": {"open": False, "category": "", "text": "", "errors": {}},
        "objection_categories": OBJECTION_CATEGORIES,
        "outcome_label": lambda action, status: outcome_label(gettext_for(request), action, status),
        "page_path": f"/opportunities/{o['id']}",
        **extra,
    }
    return render(request, "opportunity.html", context, block=block, status_code=status_code)


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    return render_page(request, viewer, data)


@staff_page
async def move(request: Request):
    """下一阶段: the HTMX swap gets the stage block, a plain post a redirect."""
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    form = await request.form()
    o = data["opportunity"]
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = o["version"]
    stage = str(form.get("stage", ""))
    if stage not in STAGES:
        stage = next_stage(o["stage"]) or o["stage"]
    payload = (await run(request, "MoveOpportunityStage",
                         input={"id": o["id"], "version": version, "stage": stage}))["moveOpportunityStage"]
    if not payload["errors"] and not is_htmx(request):
        return RedirectResponse(f"/opportunities/{o['id']}", status_code=303)
    fresh = await load(request)
    error = error_text(gettext_for(request), payload["errors"]) if payload["errors"] else None
    status = 200 if not payload["errors"] else (409 if any(e["code"] == "CONFLICT" for e in payload["errors"]) else 422)
    return render_page(request, viewer, fresh, block="stage" if is_htmx(request) else None, status_code=status,
                   stage_error=error)


@staff_page
async def close(request: Request):
    """结案: won or lost with a reason; the competitor rule is checked by the API."""
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    form = await request.form()
    status = "WON" if form.get("status") == "WON" else "LOST"
    reason_field = "win_reason" if status == "WON" else "loss_reason"
    entered = {"status": status, "reason": str(form.get(reason_field, "")), "brand": str(form.get("competitor_brand", "")).strip(),
               "model": str(form.get("competitor_model", "")).strip(), "note": str(form.get("note", "")).strip()}
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = o["version"]
    variables = {"id": o["id"], "version": version, "status": status, "note": entered["note"]}
    if entered["reason"]:
        variables["reasonId"] = entered["reason"]
    if status == "LOST":
        variables["competitorBrand"] = entered["brand"]
        variables["competitorModel"] = entered["model"]
    result = await run_lookup(request, "CloseOpportunity", input=variables)
    errors = [{"field": "reasonId", "code": "INVALID"}] if result is None else result["closeOpportunity"]["errors"]
    if not errors:
        return RedirectResponse(f"/opportunities/{o['id']}", status_code=303)
    entered["error"] = error_text(gettext_for(request), errors)
    code = 409 if any(e["code"] == "CONFLICT" for e in errors) else 422
    return render_page(request, viewer, await load(request), status_code=code, close=entered)


@staff_page
async def reopen(request: Request):
    """重新打开 a won or lost deal, after the confirmation on its page; the note goes to the audit log."""
    viewer = await current_viewer(request)
    data = await load(request)
    if data is None or data["opportunity"] is None:
        return not_found(request, viewer)
    o = data["opportunity"]
    form = await request.form()
    note = str(form.get("note", "")).strip()
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = o["version"]
    payload = (await run(request, "ReopenOpportunity",
                         input={"id": o["id"], "version": version, "note": note}))["reopenOpportunity"]
    if not payload["errors"]:
        return RedirectResponse(f"/opportunities/{o['id']}", status_code=303)
    code = 409 if any(e["code"] == "CONFLICT" for e in payload["errors"]) else 422
    return render_page(request, viewer, await load(request), status_code=code,
                   reopen={"note": note, "error": error_text(gettext_for(request), payload["errors"])})

"""营销活动: the campaign list with each campaign's numbers, a campaign's page, and the forms
managers use to enter and change campaigns; attributing a customer by hand.

What the numbers count, and who sees which, is the API's (CampaignStats); the page shows it.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, manages, staff_page
from web.form_errors import message
from web.labels import LABELS, N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, not_found, render

FORM_FIELDS = ("name", "code", "channel", "startsOn", "endsOn", "budget")
CAMPAIGN_ERRORS = {
    ("name", "REQUIRED"): N_("Enter the campaign's name (up to 150 characters)."),
    ("name", "INVALID"): N_("Enter the campaign's name (up to 150 characters)."),
    ("code", "REQUIRED"): N_("Enter a code: up to 40 letters, digits, - or _."),
    ("code", "INVALID"): N_("Enter a code: up to 40 letters, digits, - or _."),
    ("code", "DUPLICATE"): N_("Another campaign already has this code."),
    ("channel", "INVALID"): N_("Choose a channel."),
    ("startsOn", "REQUIRED"): N_("Enter the first day."),
    ("startsOn", "INVALID"): N_("Enter the first day."),
    ("endsOn", "INVALID"): N_("The last day cannot be before the first day."),
    ("budget", "REQUIRED"): N_("Enter the budget in CNY, 0 or more."),
    ("budget", "INVALID"): N_("Enter the budget in CNY, 0 or more."),
    ("version", "CONFLICT"): N_("Someone else changed this campaign after you opened it. Reload and try again."),
    ("id", "FORBIDDEN"): N_("Only managers and admins enter and change campaigns."),
    (None, "FORBIDDEN"): N_("Only managers and admins enter and change campaigns."),
    ("campaignId", "NOT_FOUND"): N_("This campaign no longer exists."),
}
ACTIVE_CHOICES = ("", "true", "false")


def error_text(gettext, error: dict) -> str:
    text = CAMPAIGN_ERRORS.get((error.get("field"), error.get("code")))
    return gettext(text) if text else message(gettext, error)


def field_errors(gettext, errors: list[dict]) -> dict[str, str]:
    """{form field: message}; anything not about one field of the form goes under ''."""
    shown: dict[str, str] = {}
    for error in errors:
        key = error.get("field") if error.get("field") in FORM_FIELDS else ""
        text = error_text(gettext, error)
        shown[key] = f"{shown[key]} {text}" if key in shown and text not in shown[key] else text
    return shown


def read_form(form, gettext) -> tuple[dict[str, str], dict, dict[str, str]]:
    """(the values as typed; the API input; errors found before asking the API).

    Dates and the budget are checked here: the schema would refuse a malformed one outright,
    without saying which field it was."""
    typed = {key: str(form.get(key, "")).strip() for key in FORM_FIELDS}
    data: dict = {"name": typed["name"], "code": typed["code"]}
    errors: dict[str, str] = {}
    if typed["channel"] in LABELS["channel"]:
        data["channel"] = typed["channel"]
    else:
        errors["channel"] = gettext(CAMPAIGN_ERRORS[("channel", "INVALID")])
    for key in ("startsOn", "endsOn"):
        if not typed[key]:
            if key == "startsOn":
                errors[key] = gettext(CAMPAIGN_ERRORS[("startsOn", "REQUIRED")])
            data[key] = None
            continue
        try:
            data[key] = date.fromisoformat(typed[key]).isoformat()
        except ValueError:
            errors[key] = gettext(CAMPAIGN_ERRORS[(key, "INVALID")])
    try:
        budget = Decimal(typed["budget"].replace(",", "").replace("，", "") or "0")
        if not budget.is_finite() or budget < 0:
            raise InvalidOperation
        data["budget"] = str(budget)
    except InvalidOperation:
        errors["budget"] = gettext(CAMPAIGN_ERRORS[("budget", "INVALID")])
    return typed, data, errors


def form_values(campaign: dict | None) -> dict[str, str]:
    if campaign is None:
        return {key: "" for key in FORM_FIELDS} | {"channel": "AUTO_SHOW"}
    values = {key: campaign.get(key) or "" for key in FORM_FIELDS}
    budget = Decimal(str(campaign.get("budget") or "0"))
    values["budget"] = format(budget.normalize(), "f") if budget == budget.to_integral() else str(budget)
    return values


def _filters(request: Request) -> tuple[dict, dict]:
    """(the filter as the form shows it, the CampaignFilter to send)."""
    params = request.query_params
    shown = {"q": params.get("q", "").strip(), "channel": params.get("channel", ""),
             "active": params.get("active", "")}
    flt: dict = {}
    if shown["q"]:
        flt["search"] = shown["q"]
    if shown["channel"] in LABELS["channel"]:
        flt["channel"] = shown["channel"]
    else:
        shown["channel"] = ""
    if shown["active"] in ("true", "false"):
        flt["active"] = shown["active"] == "true"
    else:
        shown["active"] = ""
    return shown, flt


async def _render_list(request: Request, viewer: dict, *, form: dict | None = None, errors: dict | None = None,
                       status_code: int = 200):
    shown, flt = _filters(request)
    after = request.query_params.get("after") or None
    data = await run_lookup(request, "CampaignList", filter=flt or None, after=after)
    if data is None:  # a mangled cursor in the address: start from the top
        return RedirectResponse("/campaigns", status_code=303)
    connection = data["campaigns"]
    more = None
    if connection["pageInfo"]["hasNextPage"]:
        more = "/campaigns?" + urlencode({**{k: v for k, v in shown.items() if v},
                                          "after": connection["pageInfo"]["endCursor"]})
    context = {
        "viewer": viewer, "tab": "campaigns", "campaigns": connection, "more": more, "filters": shown,
        "may_edit": manages(viewer), "form": form or form_values(None), "errors": errors or {},
        "form_open": bool(errors), "page_path": "/campaigns",
    }
    if is_htmx(request) and after:
        return render(request, "campaigns.html", context, block="rows")
    return render(request, "campaigns.html", context, status_code=status_code)


@staff_page
async def list_page(request: Request):
    return await _render_list(request, await current_viewer(request))


@staff_page
async def create(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    typed, data, errors = read_form(await request.form(), _)
    if not errors:
        payload = (await run(request, "CreateCampaign", input=data))["createCampaign"]
        if not payload["errors"]:
            return RedirectResponse(f"/campaigns/{payload['campaign']['id']}", status_code=303)
        errors = field_errors(_, payload["errors"])
    return await _render_list(request, viewer, form=typed, errors=errors, status_code=422)


def _leads_more(campaign: dict) -> str | None:
    leads = campaign["customers"]
    if not leads["pageInfo"]["hasNextPage"]:
        return None
    return f"/campaigns/{campaign['id']}?" + urlencode({"after": leads["pageInfo"]["endCursor"]})


async def _render_detail(request: Request, viewer: dict, campaign: dict, *, form: dict | None = None,
                         errors: dict | None = None, saved: bool = False, status_code: int = 200):
    return render(request, "campaign.html", {
        "viewer": viewer, "tab": "campaigns", "campaign": campaign, "leads": campaign["customers"],
        "more": _leads_more(campaign), "may_edit": manages(viewer),
        "form": form or form_values(campaign), "errors": errors or {}, "form_open": bool(errors),
        "version": (form or {}).get("version") or campaign["version"], "saved": saved,
        "page_path": f"/campaigns/{campaign['id']}",
    }, status_code=status_code)


@staff_page
async def detail_page(request: Request):
    viewer = await current_viewer(request)
    campaign_id = request.path_params["id"]
    after = request.query_params.get("after") or None
    if is_htmx(request) and after:
        data = await run_lookup(request, "CampaignLeads", id=campaign_id, after=after)
        campaign = data and data["campaign"]
        if campaign is None:
            return not_found(request, viewer)
        return render(request, "campaign.html", {"viewer": viewer, "campaign": campaign,
                                                 "leads": campaign["customers"], "more": _leads_more(campaign)},
                      block="lead_rows")
    data = await run_lookup(request, "CampaignDetail", id=campaign_id, after=after)
    campaign = data and data["campaign"]
    if campaign is None:
        return not_found(request, viewer)
    return await _render_detail(request, viewer, campaign, saved=bool(request.query_params.get("saved")))


@staff_page
async def update(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    data = await run_lookup(request, "CampaignDetail", id=request.path_params["id"])
    campaign = data and data["campaign"]
    if campaign is None:
        return not_found(request, viewer)
    form = await request.form()
    typed, values, errors = read_form(form, _)
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = campaign["version"]
    if not errors:
        payload = (await run(request, "UpdateCampaign",
                             input={"id": campaign["id"], "version": version, **values}))["updateCampaign"]
        if not payload["errors"]:
            return RedirectResponse(f"/campaigns/{campaign['id']}?saved=1", status_code=303)
        errors = field_errors(_, payload["errors"])
        if any(e["code"] == "CONFLICT" for e in payload["errors"]):
            # Saving again is then a deliberate choice to keep what this user typed.
            version = campaign["version"]
            return await _render_detail(request, viewer, campaign, form={**typed, "version": version},
                                        errors=errors, status_code=409)
    return await _render_detail(request, viewer, campaign, form={**typed, "version": version}, errors=errors,
                                status_code=422)


async def _customer_campaign(request: Request) -> dict | None:
    data = await run_lookup(request, "CustomerCampaign", id=request.path_params["id"])
    if data is None or data["customer"] is None:
        return None
    return data


@staff_page
async def customer_form(request: Request):
    """The campaign that brought a customer in, chosen by hand."""
    viewer = await current_viewer(request)
    data = await _customer_campaign(request)
    if data is None:
        return not_found(request, viewer)
    return _render_customer_form(request, viewer, data)


def _render_customer_form(request: Request, viewer: dict, data: dict, *, error: str | None = None,
                          status_code: int = 200):
    customer = data["customer"]
    return render(request, "customer_campaign.html", {
        "viewer": viewer, "tab": "customers", "customer": customer,
        "choices": [e["node"] for e in data["campaigns"]["edges"]],
        "current": (customer["campaign"] or {}).get("id", ""), "error": error,
        "page_path": f"/customers/{customer['id']}/campaign",
    }, status_code=status_code)


@staff_page
async def set_for_customer(request: Request):
    viewer = await current_viewer(request)
    data = await _customer_campaign(request)
    if data is None:
        return not_found(request, viewer)
    customer = data["customer"]
    form = await request.form()
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = customer["version"]
    chosen = str(form.get("campaign", "")) or None
    payload = (await run_lookup(request, "SetCustomerCampaign", input={
        "customerId": customer["id"], "version": version, "campaignId": chosen}) or {}).get("setCustomerCampaign")
    if payload and not payload["errors"]:
        return RedirectResponse(f"/customers/{customer['id']}", status_code=303)
    _ = gettext_for(request)
    errors = payload["errors"] if payload else [{"field": "campaignId", "code": "NOT_FOUND"}]
    # Errors about the customer (stale version, not yours) read as on the customer form.
    text = " ".join(dict.fromkeys(error_text(_, e) if e.get("field") == "campaignId" else message(_, e)
                                  for e in errors))
    return _render_customer_form(request, viewer, data, error=text, status_code=422)

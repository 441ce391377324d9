"""客户: search as you type (name, pinyin, initials, phone tail), filters, infinite scroll;
managers select customers to assign to a consultant or return to the pool."""

from datetime import date, timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, manages, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import LABELS, N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, render

# URL parameter → (CustomerFilter field, label kind). Short parameter names keep shared links readable.
ENUM_FILTERS = {
    "lifecycle": ("lifecycle", "lifecycle"),
    "intent": ("intent", "intent"),
    "grade": ("grade", "grade"),
    "tier": ("valueTier", "valueTier"),
    "channel": ("channel", "channel"),
}
MAX_SEARCH = 50
BULK_ERRORS = {
    ("customerIds", "REQUIRED"): N_("Select at least one customer."),
    ("customerIds", "NOT_FOUND"): N_("One of the selected customers is not in your team (or was moved meanwhile)."),
    ("customerIds", "LIMIT_EXCEEDED"): N_("Too many customers at once: select at most 100 to return and 500 to assign."),
    ("customerIds", "FORBIDDEN"): N_("You may not return one of these customers to the pool."),
    ("customerIds", "CONFLICT"): N_("Some customers changed while being moved. Try again."),
    ("ownerId", "FORBIDDEN"): N_("Only managers and admins assign customers, within their own team."),
    ("ownerId", "NOT_FOUND"): N_("Choose the consultant to assign to."),
}


def bulk_error_text(gettext, errors: list[dict]) -> dict[str, str]:
    """{'owner' | '': message}: a problem with the chosen consultant goes next to its field."""
    shown: dict[str, str] = {}
    for error in errors:
        key = "owner" if error.get("field") == "ownerId" else ""
        text = BULK_ERRORS.get((error.get("field"), error.get("code")))
        shown[key] = gettext(text) if text else message(gettext, error)
    return shown


# Days of first creation, both included (as the funnel's period shows them); the funnel links here.
DAY_FILTERS = ("created_from", "created_to")


def _day(raw: str) -> str:
    try:
        return date.fromisoformat(raw).isoformat() if raw else ""
    except ValueError:
        return ""


def read_filters(request: Request) -> dict[str, str]:
    """The list's parameters as given, with unknown enum values and unreadable days dropped
    (a stale bookmark is no error)."""
    params = request.query_params
    chosen = {"q": params.get("q", "").strip()[:MAX_SEARCH], "tag": params.get("tag", "").strip()[:60]}
    for param, (_, kind) in ENUM_FILTERS.items():
        value = params.get(param, "")
        chosen[param] = value if value in LABELS[kind] else ""
    for param in DAY_FILTERS:
        chosen[param] = _day(params.get(param, ""))
    return chosen


def customer_filter(chosen: dict[str, str]) -> dict:
    flt: dict = {}
    if chosen["q"]:
        flt["search"] = chosen["q"]
    if chosen["tag"]:
        flt["tags"] = [chosen["tag"]]
    for param, (field, _) in ENUM_FILTERS.items():
        if chosen[param]:
            flt[field] = [chosen[param]]
    if chosen.get("created_from"):
        flt["createdFrom"] = chosen["created_from"]
    if chosen.get("created_to"):  # the API's end day is excluded
        flt["createdTo"] = (date.fromisoformat(chosen["created_to"]) + timedelta(days=1)).isoformat()
    return flt


def list_url(chosen: dict[str, str], **extra: str) -> str:
    query = urlencode({**{k: v for k, v in chosen.items() if v}, **extra})
    return "/customers" + (f"?{query}" if query else "")


async def _context(request: Request, viewer: dict, chosen: dict, after: str | None) -> dict:
    data = await run(request, "CustomerList", filter=customer_filter(chosen) or None, after=after)
    connection = data["customers"]
    return {
        "viewer": viewer,
        "tab": "customers",
        "chosen": chosen,
        "filtering": any(v for k, v in chosen.items() if k != "q"),
        "customers": connection,
        "more": list_url(chosen, after=connection["pageInfo"]["endCursor"]) if connection["pageInfo"]["hasNextPage"] else None,
        "after": after,
        "bulk": manages(viewer),
        "colleagues": (await run(request, "Colleagues"))["colleagues"] if manages(viewer) and not after else [],
        "selected": set(),
        "bulk_errors": {},
        "page_path": list_url(chosen),
        "created_clear_url": list_url({**chosen, **dict.fromkeys(DAY_FILTERS, "")}),
    }


async def _full_page(request: Request, context: dict, status_code: int = 200):
    context["tag_names"] = [t["name"] for t in (await run(request, "TagNames"))["tags"]]
    context["done"] = pop_flash(request)
    return render(request, "customers.html", context, status_code=status_code)


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    chosen = read_filters(request)
    after = request.query_params.get("after") or None
    context = await _context(request, viewer, chosen, after)
    if is_htmx(request):
        if after:
            # The sentinel at the foot of the list asks for the next rows.
            return render(request, "customers.html", context, block="rows")
        # New results for the search form; the address bar gets the search without empty filters.
        return render(request, "customers.html", context, blocks=["results", "result_count"],
                      headers={"HX-Push-Url": list_url(chosen)})
    return await _full_page(request, context)


@staff_page
async def bulk(request: Request):
    """分配 or 退回公海 for the selected customers; all or none, as the API does it."""
    viewer = await current_viewer(request)
    form = await request.form()
    ids = [str(v) for v in form.getlist("customer_id") if v][:1000]
    owner = str(form.get("owner", ""))
    back = str(form.get("back", ""))
    back = back if back.startswith("/customers") and "//" not in back else "/customers"
    if form.get("action") == "return":
        result = await run_lookup(request, "ReturnToPool", input={"customerIds": ids, "reason": "returned from the customer list"})
        payload = result and result["returnToPool"]
    else:
        result = None
        if owner:
            result = await run_lookup(request, "AssignCustomers", input={"customerIds": ids, "ownerId": owner})
        payload = result and result["assignCustomers"]
    if payload is None:
        field = "customerIds" if form.get("action") == "return" or owner else "ownerId"
        errors = [{"field": field, "code": "NOT_FOUND"}]
    else:
        errors = payload["errors"]
    if not errors:
        names = ", ".join(c["name"] for c in payload["customers"][:10])
        if form.get("action") == "return":
            flash(request, "returned", count=str(len(ids)), names=names)
        else:
            who = next((c["displayName"] for c in (await run(request, "Colleagues"))["colleagues"] if c["id"] == owner), "")
            flash(request, "assigned", count=str(len(payload["customers"])), names=names, owner=who)
        return RedirectResponse(back, status_code=303)
    chosen = read_filters(request)
    context = await _context(request, viewer, chosen, None)
    context.update(selected=set(ids), chosen_owner=owner, bulk_errors=bulk_error_text(gettext_for(request), errors))
    return await _full_page(request, context, status_code=422)

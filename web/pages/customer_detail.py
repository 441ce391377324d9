"""A customer's page: profile, masked phone with tap-to-call, tags, contacts, vehicles, deals, timeline."""

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.form_errors import message
from web.labels import QUICK_KINDS
from web.operations import current_viewer, run_lookup
from web.pages import pool
from web.templating import formatter, gettext_for, not_found, render


def older_url(customer_id: str, timeline: dict) -> str | None:
    if not timeline["pageInfo"]["hasNextPage"]:
        return None
    return f"/customers/{customer_id}?" + urlencode({"after": timeline["pageInfo"]["endCursor"]})


def page_context(request: Request, viewer: dict, customer: dict, timeline: dict, **extra) -> dict:
    """What every rendering of the customer page (or a block of it) needs."""
    return {
        "viewer": viewer,
        "tab": "customers",
        "customer": customer,
        "timeline": timeline,
        "older": older_url(customer["id"], timeline),
        "quick_kinds": QUICK_KINDS,
        "today_iso": formatter(request, viewer).today().isoformat(),
        "log": {"open": False, "kind": "", "summary": "", "next_follow_up": "", "errors": {}},
        "deal": {"open": False, "vehicle_model": "", "amount": "", "expected_close": "", "errors": {}},
        "page_path": f"/customers/{customer['id']}",
        **extra,
    }


async def load(request: Request, after: str | None = None) -> dict | None:
    data = await run_lookup(request, "CustomerDetail", id=request.path_params["id"], after=after)
    customer = data and data["customer"]
    if customer is not None:
        customer["recommended"] = data["recommendedTemplates"]
        deals = await run_lookup(request, "CustomerOpportunities", id=customer["id"])
        customer["deals"] = deals["customer"]["opportunities"] if deals and deals["customer"] else None
        customer["vehicleModels"] = [e["node"] for e in deals["vehicleModels"]["edges"]] if deals else []
        await attach_suggestions(request, customer)
    return customer


async def attach_suggestions(request: Request, customer: dict) -> None:
    """The 建议 read from the customer's notes, with the version they apply to."""
    found = await run_lookup(request, "CustomerSuggestions", id=customer["id"])
    found = found and found["customer"]
    customer["suggestions"] = found["suggestions"] if found else []
    customer["suggestionsVersion"] = found["version"] if found else None


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    after = request.query_params.get("after") or None
    if is_htmx(request) and after:
        # Scrolling the timeline: the next entries only.
        data = await run_lookup(request, "CustomerTimeline", id=request.path_params["id"], after=after)
        customer = data and data["customer"]
        if customer is None:
            return not_found(request, viewer)
        context = page_context(request, viewer, customer, customer["interactions"])
        return render(request, "customer.html", context, block="timeline_rows")
    customer = await load(request, after)
    if customer is None:
        return not_found(request, viewer)
    context = page_context(request, viewer, customer, customer["interactions"],
                           logged=bool(request.query_params.get("logged")),
                           claimed=bool(request.query_params.get("claimed")))
    context["log"]["open"] = bool(request.query_params.get("log"))
    return render(request, "customer.html", context)


@staff_page
async def reveal_phone(request: Request):
    """Show the full number for a tel: link. The API decides who may, and logs every reveal."""
    viewer = await current_viewer(request)
    customer_id = request.path_params["id"]
    data = await run_lookup(request, "RevealPhone", customerId=customer_id)
    payload = data and data["revealField"]
    if payload is None:
        return not_found(request, viewer)
    _ = gettext_for(request)
    revealed = payload["value"] if not payload["errors"] else None
    error = message(_, payload["errors"][0]) if payload["errors"] else None
    customer = await load(request)
    if customer is None:
        return not_found(request, viewer)
    context = page_context(request, viewer, customer, customer["interactions"], revealed_phone=revealed,
                           reveal_error=error)
    return render(request, "customer.html", context, block="phone" if is_htmx(request) else None)


@staff_page
async def claim(request: Request):
    """认领 one pool customer from their page; claimFromPool applies the caps and cooling-off."""
    viewer = await current_viewer(request)
    customer_id = request.path_params["id"]
    claimed, errors = await pool.claim(request, [customer_id])
    if not errors:
        return RedirectResponse(f"/customers/{claimed[0]['id']}?claimed=1", status_code=303)
    customer = await load(request)
    if customer is None:
        return not_found(request, viewer)
    allowance = (await run_lookup(request, "Pool", first=1) or {}).get("poolAllowance")
    context = page_context(request, viewer, customer, customer["interactions"],
                           claim_error=pool.claim_error_text(gettext_for(request), errors, allowance))
    return render(request, "customer.html", context, status_code=422)

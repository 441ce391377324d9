"""公海: the public pool, the viewer's allowance, and claiming customers from it.

Caps and the cooling-off period are the API's rules (claimFromPool); this page only shows them.
"""

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, render

CLAIM_ERRORS = {
    "LIMIT_EXCEEDED": N_("You have reached your claim limit (customers held or claimed today)."),
    "FORBIDDEN": N_("You gave back one of these customers too recently (cooling-off period): you cannot claim it yet."),
    "NOT_FOUND": N_("One of these customers is no longer in the pool: someone may have claimed it first."),
    "REQUIRED": N_("Select at least one customer to claim."),
}


def claim_error_text(gettext, errors: list[dict], allowance: dict | None = None) -> str:
    texts = []
    for error in errors:
        text = CLAIM_ERRORS.get(error["code"])
        text = gettext(text) if text else message(gettext, error)
        if text not in texts:
            texts.append(text)
    if allowance and any(e["code"] == "LIMIT_EXCEEDED" for e in errors):
        texts.append(gettext("You may claim %(num)s more now.") % {"num": allowance["remaining"]})
    return " ".join(texts)


async def claim(request: Request, customer_ids: list[str]) -> tuple[list[dict], list[dict]]:
    """Claim the customers; return (claimed customers, user errors)."""
    payload = (await run(request, "ClaimFromPool", input={"customerIds": customer_ids}))["claimFromPool"]
    return payload["customers"], payload["errors"]


async def _render(request: Request, viewer: dict, *, after: str | None = None, error: str | None = None,
                  selected: list[str] = (), status_code: int = 200):
    data = await run_lookup(request, "Pool", after=after)
    if data is None:  # a mangled cursor in the address: start from the top
        return RedirectResponse("/pool", status_code=303)
    connection = data["pool"]
    more = None
    if connection["pageInfo"]["hasNextPage"]:
        more = "/pool?" + urlencode({"after": connection["pageInfo"]["endCursor"]})
    context = {
        "viewer": viewer,
        "tab": "pool",
        "pool": connection,
        "allowance": data["poolAllowance"],
        "more": more,
        "error": error,
        "selected": set(selected),
        "page_path": "/pool",
    }
    if is_htmx(request) and after:
        return render(request, "pool.html", context, block="rows")
    context["done"] = pop_flash(request)
    return render(request, "pool.html", context, status_code=status_code)


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    return await _render(request, viewer, after=request.query_params.get("after") or None)


@staff_page
async def claim_selected(request: Request):
    viewer = await current_viewer(request)
    form = await request.form()
    ids = [str(v) for v in form.getlist("customer_id") if v]
    claimed, errors = await claim(request, ids)
    if not errors:
        flash(request, "claimed", count=str(len(claimed)), names=", ".join(c["name"] for c in claimed))
        return RedirectResponse("/pool", status_code=303)
    data = await run(request, "Pool", first=1)
    text = claim_error_text(gettext_for(request), errors, data["poolAllowance"])
    return await _render(request, viewer, error=text, selected=ids, status_code=422)

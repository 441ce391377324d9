"""The customer page's 建议: facts read from notes, accepted (采纳) or dismissed (忽略) with one tap."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.form_errors import message
from web.operations import current_viewer, run_lookup
from web.pages.customer_detail import load, page_context
from web.templating import gettext_for, not_found, render


async def _decide(request: Request, operation: str, key_name: str):
    viewer = await current_viewer(request)
    customer_id = request.path_params["id"]
    form = await request.form()
    variables = {"customerId": customer_id, "key": str(form.get("key", ""))}
    if operation == "AcceptSuggestion" and str(form.get("version", "")).isdigit():
        variables["version"] = int(form["version"])
    data = await run_lookup(request, operation, **variables)
    if data is None:
        return not_found(request, viewer)
    errors = data[key_name]["errors"]
    if not errors and not is_htmx(request):
        return RedirectResponse(f"/customers/{customer_id}#suggestions", status_code=303)
    customer = await load(request)
    if customer is None:
        return not_found(request, viewer)
    error = message(gettext_for(request), errors[0]) if errors else None
    context = page_context(request, viewer, customer, customer["interactions"], suggestion_error=error)
    status = 422 if errors else 200
    if is_htmx(request):
        # Both out of band (the forms swap nothing themselves): the list, and the profile facts and
        # tags that accepting changed.
        return render(request, "customer.html", context, blocks=["suggestions", "portrait"], status_code=status)
    return render(request, "customer.html", context, status_code=status)


@staff_page
async def accept(request: Request):
    return await _decide(request, "AcceptSuggestion", "acceptSuggestion")


@staff_page
async def dismiss(request: Request):
    return await _decide(request, "DismissSuggestion", "dismissSuggestion")

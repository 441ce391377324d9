"""New customer and edit customer: one form page in two modes, with a live check for a known phone."""

import re

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web import customer_input
from web.access import staff_page
from web.form_errors import field_errors
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, not_found, render

MIN_DIGITS_TO_LOOK_UP = 7
NEW_DEFAULTS = {"lifecycle": "LEAD", "channel": "SHOWROOM", "gender": "UNKNOWN"}


async def find_by_phone(request: Request, phone: str, except_id: str | None = None) -> dict | None:
    """A customer the viewer may see with this number, other than the one being edited."""
    if len(re.sub(r"\D", "", phone)) < MIN_DIGITS_TO_LOOK_UP:
        return None
    edges = (await run(request, "PhoneLookup", phone=phone))["customers"]["edges"]
    match = edges[0]["node"] if edges else None
    return match if match and match["id"] != except_id else None


def _render_form(request: Request, viewer: dict, *, mode: str, values: dict, errors: dict | None = None,
                 customer: dict | None = None, match: dict | None = None, conflict: dict | None = None,
                 version: int | None = None, status_code: int = 200):
    return render(request, "customer_form.html", {
        "viewer": viewer,
        "tab": "new" if mode == "new" else "customers",
        "mode": mode,
        "values": values,
        "errors": errors or {},
        "customer": customer,
        "match": match,
        "conflict": conflict or {},
        "version": version,
        "page_path": "/customers/new" if mode == "new" else f"/customers/{customer['id']}/edit",
    }, status_code=status_code)


@staff_page
async def new_form(request: Request):
    viewer = await current_viewer(request)
    values = {**customer_input.form_values({}), **NEW_DEFAULTS}
    return _render_form(request, viewer, mode="new", values=values)


@staff_page
async def create(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    typed, data, errors = customer_input.read_form(await request.form(), _)
    if not errors:
        payload = (await run(request, "CreateCustomer", input=data))["createCustomer"]
        if not payload["errors"]:
            return RedirectResponse(f"/customers/{payload['customer']['id']}", status_code=303)
        errors = field_errors(_, payload["errors"])
    match = await find_by_phone(request, typed["phone"]) if typed["phone"] else None
    return _render_form(request, viewer, mode="new", values=typed, errors=errors, match=match, status_code=422)


@staff_page
async def phone_check(request: Request):
    """The hint under the phone field: this number is already a customer of yours — open it?"""
    viewer = await current_viewer(request)
    match = await find_by_phone(request, request.query_params.get("phone", ""),
                                request.query_params.get("except") or None)
    return render(request, "customer_form.html", {"viewer": viewer, "match": match}, block="phone_match")


async def _for_edit(request: Request) -> dict | None:
    data = await run_lookup(request, "CustomerForEdit", id=request.path_params["id"])
    return data and data["customer"]


@staff_page
async def edit_form(request: Request):
    viewer = await current_viewer(request)
    customer = await _for_edit(request)
    if customer is None:
        return not_found(request, viewer)
    return _render_form(request, viewer, mode="edit", values=customer_input.form_values(customer),
                        customer=customer, version=customer["version"])


@staff_page
async def update(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    current = await _for_edit(request)
    if current is None:
        return not_found(request, viewer)
    form = await request.form()
    typed, data, errors = customer_input.read_form(form, _)
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = current["version"]
    if errors:
        return _render_form(request, viewer, mode="edit", values=typed, errors=errors, customer=current,
                            version=version, status_code=422)
    changed = customer_input.changes(data, current)
    if not changed and version == current["version"]:
        return RedirectResponse(f"/customers/{current['id']}", status_code=303)
    payload = (await run(request, "UpdateCustomer", input={"id": current["id"], "version": version, **changed}))["updateCustomer"]
    if not payload["errors"]:
        return RedirectResponse(f"/customers/{current['id']}", status_code=303)
    errors = field_errors(_, payload["errors"])
    conflict = {}
    if any(e["code"] == "CONFLICT" for e in payload["errors"]):
        # Show what the other save left next to what this user typed; saving again now is a
        # deliberate choice to keep their own values, so the form carries the latest version.
        latest = customer_input.form_values(current)
        conflict = {key: latest[key] for key in typed if key != "phone" and latest.get(key, "") != typed[key]}
        version = current["version"]
    match = await find_by_phone(request, typed["phone"], current["id"]) if typed["phone"] else None
    return _render_form(request, viewer, mode="edit", values=typed, errors=errors, customer=current,
                        match=match, conflict=conflict, version=version, status_code=422 if not conflict else 409)

"""Logging a call, visit, WeChat, test drive or note from the customer page, and reading one in full."""

from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, staff_page
from web.form_errors import field_errors
from web.labels import N_, QUICK_KINDS
from web.operations import current_viewer, run, run_lookup
from web.pages.customer_detail import attach_suggestions, load, page_context
from web.templating import formatter, gettext_for, not_found, render

CHANNEL_OF_KIND = {kind: channel for kind, channel, _ in QUICK_KINDS}
CHOOSE_KIND = N_("Choose what kind of contact this was.")
BAD_DATE = N_("Pick a date from the calendar.")


def read_log_form(form) -> dict:
    return {
        "open": True,
        "kind": str(form.get("kind", "")),
        "summary": str(form.get("summary", "")).strip(),
        "next_follow_up": str(form.get("next_follow_up", "")).strip(),
        "errors": {},
    }


@staff_page
async def log(request: Request):
    viewer = await current_viewer(request)
    customer_id = request.path_params["id"]
    _ = gettext_for(request)
    fmt = formatter(request, viewer)
    entry = read_log_form(await request.form())

    variables = {"customerId": customer_id, "kind": entry["kind"], "summary": entry["summary"]}
    if entry["kind"] not in CHANNEL_OF_KIND:
        entry["errors"]["kind"] = _(CHOOSE_KIND)
    elif CHANNEL_OF_KIND[entry["kind"]]:
        variables["channel"] = CHANNEL_OF_KIND[entry["kind"]]
    if entry["next_follow_up"]:
        try:
            day = date.fromisoformat(entry["next_follow_up"])
            variables["nextFollowUpAt"] = fmt.follow_up_moment(day).isoformat()
        except ValueError:
            entry["errors"]["nextFollowUpAt"] = _(BAD_DATE)

    if not entry["errors"]:
        data = await run_lookup(request, "LogInteraction", input=variables)
        if data is None:
            return not_found(request, viewer)
        entry["errors"] = field_errors(_, data["logInteraction"]["errors"])

    if entry["errors"]:
        customer = await load(request)
        if customer is None:
            return not_found(request, viewer)
        context = page_context(request, viewer, customer, customer["interactions"], log=entry)
        return render(request, "customer.html", context, block="log_form" if is_htmx(request) else None,
                      status_code=422)

    if not is_htmx(request):
        # Post/redirect/get: a reload of the customer page does not log the contact twice.
        return RedirectResponse(f"/customers/{customer_id}?logged=1#timeline-section", status_code=303)
    fresh = (await run(request, "CustomerTimeline", id=customer_id))["customer"]
    await attach_suggestions(request, fresh)
    context = page_context(request, viewer, fresh, fresh["interactions"], logged=True)
    # The closed, emptied sheet in place of the form; the timeline, follow-up line and what the
    # note suggests out of band.
    return render(request, "customer.html", context, blocks=["log_form", "follow_up", "timeline", "suggestions"])


@staff_page
async def show(request: Request):
    viewer = await current_viewer(request)
    data = await run_lookup(request, "InteractionDetail", id=request.path_params["interaction_id"])
    entry = data and data["node"]
    if not entry or entry.get("customer", {}).get("id") != request.path_params["id"]:
        return not_found(request, viewer)
    return render(request, "interaction.html", {"viewer": viewer, "tab": "customers", "entry": entry})

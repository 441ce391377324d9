"""今日: what a consultant has to do today, and marking a reminder done."""

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, manages, staff_page
from web.operations import current_viewer, run
from web.templating import formatter, gettext_for, render

NEW_LEAD_DAYS = 7
UPCOMING_DAYS = 7


async def _today(request: Request, viewer: dict) -> dict:
    fmt = formatter(request, viewer)
    day_end = fmt.end_of_day()
    data = await run(
        request,
        "Today",
        me=viewer["id"],
        dayStart=fmt.start_of_day().isoformat(),
        dayEnd=day_end.isoformat(),
        weekEnd=(day_end + timedelta(days=UPCOMING_DAYS)).isoformat(),
        newSince=(fmt.now - timedelta(days=NEW_LEAD_DAYS)).isoformat(),
    )
    # A manager's own queue: loss requests waiting for a decision.
    data["lossRequests"] = (await run(request, "LossRequestCount"))["opportunities"] if manages(viewer) else None
    return data


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    data = await _today(request, viewer)
    return render(request, "today.html", {"viewer": viewer, "tab": "today", **data},
                  block="today" if is_htmx(request) else None)


@staff_page
async def complete_task(request: Request):
    result = (await run(request, "CompleteTask", id=request.path_params["id"]))["completeTask"]
    if not is_htmx(request):
        return RedirectResponse("/", status_code=303)
    viewer = await current_viewer(request)
    data = await _today(request, viewer)
    _ = gettext_for(request)
    message = _("Done.") if not result["errors"] else _("This reminder was not found or is not yours.")
    return render(request, "today.html", {"viewer": viewer, "done_message": message, **data}, block="today")

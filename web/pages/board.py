"""商机看板: open deals by stage, one column a stage (stacked on a phone), each paged on its own.

Counts and sums per stage come from the pipeline query, the cards from one page per column;
moving a card to the next stage runs the same moveOpportunityStage as the deal's own page.
"""

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import is_htmx, manages, staff_page
from web.operations import current_viewer, run, run_lookup
from web.pages.opportunities import STAGES, error_text, next_stage
from web.templating import gettext_for, render

COLUMN_PAGE = 10


def read_filters(values, viewer: dict) -> dict[str, str]:
    """Scope (mine/team), owner and stage as given; unknown values are dropped, not errors."""
    team = manages(viewer)
    scope = values.get("scope", "")
    chosen = {
        "scope": scope if team and scope in ("mine", "team") else ("team" if team else "mine"),
        "owner": str(values.get("owner", ""))[:100] if team else "",
        "stage": values.get("stage", "") if values.get("stage", "") in STAGES else "",
    }
    if chosen["scope"] == "mine":
        chosen["owner"] = ""
    return chosen


def opportunity_filter(chosen: dict[str, str], viewer: dict) -> dict:
    flt: dict = {"status": ["OPEN"]}
    if chosen["scope"] == "mine":
        flt["ownerId"] = viewer["id"]
    elif chosen["owner"]:
        flt["ownerId"] = chosen["owner"]
    return flt


def board_url(chosen: dict[str, str], **extra: str) -> str:
    query = urlencode({**{k: v for k, v in chosen.items() if v}, **extra})
    return "/opportunities" + (f"?{query}" if query else "")


async def _column(request: Request, flt: dict, stage: str, after: str | None = None) -> dict | None:
    data = await run_lookup(request, "OpportunityColumn", filter={**flt, "stage": [stage]}, after=after,
                            first=COLUMN_PAGE)
    return data["opportunities"] if data else None


async def _context(request: Request, viewer: dict, chosen: dict[str, str], after: str | None = None) -> dict | None:
    """The board; `after` pages the one column shown when a stage is chosen."""
    flt = opportunity_filter(chosen, viewer)
    board = await run_lookup(request, "OpportunityBoard", filter=flt)
    if board is None:  # a mangled owner id in the address
        return None
    totals = {t["stage"]: t for t in board["pipeline"]}
    columns = []
    for stage in [chosen["stage"]] if chosen["stage"] else STAGES:
        page = await _column(request, flt, stage, after if chosen["stage"] else None)
        if page is None:  # a mangled cursor in the address
            return None
        columns.append(_column_context(chosen, stage, totals[stage], page))
    return {
        "viewer": viewer,
        "tab": "opportunities",
        "chosen": chosen,
        "team_filters": manages(viewer),
        "colleagues": board["colleagues"],
        "totals": board["pipeline"],
        "columns": columns,
        "stages": STAGES,
        "page_path": board_url(chosen),
        "board_url_for": lambda current, stage: board_url({**current, "stage": stage}),
    }


def _column_context(chosen: dict, stage: str, total: dict, page: dict) -> dict:
    more = None
    if page["pageInfo"]["hasNextPage"]:
        more = board_url(chosen, column=stage, after=page["pageInfo"]["endCursor"])
    return {"stage": stage, "next": next_stage(stage), "count": total["count"], "amount": total["amount"],
            "cards": [e["node"] for e in page["edges"]], "more": more}


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    chosen = read_filters(request.query_params, viewer)
    column = request.query_params.get("column", "")
    after = request.query_params.get("after") or None
    if column in STAGES and after and not is_htmx(request):
        # Without JavaScript "more" shows that stage alone, from where the column stopped.
        context = await _context(request, viewer, {**chosen, "stage": column}, after)
        if context is None:
            return RedirectResponse(board_url(chosen), status_code=303)
        return render(request, "opportunities.html", context)
    if column in STAGES and after:
        # The foot of one column asks for its next cards.
        flt = opportunity_filter(chosen, viewer)
        page = await _column(request, flt, column, after)
        if page is None:
            return RedirectResponse(board_url(chosen), status_code=303)
        col = _column_context(chosen, column, {"count": 0, "amount": 0}, page)
        return render(request, "opportunities.html", {"viewer": viewer, "chosen": chosen, "col": col},
                      block="cards")
    context = await _context(request, viewer, chosen)
    if context is None:
        return RedirectResponse("/opportunities", status_code=303)
    return render(request, "opportunities.html", context, block="board" if is_htmx(request) else None)


@staff_page
async def advance(request: Request):
    """A card's 下一阶段 button: the board comes back with the card in its new column."""
    viewer = await current_viewer(request)
    form = await request.form()
    chosen = read_filters({"scope": form.get("scope", ""), "owner": form.get("owner", ""),
                           "stage": form.get("stage_filter", "")}, viewer)
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = 0
    stage = str(form.get("stage", ""))
    if stage not in STAGES:
        stage = STAGES[0]
    result = await run_lookup(request, "MoveOpportunityStage",
                              input={"id": request.path_params["id"], "version": version, "stage": stage})
    errors = [{"field": "id", "code": "NOT_FOUND"}] if result is None else result["moveOpportunityStage"]["errors"]
    if not errors and not is_htmx(request):
        return RedirectResponse(board_url(chosen), status_code=303)
    context = await _context(request, viewer, chosen) or await _context(request, viewer, {**chosen, "owner": ""})
    if errors:
        context["board_error"] = error_text(gettext_for(request), errors)
    # HTMX swaps a 422 (the page's htmx-config) but not a 409: a conflict there is a 422 too.
    status = 200 if not errors else (409 if any(e["code"] == "CONFLICT" for e in errors) and not is_htmx(request) else 422)
    return render(request, "opportunities.html", context, block="board" if is_htmx(request) else None,
                  status_code=status)

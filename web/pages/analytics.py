"""赢单/战败分析 and 销售漏斗 for managers: the period's deals grouped one way, the deals behind a
row, the table as an .xlsx, and the funnel.

Every number comes from the analytics operations as the signed-in user, so a manager's page
holds their team's deals and a consultant's their own: the schema's scope, not this module.
"""

from datetime import timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from web import win_loss_export
from web.access import is_htmx, manages, staff_page
from web.labels import LABELS, N_, label
from web.operations import current_viewer, run, run_lookup
from web.report_query import DIMENSIONS, PRESETS, STATUSES, ReportQuery, drillable, row_from_params, row_params
from web.templating import formatter, gettext_for, render

NO_KEY = {
    "REASON": N_("No reason recorded"),
    "COMPETITOR": N_("No competitor named"),
    "VEHICLE_MODEL": N_("No model recorded"),
    "CONSULTANT": N_("No consultant"),
    "TEAM": N_("No team"),
    "CHANNEL": N_("No channel"),
}
DRILL_PATH = "/analytics/win-loss/opportunities"
FUNNEL_PATH = "/analytics/funnel"
# The customer journey's steps as the showroom names them (线索 → 到店 → 试驾 → 商机 → 报价 → 成交).
JOURNEY_STEPS = {
    "LEAD": N_("Leads"),
    "VISITED": N_("Visited the showroom"),
    "TEST_DROVE": N_("Test-drove"),
    "OPPORTUNITY": N_("Opportunity opened"),
    "QUOTED": N_("Quoted"),
    "WON": N_("Bought"),
}


def row_label(gettext, dimension: str, row: dict) -> str:
    if dimension == "COMPETITOR" and (row.get("competitorBrand") or row.get("competitorModel")):
        return " ".join(p for p in (row["competitorBrand"], row["competitorModel"]) if p)
    if row.get("key") is None:
        return gettext(NO_KEY.get(dimension, "—"))
    if dimension == "CHANNEL":
        return label(gettext, "channel", row["key"])
    return row.get("label") or row["key"]


def period_text(gettext, query: ReportQuery, fmt) -> str:
    """'上月（10月1日至10月31日）': the preset's name and its days."""
    if query.period is None:
        return ""
    days = gettext("%(first)s to %(last)s") % {"first": fmt.date(query.period.start),
                                                "last": fmt.date(query.period.end - timedelta(days=1))}
    names = dict(PRESETS)
    if query.preset in names:
        return gettext("%(preset)s (%(days)s)") % {"preset": gettext(names[query.preset]), "days": days}
    return days


def _chrome(request: Request, viewer: dict, query: ReportQuery, path: str) -> dict:
    """What both analytics pages show above their report: the period choice and the section links."""
    _ = gettext_for(request)
    return {
        "viewer": viewer,
        "tab": "analytics",
        "q": query,
        "presets": [(slug, _(text), query.url(path, preset=slug)) for slug, text in PRESETS],
        "period_label": period_text(_, query, formatter(request, viewer)),
        "error": _(query.error) if query.error else None,
        "win_loss_url": query.url("/analytics/win-loss"),
        "funnel_url": query.url("/analytics/funnel"),
        "path": path,
    }


def _query(request: Request) -> ReportQuery:
    return ReportQuery.from_params(request.query_params)


@staff_page
async def win_loss(request: Request):
    viewer = await current_viewer(request)
    query = _query(request)
    _ = gettext_for(request)
    context = _chrome(request, viewer, query, "/analytics/win-loss")
    dimension = query.dimension
    context.update(
        dimensions=[(slug, _(text), query.url("/analytics/win-loss", by=slug)) for slug, _v, text in DIMENSIONS],
        dimension_title=_(dict((s, t) for s, _v, t in DIMENSIONS)[query.by]),
        statuses=[(slug, _(text), query.url("/analytics/win-loss", status=slug)) for slug, _v, text in STATUSES],
        report=None, rows=[], chart=None,
        export_url=query.url("/analytics/win-loss/export.xlsx"),
    )
    if query.period is None:
        return render(request, "win_loss.html", context, status_code=422)
    report = (await run(request, "WinLoss", filter=query.report_filter(), groupBy=dimension))["analytics"]["winLoss"]
    rows = []
    for row in report["rows"]:
        text = row_label(_, dimension, row)
        drill = None
        lost_drill = None
        if drillable(dimension, row) and row["total"]:
            params = {**query.params(), **row_params(dimension, row), "label": text}
            drill = f"{DRILL_PATH}?{urlencode(params)}"
            if row["lost"] and query.status != "lost":
                lost_drill = f"{DRILL_PATH}?{urlencode({**params, 'status': 'lost'})}"
        rows.append({**row, "text": text, "drill": drill, "lost_drill": lost_drill})
    context.update(
        report=report, rows=rows,
        chart={"kind": "bar", "labels": [r["text"] for r in rows],
               "series": [{"name": _("Won"), "data": [r["won"] for r in rows], "color": "#1e7a3d"},
                          {"name": _("Lost (defeated)"), "data": [r["lost"] for r in rows], "color": "#b3261e"}]},
    )
    return render(request, "win_loss.html", context)


@staff_page
async def opportunities(request: Request):
    """The deals behind one row of the analysis, each linking to its page; more on scrolling."""
    viewer = await current_viewer(request)
    query = _query(request)
    if query.period is None:
        return RedirectResponse(query.url("/analytics/win-loss"), status_code=303)
    row = row_from_params(query.dimension, request.query_params)
    after = request.query_params.get("after") or None
    data = await run_lookup(request, "WinLossOpportunities", filter=query.deals_filter(row), after=after)
    if data is None:  # a mangled id or cursor in the address
        return RedirectResponse(query.url("/analytics/win-loss"), status_code=303)
    _ = gettext_for(request)
    connection = data["opportunities"]
    more = None
    if connection["pageInfo"]["hasNextPage"]:
        params = dict(request.query_params)
        params["after"] = connection["pageInfo"]["endCursor"]
        more = f"{DRILL_PATH}?{urlencode(params)}"
    context = {
        **_chrome(request, viewer, query, DRILL_PATH),
        "deals": connection,
        "more": more,
        "row_title": request.query_params.get("label") or _("All closed opportunities"),
        "status_title": _(dict((s, t) for s, _v, t in STATUSES)[query.status]),
        "back_url": query.url("/analytics/win-loss"),
    }
    if is_htmx(request) and after:
        return render(request, "win_loss_opportunities.html", context, block="rows")
    return render(request, "win_loss_opportunities.html", context)


async def _all_deals(request: Request, query: ReportQuery) -> tuple[list[dict], int]:
    """The report's deals page by page through the API, up to the export's limit; and how many were left out."""
    deals, after, total = [], None, 0
    while len(deals) < win_loss_export.EXPORT_LIMIT:
        page = (await run(request, "WinLossOpportunities", filter=query.deals_filter(), after=after,
                          first=win_loss_export.PAGE))["opportunities"]
        total = page["totalCount"] if after is None else total
        deals.extend(e["node"] for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    deals = deals[:win_loss_export.EXPORT_LIMIT]
    return deals, max(total - len(deals), 0)


@staff_page
async def export(request: Request):
    """导出 Excel: the table as shown and the deals behind it."""
    viewer = await current_viewer(request)
    query = _query(request)
    if query.period is None:
        return RedirectResponse(query.url("/analytics/win-loss"), status_code=303)
    _ = gettext_for(request)
    fmt = formatter(request, viewer)
    dimension = query.dimension
    report = (await run(request, "WinLoss", filter=query.report_filter(), groupBy=dimension))["analytics"]["winLoss"]
    deals, left_out = await _all_deals(request, query)
    title = " · ".join([_("Win/loss analysis"), period_text(_, query, fmt),
                        _(dict((s, t) for s, _v, t in STATUSES)[query.status])])

    def deal_label(kind, value):
        return fmt.date(value) if kind == "day" else label(_, kind, value)

    body = win_loss_export.workbook(
        _, title=title, dimension_title=_(dict((s, t) for s, _v, t in DIMENSIONS)[query.by]), rows=report["rows"],
        totals=report["totals"], deals=deals, more_deals=left_out,
        row_label=lambda row: row_label(_, dimension, row), deal_label=deal_label)
    last_day = query.period.end - timedelta(days=1)
    filename = f"win-loss-{query.by}-{query.period.start.isoformat()}-{last_day.isoformat()}.xlsx"
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _funnel_filters(request: Request, viewer: dict) -> dict[str, str]:
    """The funnel's channel and team as given; an unknown channel is dropped, the team is a manager's tool."""
    params = request.query_params
    channel = params.get("channel", "")
    return {"channel": channel if channel in LABELS["channel"] else "",
            "team": params.get("team", "")[:100] if manages(viewer) else ""}


def _with(url: str, extra: dict[str, str]) -> str:
    extra = {k: v for k, v in extra.items() if v}
    return f"{url}&{urlencode(extra)}" if extra else url


def _customers_url(query: ReportQuery, channel: str) -> str:
    """The customer list of the period's leads (from one channel): the people behind a leads count."""
    params = {"created_from": query.period.start.isoformat(),
              "created_to": (query.period.end - timedelta(days=1)).isoformat()}
    if channel:
        params["channel"] = channel
    return f"/customers?{urlencode(params)}"


@staff_page
async def funnel(request: Request):
    viewer = await current_viewer(request)
    query = _query(request)
    _ = gettext_for(request)
    chosen = _funnel_filters(request, viewer)
    context = {**_chrome(request, viewer, query, FUNNEL_PATH), "funnel": None, "steps": [], "chart": None,
               "journey": [], "journey_chart": None, "channels": [], "chosen": chosen, "teams": [],
               "channel_options": [(value, _(text)) for value, text in LABELS["channel"].items()]}
    # The period choice keeps the channel and team.
    context["presets"] = [(slug, text, _with(url, chosen)) for slug, text, url in context["presets"]]
    context["keep"] = {k: v for k, v in chosen.items() if v}
    if query.period is None:
        return render(request, "funnel.html", context, status_code=422)
    flt = {k: v for k, v in query.report_filter().items() if k != "status"}
    if chosen["channel"]:
        flt["channel"] = chosen["channel"]
    if chosen["team"]:
        flt["teamId"] = chosen["team"]
    data = await run_lookup(request, "Funnel", filter=flt)
    if data is None:  # a mangled team id in the address
        return RedirectResponse(_with(query.url(FUNNEL_PATH), {"channel": chosen["channel"]}), status_code=303)
    result = data["analytics"]["funnel"]
    steps = [{**s, "text": label(_, "opportunityStage", s["stage"]) if s["stage"] else _("Won")}
             for s in result["steps"]]
    # The customer list has no team filter: with a team chosen, the counts link nowhere.
    linkable = not chosen["team"]
    names = {key: _(text) for key, text in JOURNEY_STEPS.items()}
    journey = [{**s, "text": names[s["key"]],
                "url": _customers_url(query, chosen["channel"]) if s["key"] == "LEAD" and linkable and s["count"] else None}
               for s in result["journey"]["steps"]]
    channels = [{**r, "text": label(_, "channel", r["channel"]),
                 "url": _customers_url(query, r["channel"]) if linkable else None}
                for r in result["byChannel"]]
    context.update(
        funnel=result, steps=steps, journey=journey, channels=channels,
        teams=data["teams"] if manages(viewer) else [],
        chart={"kind": "funnel", "labels": [s["text"] for s in steps],
               "series": [{"name": _("Opportunities"), "data": [s["count"] for s in steps]}]},
        journey_chart={"kind": "funnel", "labels": [s["text"] for s in journey],
                       "series": [{"name": _("Customers"), "data": [s["count"] for s in journey]}]},
    )
    return render(request, "funnel.html", context)

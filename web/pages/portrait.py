"""客户画像分析 for managers: the customers they may see by age band, region, budget band,
interested model, value tier and tag, each bar and row opening the customer list filtered to it.

The numbers come from the Portrait operation as the signed-in user (the schema's scope), as of
the last portrait refresh.
"""

from starlette.requests import Request

from web.access import staff_page
from web.labels import N_, label
from web.operations import current_viewer, run
from web.pages.customer_list import list_url
from web.templating import gettext_for, render

# (section id, API field, title, what the list filter is)
SECTIONS = [
    ("tier", "byTier", N_("Value tier"), "tier"),
    ("age", "byAgeBand", N_("Age band"), "tag"),
    ("region", "byRegion", N_("Region"), "tag"),
    ("budget", "byBudgetBand", N_("Budget"), "tag"),
    ("model", "byInterestedModel", N_("Interested model"), "tag"),
    ("tag", "byTag", N_("Tags"), "tag"),
]
EMPTY_LIST = {"tag": "", "q": "", "lifecycle": "", "intent": "", "grade": "", "tier": "", "channel": ""}


def _row(gettext, kind: str, bucket: dict) -> dict:
    if kind == "tier":
        text = label(gettext, "valueTier", bucket["key"]) if bucket["key"] else gettext("Not scored yet")
    else:
        text = bucket["label"]
    url = list_url({**EMPTY_LIST, kind: bucket["key"]}) if bucket["key"] else None
    return {"text": text, "count": bucket["count"], "url": url}


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    _ = gettext_for(request)
    data = (await run(request, "Portrait"))["analytics"]["portrait"]
    sections = []
    for slug, field, title, kind in SECTIONS:
        rows = [_row(_, kind, b) for b in data[field]]
        chart = {"kind": "bar", "labels": [r["text"] for r in rows], "links": [r["url"] for r in rows],
                 "series": [{"name": _("Customers"), "data": [r["count"] for r in rows], "color": "#1f5fa8"}]}
        sections.append({"id": slug, "title": _(title), "rows": rows, "chart": chart})
    context = {
        "viewer": viewer, "tab": "portrait", "customers": data["customers"], "sections": sections,
        "path": "/analytics/portrait", "win_loss_url": "/analytics/win-loss", "funnel_url": "/analytics/funnel",
    }
    return render(request, "portrait.html", context)

"""客户: search as you type (name, pinyin, initials, phone tail), filters, infinite scroll."""

from urllib.parse import urlencode

from starlette.requests import Request

from web.access import is_htmx, staff_page
from web.labels import LABELS
from web.operations import current_viewer, run
from web.templating import render

# URL parameter → (CustomerFilter field, label kind). Short parameter names keep shared links readable.
ENUM_FILTERS = {
    "lifecycle": ("lifecycle", "lifecycle"),
    "intent": ("intent", "intent"),
    "grade": ("grade", "grade"),
    "tier": ("valueTier", "valueTier"),
    "channel": ("channel", "channel"),
}
MAX_SEARCH = 50


def read_filters(request: Request) -> dict[str, str]:
    """The list's parameters as given, with unknown enum values dropped (a stale bookmark is no error)."""
    params = request.query_params
    chosen = {"q": params.get("q", "").strip()[:MAX_SEARCH], "tag": params.get("tag", "").strip()[:50]}
    for param, (_, kind) in ENUM_FILTERS.items():
        value = params.get(param, "")
        chosen[param] = value if value in LABELS[kind] else ""
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
    return flt


def list_url(chosen: dict[str, str], **extra: str) -> str:
    query = urlencode({**{k: v for k, v in chosen.items() if v}, **extra})
    return "/customers" + (f"?{query}" if query else "")


@staff_page
async def page(request: Request):
    viewer = await current_viewer(request)
    chosen = read_filters(request)
    after = request.query_params.get("after") or None
    data = await run(request, "CustomerList", filter=customer_filter(chosen) or None, after=after)
    connection = data["customers"]
    context = {
        "viewer": viewer,
        "tab": "customers",
        "chosen": chosen,
        "filtering": any(v for k, v in chosen.items() if k != "q"),
        "customers": connection,
        "more": list_url(chosen, after=connection["pageInfo"]["endCursor"]) if connection["pageInfo"]["hasNextPage"] else None,
        "after": after,
    }
    if is_htmx(request):
        if after:
            # The sentinel at the foot of the list asks for the next rows.
            return render(request, "customers.html", context, block="rows")
        # New results for the search form; the address bar gets the search without empty filters.
        return render(request, "customers.html", context, blocks=["results", "result_count"],
                      headers={"HX-Push-Url": list_url(chosen)})
    context["tag_names"] = [t["name"] for t in (await run(request, "TagNames"))["tags"]]
    return render(request, "customers.html", context)

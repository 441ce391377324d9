"""查重: the queue of possible duplicates, and one pair side by side to merge or tell apart.

Which pairs a viewer gets is the schema's decision (both customers must be theirs to see); the
merge itself is resolveDuplicateCandidate, which checks again that both are theirs to change.
"""

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web import duplicate_review
from web.access import is_htmx, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import N_
from web.operations import current_viewer, run, run_lookup
from web.templating import formatter, gettext_for, not_found, render

ACTIONS = {"MERGE", "NOT_SAME_PERSON"}
# This mutation's own wording for the errors a reviewer meets; others use the shared messages.
RESOLVE_ERRORS = {
    "CONFLICT": N_("Someone has already resolved this pair."),
    "NOT_FOUND": N_("You may not change one of these customers: pool customers must be claimed first."),
}


def _resolve_error(gettext, error: dict) -> str:
    text = RESOLVE_ERRORS.get(error["code"])
    return gettext(text) if text else message(gettext, error)


def queue_url(after: str) -> str:
    return "/duplicates?" + urlencode({"after": after})


@staff_page
async def queue(request: Request):
    viewer = await current_viewer(request)
    after = request.query_params.get("after") or None
    data = await run_lookup(request, "DuplicateQueue", after=after)
    if data is None:  # a mangled cursor in the address: start from the top
        return RedirectResponse("/duplicates", status_code=303)
    connection = data["duplicateCandidates"]
    context = {
        "viewer": viewer,
        "tab": "duplicates",
        "pairs": connection,
        "more": queue_url(connection["pageInfo"]["endCursor"]) if connection["pageInfo"]["hasNextPage"] else None,
        "reason_text": lambda reason: duplicate_review.reason_text(gettext_for(request), reason),
    }
    if is_htmx(request) and after:
        return render(request, "duplicates.html", context, block="rows")
    context["done"] = pop_flash(request)
    return render(request, "duplicates.html", context)


async def _load(request: Request) -> dict | None:
    data = await run_lookup(request, "DuplicatePair", id=request.path_params["id"])
    pair = data and data["node"]
    if not pair or pair["__typename"] != "DuplicateCandidate" or not pair["customerA"] or not pair["customerB"]:
        return None
    return pair


def _render_pair(request: Request, viewer: dict, pair: dict, survivor: str | None = None, *,
                 error: str | None = None, status_code: int = 200):
    ids = (pair["customerA"]["id"], pair["customerB"]["id"])
    survivor = survivor if survivor in ids else duplicate_review.older(pair)
    _ = gettext_for(request)
    context = {
        "viewer": viewer,
        "tab": "duplicates",
        "pair": pair,
        "survivor": survivor,
        "rows": duplicate_review.compare(pair, survivor, formatter(request, viewer), _),
        "reasons": [duplicate_review.reason_text(_, r) for r in pair["reasons"]],
        "field_prefix": duplicate_review.FORM_PREFIX,
        "error": error,
        "page_path": f"/duplicates/{pair['id']}",
    }
    # Picking the other survivor re-renders the choices with its values as the defaults.
    block = "compare" if is_htmx(request) else None
    return render(request, "duplicate.html", context, block=block, status_code=status_code)


@staff_page
async def pair_page(request: Request):
    viewer = await current_viewer(request)
    pair = await _load(request)
    if pair is None:
        return not_found(request, viewer)
    return _render_pair(request, viewer, pair, request.query_params.get("survivor"))


@staff_page
async def resolve(request: Request):
    viewer = await current_viewer(request)
    pair = await _load(request)
    if pair is None:
        return not_found(request, viewer)
    _ = gettext_for(request)
    form = await request.form()
    action = str(form.get("action", ""))
    survivor = str(form.get("survivor", ""))
    if action not in ACTIONS:
        return _render_pair(request, viewer, pair, survivor, error=_("Choose merge or not the same person."),
                            status_code=422)
    variables = {"id": pair["id"], "action": action}
    if action == "MERGE":
        ids = (pair["customerA"]["id"], pair["customerB"]["id"])
        variables["survivorId"] = survivor if survivor in ids else duplicate_review.older(pair)
        variables["fieldChoices"] = duplicate_review.read_choices(form, pair)
    payload = (await run(request, "ResolveDuplicate", input=variables))["resolveDuplicateCandidate"]
    if not payload["errors"]:
        if action == "MERGE":
            flash(request, "merged", customer=payload["customer"]["id"], name=payload["customer"]["name"])
        else:
            flash(request, "dismissed", names=f"{pair['customerA']['name']} / {pair['customerB']['name']}")
        return RedirectResponse("/duplicates", status_code=303)
    fresh = await _load(request)
    if fresh is None:
        # Merged by someone else in the meantime: the pair is gone, so say so on the queue.
        flash(request, "gone")
        return RedirectResponse("/duplicates", status_code=303)
    error = " ".join(_resolve_error(_, e) for e in payload["errors"])
    status = 409 if any(e["code"] == "CONFLICT" for e in payload["errors"]) else 422
    return _render_pair(request, viewer, fresh, survivor, error=error, status_code=status)

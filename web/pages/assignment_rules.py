"""设置 · 分配规则: the rules routing new pool leads to a team, in the order they are tried.

Managers edit their own team's rules and admins everyone's — the API's rule; this page only
shows the forms to them.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import manages, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import LABELS, N_
from web.operations import current_viewer, run, run_lookup
from web.pages.close_reasons import _position
from web.templating import gettext_for, render

STRATEGIES = {"ROUND_ROBIN": N_("Round-robin"), "LEAST_LOADED": N_("Least loaded")}
RULE_FIELDS = ("name", "teamId", "strategy", "channel", "province", "city", "vehicleModelId", "position")
RULE_ERRORS = {
    ("name", "INVALID"): N_("Enter a name (1 to 100 characters)."),
    ("teamId", "REQUIRED"): N_("Choose the team the leads go to."),
    ("teamId", "NOT_FOUND"): N_("Choose the team the leads go to."),
    ("teamId", "FORBIDDEN"): N_("Managers route leads to their own team only."),
    ("vehicleModelId", "NOT_FOUND"): N_("Choose a model from the catalog."),
    ("position", "INVALID"): N_("Enter the place in the list as a whole number."),
    ("id", "FORBIDDEN"): N_("Only managers and admins edit assignment rules."),
    ("id", "NOT_FOUND"): N_("This rule was not found or is not your team's."),
}


def rule_errors(gettext, errors: list[dict]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for error in errors:
        key = error.get("field") if error.get("field") in RULE_FIELDS else ""
        text = RULE_ERRORS.get((error.get("field"), error.get("code")))
        shown[key] = gettext(text) if text else message(gettext, error)
    return shown


def rule_input(form) -> tuple[dict, dict, list[dict]]:
    """(mutation input, values as entered, errors the page itself finds) from a rule form."""
    entered = {
        "name": str(form.get("name", "")).strip(), "teamId": str(form.get("team", "")),
        "strategy": form.get("strategy") if form.get("strategy") in STRATEGIES else "ROUND_ROBIN",
        "channel": form.get("channel") if form.get("channel") in LABELS["channel"] else "",
        "province": str(form.get("province", "")).strip(), "city": str(form.get("city", "")).strip(),
        "vehicleModelId": str(form.get("vehicle_model", "")), "position": str(form.get("position", "")).strip(),
        "isActive": bool(form.get("is_active")),
    }
    values = {k: entered[k] for k in ("name", "strategy", "province", "city", "isActive")}
    values["channel"] = entered["channel"] or None
    values["vehicleModelId"] = entered["vehicleModelId"] or None
    errors = []
    position = _position(entered["position"])
    if position == "bad":
        errors.append({"field": "position", "code": "INVALID"})
    elif position is not None:
        values["position"] = position
    return values, entered, errors


async def _render(request: Request, viewer: dict, *, failed: dict | None = None, status_code: int = 200):
    data = await run(request, "AssignmentRules")
    context = {
        "viewer": viewer,
        "tab": "settings",
        "settings_page": "assignment-rules",
        "editor": manages(viewer),
        "rules": data["assignmentRules"],
        "teams": data["teams"],
        "models": [e["node"] for e in data["vehicleModels"]["edges"]],
        "strategies": list(STRATEGIES.items()),
        "strategy_label": lambda value: STRATEGIES.get(value, value),
        "failed": failed or {},
        "done": pop_flash(request),
        "page_path": "/settings/assignment-rules",
    }
    return render(request, "assignment_rules.html", context, status_code=status_code)


@staff_page
async def page(request: Request):
    return await _render(request, await current_viewer(request))


async def _answer(request: Request, viewer: dict, form_id: str, entered: dict, errors: list[dict], done: str):
    if not errors:
        flash(request, done, name=entered.get("name", ""))
        return RedirectResponse("/settings/assignment-rules", status_code=303)
    failed = {"form": form_id, "values": entered, "errors": rule_errors(gettext_for(request), errors)}
    return await _render(request, viewer, failed=failed, status_code=422)


@staff_page
async def create(request: Request):
    viewer = await current_viewer(request)
    values, entered, errors = rule_input(await request.form())
    if not entered["teamId"]:
        errors.append({"field": "teamId", "code": "REQUIRED"})
    if not errors:
        result = await run_lookup(request, "CreateAssignmentRule", input={**values, "teamId": entered["teamId"]})
        errors = [{"field": "teamId", "code": "NOT_FOUND"}] if result is None else result["createAssignmentRule"]["errors"]
    return await _answer(request, viewer, "new", entered, errors, "rule_added")


@staff_page
async def update(request: Request):
    viewer = await current_viewer(request)
    rule_id = request.path_params["id"]
    values, entered, errors = rule_input(await request.form())
    if not errors:
        result = await run_lookup(request, "UpdateAssignmentRule", input={"id": rule_id, **values})
        errors = [{"field": "id", "code": "NOT_FOUND"}] if result is None else result["updateAssignmentRule"]["errors"]
    return await _answer(request, viewer, rule_id, entered, errors, "rule_saved")


@staff_page
async def delete(request: Request):
    viewer = await current_viewer(request)
    form = await request.form()
    result = await run_lookup(request, "DeleteAssignmentRule", input={"id": request.path_params["id"]})
    errors = [{"field": "id", "code": "NOT_FOUND"}] if result is None else result["deleteAssignmentRule"]["errors"]
    return await _answer(request, viewer, "delete-" + request.path_params["id"], {"name": str(form.get("name", ""))[:100]},
                         errors, "rule_deleted")

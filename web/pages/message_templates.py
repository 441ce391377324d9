"""设置 · 话术模板: talking points and message templates — add, edit, retire, restore.

Who may edit is the API's rule (managers and admins); the page shows the list to every staff member.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.access import manages, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.labels import LABELS, N_
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, render

KINDS = ("TALKING_POINT", "MESSAGE")
STAGES, GRADES = tuple(LABELS["opportunityStage"]), tuple(LABELS["grade"])
FIELDS = ("title", "body", "tagNames")  # the fields an error is shown next to
TEMPLATE_ERRORS = {
    ("title", "INVALID"): N_("Enter a title (1 to 150 characters) that names only the fields listed."),
    ("body", "INVALID"): N_("The text must be 1 to 2000 characters and may name only the fields listed, as in {{ salutation }}."),
    ("tagNames", "INVALID"): N_("Enter at most 10 tags, each up to 60 characters, separated by commas."),
    ("title", "FORBIDDEN"): N_("Only managers and admins edit talking points."),
    ("id", "FORBIDDEN"): N_("Only managers and admins edit talking points."),
    ("id", "NOT_FOUND"): N_("This template was not found."),
}
# What a template may name, as the service renders it (server/portrait/templates.py FIELDS).
PLACEHOLDERS = [
    ("name", N_("full name")), ("surname", N_("surname")), ("salutation", N_("surname with 先生 or 女士")),
    ("grade", N_("grade")), ("budget", N_("budget, e.g. 20-30万")), ("interested_model", N_("first model of interest")),
    ("deal_model", N_("model of the most advanced open deal")), ("owner", N_("the consultant's name")),
]


def template_errors(gettext, errors: list[dict]) -> dict[str, str]:
    """{field: message}; errors about no field of the form go under ''."""
    shown: dict[str, str] = {}
    for error in errors:
        key = error.get("field") if error.get("field") in FIELDS else ""
        text = TEMPLATE_ERRORS.get((error.get("field"), error.get("code")))
        shown[key] = gettext(text) if text else message(gettext, error)
        if key == "body" and error.get("code") == "INVALID" and "render" in (error.get("message") or ""):
            # Say why the sandbox refused it (an unknown name, a syntax error, a forbidden attribute).
            shown[key] += " " + error["message"]
    return shown


def entered(form) -> dict:
    """The form as the API's input: tags split on commas (either width), checkboxes as lists."""
    raw = str(form.get("tag_names", "")).replace("，", ",").replace("、", ",")
    return {
        "title": str(form.get("title", "")).strip(),
        "body": str(form.get("body", "")).strip(),
        "kind": form.get("kind") if form.get("kind") in KINDS else "TALKING_POINT",
        "tagNames": [t.strip() for t in raw.split(",") if t.strip()],
        "stages": [str(s) for s in form.getlist("stages")],
        "grades": [str(g) for g in form.getlist("grades")],
    }


def forged(values: dict) -> bool:
    """A stage or grade no checkbox offers: the schema would refuse the whole operation, not one field."""
    return not (set(values["stages"]) <= set(STAGES) and set(values["grades"]) <= set(GRADES))


async def _render(request: Request, viewer: dict, *, failed: dict | None = None, status_code: int = 200):
    data = (await run(request, "MessageTemplateList"))["messageTemplates"]
    context = {
        "viewer": viewer,
        "tab": "settings",
        "settings_page": "templates",
        "editor": manages(viewer),
        "templates": [e["node"] for e in data["edges"]],
        "placeholders": PLACEHOLDERS,
        "failed": failed or {},
        "done": pop_flash(request),
        "page_path": "/settings/templates",
    }
    return render(request, "message_templates.html", context, status_code=status_code)


@staff_page
async def page(request: Request):
    return await _render(request, await current_viewer(request))


@staff_page
async def create(request: Request):
    viewer = await current_viewer(request)
    values = entered(await request.form())
    result = None if forged(values) else await run_lookup(request, "CreateMessageTemplate", input=values)
    errors = [{"field": None, "code": "INVALID"}] if result is None else result["createMessageTemplate"]["errors"]
    if not errors:
        flash(request, "template_added", label=values["title"])
        return RedirectResponse("/settings/templates", status_code=303)
    failed = {"form": "new", "values": values, "errors": template_errors(gettext_for(request), errors)}
    return await _render(request, viewer, failed=failed, status_code=422)


@staff_page
async def update(request: Request):
    viewer = await current_viewer(request)
    form = await request.form()
    template_id = request.path_params["id"]
    values = {**entered(form), "isActive": bool(form.get("is_active"))}
    if forged(values):
        errors = [{"field": None, "code": "INVALID"}]
    else:
        result = await run_lookup(request, "UpdateMessageTemplate", input={"id": template_id, **values})
        errors = [{"field": "id", "code": "NOT_FOUND"}] if result is None else result["updateMessageTemplate"]["errors"]
    if not errors:
        flash(request, "template_saved", label=values["title"])
        return RedirectResponse("/settings/templates", status_code=303)
    failed = {"form": template_id, "values": values, "errors": template_errors(gettext_for(request), errors)}
    return await _render(request, viewer, failed=failed, status_code=422)

"""规则: trigger rules for managers — the list with on/off switches, the form builder with a
preview, and the firing history of a rule or of a customer.

Who may edit is the API's business (createRule, updateRule, setRuleEnabled, previewRule refuse
consultants); these pages only show what it answers.
"""

from datetime import timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from tortoise.timezone import now

from web import rule_form
from web.access import is_htmx, staff_page
from web.flash import flash, pop_flash
from web.form_errors import message
from web.operations import current_viewer, run, run_lookup
from web.templating import gettext_for, not_found, render


def _context(viewer: dict, **extra) -> dict:
    return {"viewer": viewer, "tab": "rules", "forms": rule_form, **extra}


@staff_page
async def list_page(request: Request):
    viewer = await current_viewer(request)
    data = await run(request, "RuleList", since=(now() - timedelta(days=7)).isoformat())
    rules = [edge["node"] for edge in data["rules"]["edges"]]
    return render(request, "rules.html", _context(viewer, rules=rules, done=pop_flash(request), page_path="/rules"))


@staff_page
async def set_enabled(request: Request):
    """启用/停用: the HTMX swap gets the rule's row back, a plain post the list."""
    viewer = await current_viewer(request)
    form = await request.form()
    data = await run_lookup(request, "SetRuleEnabled", id=request.path_params["id"], enabled=form.get("enabled") == "true",
                            since=(now() - timedelta(days=7)).isoformat())
    if data is None:
        return not_found(request, viewer)
    payload = data["setRuleEnabled"]
    error = " ".join(message(gettext_for(request), e) for e in payload["errors"]) or None
    if not is_htmx(request):
        if error:
            flash(request, "rule_error", text=error)
        return RedirectResponse("/rules", status_code=303)
    if payload["rule"] is None:
        return render(request, "rules.html", _context(viewer, error=error), block="switch_error", status_code=422)
    return render(request, "rules.html", _context(viewer, r=payload["rule"], rules=[]), block="rule_row")


async def _rule(request: Request) -> dict | None:
    data = await run_lookup(request, "RuleDetail", id=request.path_params["id"])
    return data and data["rule"]


def _render_form(request: Request, viewer: dict, state: dict, rule: dict | None, *, status_code: int = 200,
                 preview: dict | None = None):
    action = f"/rules/{rule['id']}" if rule else "/rules/new"
    context = _context(viewer, state=state, rule=rule, preview=preview, action=action, page_path=action)
    block = "rule_form" if is_htmx(request) else None
    return render(request, "rule_form.html", context, block=block, status_code=status_code)


@staff_page
async def new_form(request: Request):
    viewer = await current_viewer(request)
    return _render_form(request, viewer, rule_form.new_state(), None)


@staff_page
async def edit_form(request: Request):
    viewer = await current_viewer(request)
    rule = await _rule(request)
    if rule is None:
        return not_found(request, viewer)
    return _render_form(request, viewer, rule_form.state_of_rule(rule), rule)


@staff_page
async def create(request: Request):
    return await _submit(request, None)


@staff_page
async def update(request: Request):
    viewer = await current_viewer(request)
    rule = await _rule(request)
    if rule is None:
        return not_found(request, viewer)
    return await _submit(request, rule)


async def _submit(request: Request, rule: dict | None):
    """Every button of the form posts here: add or remove a row, preview, or save."""
    viewer = await current_viewer(request)
    gettext = gettext_for(request)
    form = await request.form()
    state = rule_form.read_form(form)
    if rule is None:
        state["keep_condition"] = state["keep_actions"] = False
    button = str(form.get("op", "save"))
    if button == "add_condition" and len(state["conditions"]) < rule_form.MAX_ROWS:
        state["conditions"].append(rule_form.empty_condition())
    elif button == "add_action" and len(state["actions"]) < rule_form.MAX_ROWS:
        state["actions"].append(rule_form.empty_action())
    elif button.startswith("remove_cond_"):
        _drop(state["conditions"], button.removeprefix("remove_cond_"))
    elif button.startswith("remove_act_"):
        _drop(state["actions"], button.removeprefix("remove_act_"))
    elif button == "rebuild_condition":
        state["keep_condition"], state["conditions"] = False, [rule_form.empty_condition()]
    elif button == "rebuild_actions":
        state["keep_actions"], state["actions"] = False, [rule_form.empty_action()]
    elif button == "preview":
        return await _preview(request, viewer, state, rule)
    elif button == "save":
        return await _save(request, viewer, state, rule, gettext)
    return _render_form(request, viewer, state, rule)


def _drop(rows: list, index: str) -> None:
    if index.isdigit() and int(index) < len(rows):
        rows.pop(int(index))


async def _preview(request: Request, viewer: dict, state: dict, rule: dict | None):
    gettext = gettext_for(request)
    if state["keep_condition"] and rule is not None:
        condition = stored_condition_input(rule["condition"])
    else:
        condition = rule_form.condition_input(state, gettext)
    if condition is None:
        return _render_form(request, viewer, state, rule, status_code=422)
    payload = (await run(request, "PreviewRule", condition=condition))["previewRule"]
    if payload["errors"]:
        rule_form.place_errors(state, payload["errors"], gettext, message)
        return _render_form(request, viewer, state, rule, status_code=422)
    return _render_form(request, viewer, state, rule, preview=payload["preview"])


async def _save(request: Request, viewer: dict, state: dict, rule: dict | None, gettext):
    fields = {"name": state["name"], "description": state["description"], "enabled": state["enabled"],
              "oncePer": state["once_per"].upper(), "schedule": rule_form.schedule_of(state), "events": state["events"]}
    condition = None if state["keep_condition"] else rule_form.condition_input(state, gettext)
    actions = None if state["keep_actions"] else rule_form.actions_input(state, gettext)
    if (condition is None and not state["keep_condition"]) or (actions is None and not state["keep_actions"]):
        return _render_form(request, viewer, state, rule, status_code=422)
    if condition is not None:
        fields["condition"] = condition
    if actions is not None:
        fields["actions"] = actions
    if rule is None:
        payload = (await run(request, "CreateRule", input=fields))["createRule"]
    else:
        version = int(state["version"]) if state["version"].isdigit() else rule["version"]
        payload = (await run(request, "UpdateRule", input={**fields, "id": rule["id"], "version": version}))["updateRule"]
    if payload["errors"]:
        rule_form.place_errors(state, payload["errors"], gettext, message)
        status = 409 if any(e["code"] == "CONFLICT" for e in payload["errors"]) else 422
        return _render_form(request, viewer, state, rule, status_code=status)
    flash(request, "rule_saved", name=state["name"])
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": "/rules"})
    return RedirectResponse("/rules", status_code=303)


def stored_condition_input(node: dict) -> dict:
    """A stored condition as the typed input, to preview a condition the rows cannot show."""
    for branch in ("all", "any"):
        if branch in node:
            return {branch: [stored_condition_input(c) for c in node[branch]]}
    if "not" in node:
        return {"not": stored_condition_input(node["not"])}
    op = rule_form.STORED_OPS.get(str(node.get("op")), "EQ")
    if "field" in node:
        value = node.get("value")
        body = {"name": node["field"].upper(), "op": "IN" if node["op"] == "in" else
                "NOT_IN" if node["op"] == "not_in" else op}
        if body["op"] == "IS_NULL" or isinstance(value, bool):
            body["flag"] = value
        elif isinstance(value, list):
            body["values"] = value
        elif isinstance(value, int):
            body["number"] = value
        else:
            body["value"] = value
        return {"field": body}
    if "tag" in node:
        return {"tag": {"name": node["tag"], "present": node.get("present", True)}}
    if "vehicle_age_years" in node:
        return {"vehicleAgeYears": {"op": rule_form.STORED_OPS[node["vehicle_age_years"]], "years": node["value"]}}
    if "km_since_last_service" in node:
        return {"kmSinceLastService": {"op": rule_form.STORED_OPS[node["km_since_last_service"]], "km": node["value"]}}
    for leaf, (name, name_key, value_key) in rule_form._LEAF.items():
        if leaf in node:
            body = {name_key: node[leaf].upper(), "op": op, value_key: node["value"]}
            if "within_days" in node:
                body["withinDays"] = node["within_days"]
            kinds = node.get("kind") or node.get("status")
            if kinds:
                body["kinds"] = kinds if isinstance(kinds, list) else [kinds]
            return {name: body}
    return {}


async def _firings(request: Request, **variables) -> dict | None:
    after = request.query_params.get("after") or None
    data = await run_lookup(request, "RuleFirings", after=after, **variables)
    if data is None:
        return None
    connection = data["ruleFirings"]
    more = None
    if connection["pageInfo"]["hasNextPage"]:
        more = request.url.path + "?" + urlencode({"after": connection["pageInfo"]["endCursor"]})
    return {"firings": connection, "more": more}


@staff_page
async def rule_firings(request: Request):
    viewer = await current_viewer(request)
    data = await run_lookup(request, "RuleName", id=request.path_params["id"])
    if data is None or data["rule"] is None:
        return not_found(request, viewer)
    found = await _firings(request, ruleId=data["rule"]["id"])
    if found is None:
        return RedirectResponse(request.url.path, status_code=303)
    context = _context(viewer, rule=data["rule"], customer=None, **found)
    block = "firing_rows" if is_htmx(request) and request.query_params.get("after") else None
    return render(request, "rule_firings.html", context, block=block)


@staff_page
async def customer_firings(request: Request):
    """A customer's firings: a section of the customer page (HTMX) or a page of its own."""
    viewer = await current_viewer(request)
    data = await run_lookup(request, "CustomerTimeline", id=request.path_params["id"], first=0)
    customer = data and data["customer"]
    if customer is None:
        return not_found(request, viewer)
    found = await _firings(request, customerId=customer["id"])
    if found is None:
        return RedirectResponse(request.url.path, status_code=303)
    context = _context(viewer, rule=None, customer=customer, **found)
    context["tab"] = "customers"
    if is_htmx(request):
        context["is_section"] = True
        block = "firing_rows" if request.query_params.get("after") else "customer_section"
        return render(request, "rule_firings.html", context, block=block)
    return render(request, "rule_firings.html", context)

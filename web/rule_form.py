"""The rule form builder: plain form fields (cond-0-fact, cond-0-op, act-0-type …) to the API's typed
rule input, and a stored rule back to rows. Managers choose from lists; nobody types JSON.

A condition the rows cannot show (nested groups, as some built-in rules have) is kept as it is
and shown read-only; the form can start it over from rows.
"""

import re

from web.labels import LABELS, N_

# Facts a row can test: key → (label, what the value is). Keys are "<leaf>:<name>".
FACTS = {
    "field:lifecycle": (N_("Lifecycle"), "enum:lifecycle"),
    "field:grade": (N_("Intent grade"), "enum:grade"),
    "field:intent": (N_("Purchase intent"), "enum:intent"),
    "field:value_tier": (N_("Value tier"), "enum:valueTier"),
    "field:channel": (N_("Channel"), "enum:channel"),
    "field:city": (N_("City"), "text"),
    "days_since:last_contact_at": (N_("Days since the last contact"), "number"),
    "days_since:created_at": (N_("Days since created"), "number"),
    "days_since:assigned_at": (N_("Days since assigned"), "number"),
    "days_until:birthday": (N_("Days until the birthday"), "number"),
    "days_until:purchase_anniversary": (N_("Days until the purchase anniversary"), "number"),
    "days_until:insurance_expiry": (N_("Days until the insurance expires"), "number"),
    "count:interactions": (N_("Number of contacts"), "count"),
    "count:showroom_visits": (N_("Number of showroom visits"), "count"),
    "count:test_drives": (N_("Number of test drives"), "count"),
    "count:service_records": (N_("Number of services and repairs"), "count"),
    "sum:service_spend": (N_("After-sales spend (CNY)"), "count"),
    "days_since_last:service_records": (N_("Days since the last service"), "number"),
    "vehicle_age_years": (N_("Vehicle age (years)"), "number"),
    "km_since_last_service": (N_("Km since the last service"), "number"),
    "tag:present": (N_("Has the tag"), "tag"),
    "tag:absent": (N_("Does not have the tag"), "tag"),
}
# Record kinds a count can be narrowed to.
KINDS = {
    "interactions": "interactionKind",
    "service_records": "serviceKind",
    "test_drives": "testDriveStatus",
}
SERVICE_KINDS = {"MAINTENANCE": N_("Maintenance"), "REPAIR": N_("Repair"), "ACCIDENT": N_("Accident repair"),
                 "WARRANTY": N_("Warranty")}
TEST_DRIVE_STATUSES = {"BOOKED": N_("Booked"), "DONE": N_("Done"), "CANCELLED": N_("Cancelled"), "NO_SHOW": N_("No-show")}
OPS = {"EQ": "=", "NE": "≠", "GT": ">", "GTE": "≥", "LT": "<", "LTE": "≤", "IS_NULL": N_("is empty")}
STORED_OPS = {"=": "EQ", "==": "EQ", "eq": "EQ", "!=": "NE", "ne": "NE", ">": "GT", "gt": "GT", ">=": "GTE",
              "gte": "GTE", "<": "LT", "lt": "LT", "<=": "LTE", "lte": "LTE", "is_null": "IS_NULL"}

ACTIONS = {
    "create_task": N_("Create a reminder for the owner"),
    "add_tag": N_("Add a tag"),
    "remove_tag": N_("Remove a tag"),
    "set_lifecycle": N_("Set the lifecycle"),
    "set_grade": N_("Set the intent grade"),
    "set_intent": N_("Set the purchase intent"),
    "set_value_tier": N_("Set the value tier"),
    "return_to_pool": N_("Return to the public pool"),
}
SET_FIELDS = {"set_lifecycle": "lifecycle", "set_grade": "grade", "set_intent": "intent", "set_value_tier": "valueTier"}
PERIODS = {"day": N_("Once a day"), "week": N_("Once a week"), "month": N_("Once a month"), "year": N_("Once a year"),
           "ever": N_("Only once")}
SCHEDULES = {
    "": N_("No schedule (events only)"),
    "hourly": N_("Every hour"),
    "0 8 * * *": N_("Every day at 8:00"),
    "0 9 * * 1": N_("Every Monday at 9:00"),
    "0 8 1 * *": N_("On the 1st of each month at 8:00"),
    "custom": N_("Custom (cron expression)"),
}
EVENTS = {
    "customer.created": N_("Customer created"),
    "customer.updated": N_("Customer updated"),
    "interaction.logged": N_("Contact logged"),
    "opportunity.stage_moved": N_("Opportunity stage changed"),
    "opportunity.closed": N_("Opportunity closed"),
    "test_drive.recorded": N_("Test drive recorded"),
    "customers.moved": N_("Customers assigned or returned"),
}
MAX_ROWS = 20
FIELD_NAMES = {"lifecycle": N_("Lifecycle"), "grade": N_("Intent grade"), "intent": N_("Purchase intent"),
               "value_tier": N_("Value tier")}

# Names of the value each fact's input takes, in the API's leaf inputs.
_LEAF = {"days_since": ("daysSince", "moment", "days"), "days_until": ("daysUntil", "date", "days"),
         "days_since_last": ("daysSinceLast", "source", "days"), "count": ("count", "source", "value"),
         "sum": ("sum", "source", "amount")}


def enum_options(gettext, kind: str) -> list[tuple[str, str]]:
    table = {"serviceKind": SERVICE_KINDS, "testDriveStatus": TEST_DRIVE_STATUSES}.get(kind) or LABELS[kind]
    return [(value, gettext(text)) for value, text in table.items()]


def empty_condition() -> dict:
    return {"fact": "", "op": "GTE", "value": "", "window": "", "kind": "", "error": ""}


def empty_action() -> dict:
    return {"type": "create_task", "value": "", "kind": "FOLLOW_UP", "due": "0", "body": "", "error": ""}


def read_rows(form, prefix: str, keys: tuple[str, ...]) -> list[dict]:
    """Rows posted as prefix-0-key, prefix-1-key … in index order (gaps allowed)."""
    indexes = sorted({int(m.group(1)) for name in form.keys() if (m := re.fullmatch(rf"{prefix}-(\d+)-\w+", name))})
    rows = []
    for i in indexes[:MAX_ROWS]:
        rows.append({key: str(form.get(f"{prefix}-{i}-{key}", "")).strip() for key in keys} | {"error": ""})
    return rows


def read_form(form) -> dict:
    """The form's state as the template shows it."""
    preset = str(form.get("schedule_preset", ""))
    return {
        "name": str(form.get("name", "")).strip(),
        "description": str(form.get("description", "")).strip(),
        "enabled": form.get("enabled") == "on",
        "once_per": str(form.get("once_per", "day")) if form.get("once_per") in PERIODS else "day",
        "match": "any" if form.get("match") == "any" else "all",
        "conditions": read_rows(form, "cond", ("fact", "op", "value", "window", "kind")),
        "actions": read_rows(form, "act", ("type", "value", "kind", "due", "body")),
        "schedule_preset": preset if preset in SCHEDULES else "custom",
        "schedule_custom": str(form.get("schedule_custom", "")).strip(),
        "events": [e for e in form.getlist("events") if e in EVENTS],
        "version": str(form.get("version", "")),
        "keep_condition": form.get("keep_condition") == "1",
        "keep_actions": form.get("keep_actions") == "1",
        "errors": {},
    }


def schedule_of(state: dict) -> str | None:
    if state["schedule_preset"] == "custom":
        return state["schedule_custom"] or None
    return state["schedule_preset"] or None


def _whole(text: str, gettext, row: dict) -> int | None:
    try:
        return int(text)
    except ValueError:
        row["error"] = gettext("Enter a whole number.")
        return None


def condition_input(state: dict, gettext) -> dict | None:
    """The typed RuleConditionInput for the rows, or None when a row has a problem (marked on it)."""
    leaves = []
    if not state["conditions"]:
        state["errors"]["conditions"] = gettext("Add at least one condition.")
        return None
    for row in state["conditions"]:
        leaf = _leaf(row, gettext)
        if row["error"]:
            continue
        leaves.append(leaf)
    if any(row["error"] for row in state["conditions"]):
        return None
    return {state["match"]: leaves}


def _leaf(row: dict, gettext) -> dict | None:
    fact = row["fact"]
    if fact not in FACTS:
        row["error"] = gettext("Choose what to check.")
        return None
    kind, _, name = fact.partition(":")
    op = row["op"] if row["op"] in OPS else "GTE"
    value_type = FACTS[fact][1]
    if kind == "tag":
        if not row["value"]:
            row["error"] = gettext("Enter the tag's name.")
            return None
        return {"tag": {"name": row["value"], "present": name == "present"}}
    if kind == "field":
        if op == "IS_NULL":
            return {"field": {"name": name.upper(), "op": "IS_NULL", "flag": True}}
        if not row["value"]:
            row["error"] = gettext("Choose or enter a value.")
            return None
        if value_type.startswith("enum:") and op not in ("EQ", "NE"):
            row["error"] = gettext("Compare this with = or ≠.")
            return None
        value = row["value"].upper() if value_type.startswith("enum:") else row["value"]
        return {"field": {"name": name.upper(), "op": op, "value": value}}
    if op == "IS_NULL":
        row["error"] = gettext("Compare a number with =, ≠, >, ≥, < or ≤.")
        return None
    number = _whole(row["value"], gettext, row)
    if number is None:
        return None
    if kind == "vehicle_age_years":
        return {"vehicleAgeYears": {"op": op, "years": number}}
    if kind == "km_since_last_service":
        return {"kmSinceLastService": {"op": op, "km": number}}
    leaf, name_key, value_key = _LEAF[kind]
    body = {name_key: name.upper(), "op": op, value_key: number}
    if kind in ("count", "sum") and row["window"]:
        window = _whole(row["window"], gettext, row)
        if window is None:
            return None
        body["withinDays"] = window
    source = "service_records" if kind == "sum" else name
    if row["kind"] and source in KINDS:
        body["kinds"] = [row["kind"]]
    return {leaf: body}


def actions_input(state: dict, gettext) -> list[dict] | None:
    out = []
    if not state["actions"]:
        state["errors"]["actions"] = gettext("Add at least one action.")
        return None
    for row in state["actions"]:
        kind = row["type"]
        if kind not in ACTIONS:
            row["error"] = gettext("Choose what to do.")
        elif kind == "return_to_pool":
            out.append({"returnToPool": {"reason": row["value"]}})
        elif not row["value"]:
            row["error"] = gettext("Enter the reminder's title.") if kind == "create_task" else \
                gettext("Choose or enter a value.")
        elif kind == "create_task":
            due = _whole(row["due"] or "0", gettext, row)
            if due is not None:
                task_kind = row["kind"] if row["kind"] in LABELS["taskKind"] else "FOLLOW_UP"
                out.append({"createTask": {"title": row["value"], "kind": task_kind, "dueInDays": due,
                                           "body": row["body"]}})
        elif kind in ("add_tag", "remove_tag"):
            out.append({"addTag" if kind == "add_tag" else "removeTag": {"tag": row["value"]}})
        else:
            field = {"set_lifecycle": "LIFECYCLE", "set_grade": "GRADE", "set_intent": "INTENT",
                     "set_value_tier": "VALUE_TIER"}[kind]
            out.append({"setField": {"field": field, "value": row["value"].upper()}})
    return None if any(row["error"] for row in state["actions"]) else out


# --- from a stored rule --------------------------------------------------------------------


def rows_of_condition(condition: dict) -> tuple[str, list[dict]] | None:
    """(match, rows) when the stored condition is one group of leaves (or one leaf); None otherwise."""
    if not condition:
        return "all", []
    match = "any" if "any" in condition else "all"
    children = condition.get(match) if match in condition else [condition]
    rows = []
    for child in children:
        row = _row_of_leaf(child)
        if row is None:
            return None
        rows.append(row)
    return match, rows


def _row_of_leaf(node: dict) -> dict | None:
    row = empty_condition()
    op = STORED_OPS.get(str(node.get("op")))
    if "field" in node:
        fact = f"field:{node['field']}"
        if fact not in FACTS or op is None or isinstance(node.get("value"), list):
            return None
        if op == "IS_NULL":
            if node.get("value") is not True:
                return None
            return row | {"fact": fact, "op": op}
        return row | {"fact": fact, "op": op, "value": str(node.get("value"))}
    if "tag" in node:
        return row | {"fact": "tag:present" if node.get("present", True) else "tag:absent", "value": node["tag"]}
    for leaf in ("vehicle_age_years", "km_since_last_service"):
        if leaf in node:
            return row | {"fact": leaf, "op": STORED_OPS.get(node[leaf], "GTE"), "value": str(node["value"])}
    for leaf in ("days_since", "days_until", "days_since_last", "count", "sum"):
        if leaf in node:
            fact = f"{leaf}:{node[leaf]}"
            kinds = node.get("kind") or node.get("status")
            if fact not in FACTS or op is None or (isinstance(kinds, list) and len(kinds) > 1):
                return None
            kind = kinds[0] if isinstance(kinds, list) else (kinds or "")
            return row | {"fact": fact, "op": op, "value": str(node["value"]),
                          "window": str(node.get("within_days", "")), "kind": kind}
    return None


def rows_of_actions(actions: list[dict]) -> list[dict] | None:
    rows = []
    for action in actions:
        row = empty_action()
        kind = action.get("type")
        if kind == "create_task":
            rows.append(row | {"value": action.get("title", ""), "kind": action.get("kind", "FOLLOW_UP"),
                               "due": str(action.get("due_in_days", 0)), "body": action.get("body", "")})
        elif kind in ("add_tag", "remove_tag"):
            rows.append(row | {"type": kind, "value": action.get("tag", "")})
        elif kind == "set_field" and f"set_{action.get('field')}" in SET_FIELDS and action.get("value"):
            rows.append(row | {"type": f"set_{action['field']}", "value": action["value"]})
        elif kind == "return_to_pool":
            rows.append(row | {"type": kind, "value": action.get("reason", "")})
        else:
            return None  # assign, emit: kept as they are; edited through the API
    return rows


def state_of_rule(rule: dict) -> dict:
    rows = rows_of_condition(rule["condition"])
    actions = rows_of_actions(rule["actions"])
    schedule = rule["schedule"] or ""
    return {
        "name": rule["name"], "description": rule["description"], "enabled": rule["enabled"],
        "once_per": rule["oncePer"].lower(), "match": rows[0] if rows else "all",
        "conditions": rows[1] if rows else [], "actions": actions or [],
        "schedule_preset": schedule if schedule in SCHEDULES else "custom", "schedule_custom": schedule,
        "events": [e for e in rule["events"] if e in EVENTS], "version": str(rule["version"]),
        "keep_condition": rows is None, "keep_actions": actions is None, "errors": {},
    }


def new_state() -> dict:
    return {"name": "", "description": "", "enabled": True, "once_per": "day", "match": "all",
            "conditions": [empty_condition()], "actions": [empty_action()], "schedule_preset": "0 8 * * *",
            "schedule_custom": "", "events": [], "version": "", "keep_condition": False, "keep_actions": False,
            "errors": {}}


# --- errors from the API --------------------------------------------------------------------


def place_errors(state: dict, errors: list[dict], gettext, message) -> None:
    """Put each user error next to the row or field it names."""
    for error in errors:
        field = error.get("field") or ""
        text = message(gettext, error)
        detail = error.get("message") or ""
        if m := re.match(r"condition\.(?:all|any)\[(\d+)\]", field):
            i = int(m.group(1))
            if i < len(state["conditions"]) and not state["keep_condition"]:
                state["conditions"][i]["error"] = f"{text} {detail}".strip()
                continue
        if m := re.match(r"actions\[(\d+)\]", field):
            i = int(m.group(1))
            if i < len(state["actions"]) and not state["keep_actions"]:
                state["actions"][i]["error"] = f"{text} {detail}".strip()
                continue
        key = field if field in ("name", "schedule", "events") else ""
        shown = text if key in ("name",) else f"{text} {detail}".strip()
        state["errors"][key] = f"{state['errors'][key]} {shown}" if key in state["errors"] else shown


def effect_label(gettext, effect: str) -> str:
    """A firing's effect ("create_task:BIRTHDAY", "add_tag:潜在换车客户" …) in words."""
    kind, _, rest = effect.partition(":")
    if kind == "create_task":
        kind_text = LABELS["taskKind"].get(rest, rest)
        return gettext("Reminder: %(kind)s") % {"kind": gettext(kind_text)}
    if kind == "add_tag":
        return gettext("Tag added: %(tag)s") % {"tag": rest}
    if kind == "remove_tag":
        return gettext("Tag removed: %(tag)s") % {"tag": rest}
    if kind == "set_field":
        field, _, value = rest.partition("=")
        table = LABELS.get({"value_tier": "valueTier"}.get(field, field), {})
        name = gettext(FIELD_NAMES[field]) if field in FIELD_NAMES else field
        return gettext("Set %(field)s: %(value)s") % {"field": name, "value": gettext(table.get(value, value))}
    if kind == "return_to_pool":
        return gettext("Returned to the public pool")
    if kind == "assign":
        return gettext("Assigned to %(name)s") % {"name": rest}
    if kind == "emit":
        return gettext("Event sent: %(topic)s") % {"topic": rest}
    return effect


# The moments a {"before": …, "than": …} leaf compares, in words.
MOMENTS = {"last_contact_at": N_("the last contact"), "created_at": N_("creation"), "assigned_at": N_("assignment"),
           "updated_at": N_("the last change"), "pool_entered_at": N_("entering the pool"),
           "next_follow_up_at": N_("the next follow-up"), "consent_at": N_("consent")}


def describe_leaf(gettext, node: dict) -> str:
    """One stored leaf in words, for a condition shown read-only."""
    if "before" in node:
        return gettext("%(first)s came before %(second)s") % {
            "first": gettext(MOMENTS.get(node["before"], node["before"])),
            "second": gettext(MOMENTS.get(node["than"], node["than"]))}
    row = _row_of_leaf(node)
    if row is None:  # lists of values and other shapes the rows do not take
        name = node.get("field", "")
        values = node.get("value")
        shown = ", ".join(str(v) for v in values) if isinstance(values, list) else str(values)
        kind = {"value_tier": "valueTier"}.get(name, name)
        if isinstance(values, list) and kind in LABELS:
            shown = ", ".join(gettext(LABELS[kind].get(v, v)) for v in values)
        label = gettext(FACTS[f"field:{name}"][0]) if f"field:{name}" in FACTS else name
        op = {"in": gettext("is one of"), "not_in": gettext("is none of")}.get(node.get("op"), node.get("op", ""))
        return f"{label} {op} {shown}"
    fact_text = FACTS[row["fact"]][0]
    label = gettext(fact_text)
    if row["fact"].startswith("tag:"):
        return f"{label} {row['value']}"
    op = OPS.get(row["op"], row["op"])
    op = gettext(op) if row["op"] == "IS_NULL" else op
    value = row["value"]
    value_type = FACTS[row["fact"]][1]
    if value_type.startswith("enum:") and value:
        value = gettext(LABELS[value_type[5:]].get(value, value))
    text = f"{label} {op} {value}".strip()
    if row["window"]:
        text += " " + gettext("(last %(days)s days)") % {"days": row["window"]}
    if row["kind"]:
        source = row["fact"].partition(":")[2]
        kinds = dict(enum_options(gettext, KINDS.get(source, "serviceKind")))
        text += f" · {kinds.get(row['kind'], row['kind'])}"
    return text


def value_kind(fact: str) -> str:
    """What the value control of a row is: an enum's name, 'number', 'text' or 'tag'."""
    return FACTS[fact][1] if fact in FACTS else "text"


def ops_for(fact: str) -> list[str]:
    kind = value_kind(fact)
    if kind.startswith("enum:") or kind == "text":
        return ["EQ", "NE", "IS_NULL"]
    if kind == "tag":
        return []
    return ["GTE", "GT", "EQ", "NE", "LTE", "LT"]


def kinds_for(fact: str) -> str | None:
    """The enum a row's kind select offers, for counts that can be narrowed."""
    leaf, _, name = fact.partition(":")
    if leaf == "sum":
        return "serviceKind"
    if leaf in ("count", "days_since_last") and name in KINDS:
        return KINDS[name]
    return None


def has_window(fact: str) -> bool:
    return fact.startswith(("count:", "sum:"))


TEMPLATE_FIELDS = "{{ name }} {{ grade }} {{ lifecycle }} {{ city }} {{ birthday }} {{ owner }} {{ vehicle.model_name }} {{ vehicle.insurance_expiry }}"

"""Typed rule conditions and actions for editors: each node is a @oneOf input, translated here into
the JSON the rule engine stores (server/rules/conditions.py, actions.py).

While translating, every stored key is remembered with the input path it came from, so that an
engine error such as ("condition.all[1]", "value") comes back as "condition.all[1].daysSince.days".
"""

from enum import Enum

import strawberry

from server.api.activity.task_types import TaskKind
from server.api.enums import TagCategory
from server.api.relay import decode_id
from server.rules import conditions as c

UNSET = strawberry.UNSET


def _enum(name: str, values, description: str):
    members = {v.upper().replace(".", "_"): v for v in values}
    return strawberry.enum(Enum(name, members), description=description)


RuleField = _enum("RuleField", sorted({*c.ENUM_FIELDS, *c.TEXT_FIELDS, *c.NUMBER_FIELDS, *c.MOMENT_FIELDS,
                                       *c.BOOL_FIELDS, *c.ANNUAL_FIELDS}),
                  "A customer field a rule may compare.")
RuleMoment = _enum("RuleMoment", sorted(c.MOMENT_FIELDS), "A moment on the customer that days are counted since.")
RuleDate = _enum("RuleDate", sorted(c.UNTIL_NAMES), "A date days are counted until: the customer's, or any of their vehicles'.")
RuleSource = _enum("RuleSource", sorted(c.COUNT_SOURCES), "Records counted per customer.")
RuleSumSource = _enum("RuleSumSource", sorted(c.SUM_SOURCES), "Amounts added up per customer, in CNY.")
RuleSettableField = _enum("RuleSettableField", ["lifecycle", "intent", "grade", "value_tier"],
                          "A customer field a rule may set.")
RulePeriod = _enum("RulePeriod", ["day", "week", "month", "year", "ever"],
                   "How often a rule may fire for the same customer.")

OPERATORS = {"EQ": "=", "NE": "!=", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<=", "IN": "in", "NOT_IN": "not_in",
             "IS_NULL": "is_null"}
RuleOperator = strawberry.enum(Enum("RuleOperator", OPERATORS), description="How a fact is compared with the value.")


@strawberry.input(description="Compare a customer field: text, values, number or flag, as the field and operator need.")
class FieldConditionInput:
    name: RuleField = strawberry.field(description="The field.")
    op: RuleOperator = strawberry.field(description="The comparison; IS_NULL takes flag.")
    value: str | None = strawberry.field(default=None, description="A text or enum value.")
    values: list[str] | None = strawberry.field(default=None, description="Values for IN and NOT_IN.")
    number: int | None = strawberry.field(default=None, description="A whole number, for number fields.")
    flag: bool | None = strawberry.field(default=None, description="True or false, for IS_NULL and yes/no fields.")


@strawberry.input(description="Whole days since a moment on the customer.")
class DaysSinceInput:
    moment: RuleMoment = strawberry.field(description="The moment.")
    op: RuleOperator = strawberry.field(description="The comparison.")
    days: int = strawberry.field(description="The number of days.")


@strawberry.input(description="Whole days until a date: birthday and purchase anniversary are annual.")
class DaysUntilInput:
    date: RuleDate = strawberry.field(description="The date.")
    op: RuleOperator = strawberry.field(description="The comparison.")
    days: int = strawberry.field(description="The number of days; negative dates have passed.")


@strawberry.input(description="Whole days since the customer's latest record of a kind; no record never matches.")
class DaysSinceLastInput:
    source: RuleSource = strawberry.field(description="The records.")
    op: RuleOperator = strawberry.field(description="The comparison.")
    days: int = strawberry.field(description="The number of days.")
    kinds: list[str] | None = strawberry.field(default=None, description="Only records of these kinds (or statuses).")


@strawberry.input(description="How many records the customer has, optionally within the last days.")
class CountConditionInput:
    source: RuleSource = strawberry.field(description="The records counted.")
    op: RuleOperator = strawberry.field(description="The comparison.")
    value: int = strawberry.field(description="The count compared with.")
    within_days: int | None = strawberry.field(default=None, description="Only records of the last this many days.")
    kinds: list[str] | None = strawberry.field(default=None, description="Only records of these kinds (or statuses).")


@strawberry.input(description="A total over the customer's records, optionally within the last days.")
class SumConditionInput:
    source: RuleSumSource = strawberry.field(description="The amounts added up.")
    op: RuleOperator = strawberry.field(description="The comparison.")
    amount: int = strawberry.field(description="The total compared with, in CNY.")
    within_days: int | None = strawberry.field(default=None, description="Only records of the last this many days.")
    kinds: list[str] | None = strawberry.field(default=None, description="Only records of these kinds.")


@strawberry.input(description="The age in whole years of any of the customer's vehicles.")
class VehicleAgeInput:
    op: RuleOperator = strawberry.field(description="The comparison.")
    years: int = strawberry.field(description="The number of years.")


@strawberry.input(description="Kilometres driven since the last service, on any of the customer's vehicles.")
class KmSinceServiceInput:
    op: RuleOperator = strawberry.field(description="The comparison.")
    km: int = strawberry.field(description="The distance in km.")


@strawberry.input(description="Whether the customer has a tag.")
class TagConditionInput:
    name: str = strawberry.field(description="The tag's name.")
    present: bool = strawberry.field(default=True, description="True: has the tag; false: has not.")


@strawberry.input(one_of=True, description="One node of a rule's condition: a group (all, any, not) or one fact.")
class RuleConditionInput:
    all: list["RuleConditionInput"] | None = strawberry.field(default=UNSET, description="Every one of these holds.")
    any: list["RuleConditionInput"] | None = strawberry.field(default=UNSET, description="At least one of these holds.")
    not_: "RuleConditionInput | None" = strawberry.field(default=UNSET, name="not", description="This does not hold.")
    field: FieldConditionInput | None = strawberry.field(default=UNSET, description="A customer field.")
    days_since: DaysSinceInput | None = strawberry.field(default=UNSET, description="Days since a moment.")
    days_until: DaysUntilInput | None = strawberry.field(default=UNSET, description="Days until a date.")
    days_since_last: DaysSinceLastInput | None = strawberry.field(default=UNSET, description="Days since the latest record.")
    count: CountConditionInput | None = strawberry.field(default=UNSET, description="A count of records.")
    sum: SumConditionInput | None = strawberry.field(default=UNSET, description="A total of amounts.")
    vehicle_age_years: VehicleAgeInput | None = strawberry.field(default=UNSET, description="A vehicle's age.")
    km_since_last_service: KmSinceServiceInput | None = strawberry.field(default=UNSET, description="Km since the last service.")
    tag: TagConditionInput | None = strawberry.field(default=UNSET, description="A tag present or absent.")


@strawberry.input(description="Put a tag on the customer.")
class RuleAddTagActionInput:
    tag: str = strawberry.field(description="The tag's name; created if new.")
    category: TagCategory = strawberry.field(default=TagCategory.PREDICTION, description="The portrait dimension of a new tag.")


@strawberry.input(description="Take a tag off the customer.")
class RuleRemoveTagActionInput:
    tag: str = strawberry.field(description="The tag's name.")


@strawberry.input(description="Set a classification of the customer.")
class RuleSetFieldActionInput:
    field: RuleSettableField = strawberry.field(description="The field.")
    value: str | None = strawberry.field(default=None, description="The enum value; null clears it.")


@strawberry.input(description="Remind the customer's owner.")
class RuleCreateTaskActionInput:
    title: str = strawberry.field(description="A template such as 「{{ name }}生日快乐」; names the customer's fields.")
    kind: TaskKind = strawberry.field(default=TaskKind.FOLLOW_UP, description="What the reminder is about.")
    due_in_days: int = strawberry.field(default=0, description="Days from the firing until it is due.")
    body: str = strawberry.field(default="", description="More text, also a template.")


@strawberry.input(description="Give the customer back to the public pool.")
class RuleReturnToPoolActionInput:
    reason: str = strawberry.field(default="", description="Why, for the ownership history.")


@strawberry.input(description="Give the customer to one consultant or manager.")
class RuleAssignActionInput:
    user_id: strawberry.ID = strawberry.field(description="Who gets the customer.")


@strawberry.input(description="Send an outbound event for integrators.")
class RuleEmitActionInput:
    topic: str = strawberry.field(description="The event's topic.")


@strawberry.input(one_of=True, description="One thing a rule does to each customer it fires for.")
class RuleActionInput:
    add_tag: RuleAddTagActionInput | None = strawberry.field(default=UNSET, description="Put a tag on.")
    remove_tag: RuleRemoveTagActionInput | None = strawberry.field(default=UNSET, description="Take a tag off.")
    set_field: RuleSetFieldActionInput | None = strawberry.field(default=UNSET, description="Set lifecycle, intent, grade or tier.")
    create_task: RuleCreateTaskActionInput | None = strawberry.field(default=UNSET, description="Remind the owner.")
    return_to_pool: RuleReturnToPoolActionInput | None = strawberry.field(default=UNSET, description="Back to the pool.")
    assign: RuleAssignActionInput | None = strawberry.field(default=UNSET, description="Give to someone.")
    emit: RuleEmitActionInput | None = strawberry.field(default=UNSET, description="An outbound event.")


class Paths:
    """Stored (node path, key) → input path, filled while translating."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str | None], str] = {}

    def field(self, path: str, key: str | None) -> str:
        return self.keys.get((path, key)) or self.keys.get((path, None)) or path


def _value(v):
    return v.value if isinstance(v, Enum) else v


def condition_json(node: RuleConditionInput, paths: Paths, path: str = "condition") -> dict:
    """The stored form of a typed condition."""
    for branch in ("all", "any"):
        children = getattr(node, branch)
        if children not in (None, UNSET):
            paths.keys[(path, None)] = f"{path}.{branch}"
            return {branch: [condition_json(child, paths, f"{path}.{branch}[{i}]") for i, child in enumerate(children)]}
    if node.not_ not in (None, UNSET):
        return {"not": condition_json(node.not_, paths, f"{path}.not")}

    def keys(leaf: str, mapping: dict[str, str]) -> None:
        paths.keys[(path, None)] = f"{path}.{leaf}"
        for stored, given in mapping.items():
            paths.keys[(path, stored)] = f"{path}.{leaf}.{given}"

    if (f := node.field) not in (None, UNSET):
        op = OPERATORS[f.op.name]
        name = f.name.value
        if op == "is_null" or name in c.BOOL_FIELDS:
            value, given = f.flag, "flag"
        elif op in ("in", "not_in"):
            value, given = f.values, "values"
        elif name in c.NUMBER_FIELDS:
            value, given = f.number, "number"
        else:
            value, given = f.value, "value"
        keys("field", {"field": "name", "op": "op", "value": given})
        return {"field": name, "op": op, "value": value}
    if (d := node.days_since) not in (None, UNSET):
        keys("daysSince", {"days_since": "moment", "op": "op", "value": "days"})
        return {"days_since": d.moment.value, "op": OPERATORS[d.op.name], "value": d.days}
    if (d := node.days_until) not in (None, UNSET):
        keys("daysUntil", {"days_until": "date", "op": "op", "value": "days"})
        return {"days_until": d.date.value, "op": OPERATORS[d.op.name], "value": d.days}
    if (d := node.days_since_last) not in (None, UNSET):
        keys("daysSinceLast", {"days_since_last": "source", "op": "op", "value": "days", "kind": "kinds", "status": "kinds"})
        out = {"days_since_last": d.source.value, "op": OPERATORS[d.op.name], "value": d.days}
        return _with_kinds(out, c.COUNT_SOURCES[d.source.value], d.kinds)
    if (n := node.count) not in (None, UNSET):
        keys("count", {"count": "source", "op": "op", "value": "value", "within_days": "withinDays",
                       "kind": "kinds", "status": "kinds"})
        out = {"count": n.source.value, "op": OPERATORS[n.op.name], "value": n.value}
        if n.within_days is not None:
            out["within_days"] = n.within_days
        return _with_kinds(out, c.COUNT_SOURCES[n.source.value], n.kinds)
    if (s := node.sum) not in (None, UNSET):
        keys("sum", {"sum": "source", "op": "op", "value": "amount", "within_days": "withinDays", "kind": "kinds"})
        out = {"sum": s.source.value, "op": OPERATORS[s.op.name], "value": s.amount}
        if s.within_days is not None:
            out["within_days"] = s.within_days
        return _with_kinds(out, c.SUM_SOURCES[s.source.value][0], s.kinds)
    if (v := node.vehicle_age_years) not in (None, UNSET):
        keys("vehicleAgeYears", {"op": "op", "value": "years"})
        return {"vehicle_age_years": OPERATORS[v.op.name], "value": v.years}
    if (k := node.km_since_last_service) not in (None, UNSET):
        keys("kmSinceLastService", {"op": "op", "value": "km"})
        return {"km_since_last_service": OPERATORS[k.op.name], "value": k.km}
    if (t := node.tag) not in (None, UNSET):
        keys("tag", {"tag": "name", "present": "present"})
        return {"tag": t.name, "present": t.present}
    return {}


def _with_kinds(out: dict, source, kinds: list[str] | None) -> dict:
    if kinds:
        out[source.kind_column] = kinds
    return out


def actions_json(actions: list[RuleActionInput], paths: Paths) -> list[dict]:
    """The stored form of typed actions; an assignee's global id becomes its key."""
    out = []
    for i, action in enumerate(actions):
        path = f"actions[{i}]"
        if (a := action.add_tag) not in (None, UNSET):
            paths.keys[(path, "tag")] = f"{path}.addTag.tag"
            out.append({"type": "add_tag", "tag": a.tag, "category": _value(a.category)})
        elif (a := action.remove_tag) not in (None, UNSET):
            paths.keys[(path, "tag")] = f"{path}.removeTag.tag"
            out.append({"type": "remove_tag", "tag": a.tag})
        elif (a := action.set_field) not in (None, UNSET):
            paths.keys[(path, "value")] = f"{path}.setField.value"
            out.append({"type": "set_field", "field": a.field.value, "value": a.value or None})
        elif (a := action.create_task) not in (None, UNSET):
            for stored, given in (("title", "title"), ("body", "body"), ("kind", "kind"), ("due_in_days", "dueInDays")):
                paths.keys[(path, stored)] = f"{path}.createTask.{given}"
            out.append({"type": "create_task", "kind": _value(a.kind), "title": a.title, "due_in_days": a.due_in_days,
                        "body": a.body})
        elif (a := action.return_to_pool) not in (None, UNSET):
            paths.keys[(path, "reason")] = f"{path}.returnToPool.reason"
            out.append({"type": "return_to_pool", "reason": a.reason})
        elif (a := action.assign) not in (None, UNSET):
            paths.keys[(path, "user_id")] = f"{path}.assign.userId"
            out.append({"type": "assign", "user_id": decode_id(a.user_id, "User", f"{path}.assign.userId")})
        elif (a := action.emit) not in (None, UNSET):
            paths.keys[(path, "topic")] = f"{path}.emit.topic"
            out.append({"type": "emit", "topic": a.topic})
    return out


@strawberry.input(description="Rule fields; those left out are not touched.")
class RuleFields:
    name: str | None = strawberry.field(default=UNSET, description="What the rule is for.")
    description: str | None = strawberry.field(default=UNSET, description="A longer explanation.")
    condition: RuleConditionInput | None = strawberry.field(default=UNSET, description="Which customers it fires for.")
    once_per: RulePeriod | None = strawberry.field(default=UNSET, description="How often it may fire for one customer; day if left out.")
    actions: list[RuleActionInput] | None = strawberry.field(default=UNSET, description="What it does, in order.")
    schedule: str | None = strawberry.field(default=UNSET, description="When it runs: a five-field cron expression such as \"0 8 * * *\", or hourly; null for events only.")
    events: list[str] | None = strawberry.field(default=UNSET, description="Event topics it runs on for the customer concerned, e.g. interaction.logged.")
    enabled: bool | None = strawberry.field(default=UNSET, description="Whether it runs.")


def rule_data(fields: RuleFields, paths: Paths) -> dict:
    """The service's dict from the input: only the fields the caller sent."""
    data = {}
    for name in ("name", "description", "schedule", "events", "enabled"):
        value = getattr(fields, name)
        if value is not UNSET:
            data[name] = value
    if fields.once_per not in (UNSET, None):
        data["once_per"] = fields.once_per.value
    if fields.condition not in (UNSET, None):
        data["condition"] = condition_json(fields.condition, paths)
    if fields.actions not in (UNSET, None):
        data["actions"] = actions_json(fields.actions, paths)
    return data


def name_input_fields(exc: Exception, paths: Paths) -> Exception:
    """Point the engine's paths in user errors at the input fields they came from."""
    for problem in getattr(exc, "errors", None) or [exc]:
        extra = getattr(problem, "extra", {})
        if "path" in extra:
            problem.field = paths.field(extra["path"], extra.get("key"))
    return exc

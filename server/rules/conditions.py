"""The condition language of rules: JSON data that compiles to one set-based filter over Customer.

A condition is a tree. Branches: {"all": [...]}, {"any": [...]}, {"not": {...}}. Leaves:

    {"field": "lifecycle", "op": "in", "value": ["LEAD", "PROSPECT"]}
    {"field": "last_contact_at", "op": "is_null", "value": true}
    {"days_since": "last_contact_at", "op": ">=", "value": 90}
    {"days_until": "birthday", "op": "<=", "value": 7}          birthday is annual: the next month-day
    {"count": "interactions", "within_days": 30, "op": ">=", "value": 3, "kind": "CALL"}
    {"vehicle_age_years": ">=", "value": 5}                      any of the customer's vehicles
    {"tag": "潜在换车客户", "present": false}

Every leaf is two-valued (a NULL column makes a leaf false, never unknown), so "not" means what
a manager expects: {"not": {"field": "grade", "op": "=", "value": "A"}} includes ungraded customers.
Day counts are whole local days; "now" is passed in, so a pass and its tests agree on the moment.
"""

import operator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise import Tortoise
from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.functions import Count

from server import config
from server.activity.models import Interaction
from server.customers.models import Customer, ServiceRecord, Vehicle
from server.enums import (Channel, CustomerKind, Gender, Grade, Intent, InteractionKind, Lifecycle,
                          ServiceKind, TestDriveStatus, ValueTier)
from server.portrait.models import CustomerTag, Tag
from server.sales.models import TestDrive


class ConditionError(ValueError):
    """A condition that cannot be compiled; `path` names the bad node, e.g. "all[1].not"."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


OPS = {"=": "eq", "==": "eq", "eq": "eq", "!=": "ne", "ne": "ne", ">": "gt", "gt": "gt", ">=": "gte",
       "gte": "gte", "<": "lt", "lt": "lt", "<=": "lte", "lte": "lte", "in": "in", "not_in": "not_in",
       "is_null": "is_null"}
COMPARE = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gte": operator.ge,
           "lt": operator.lt, "lte": operator.le}
NUMERIC_OPS = set(COMPARE)

# Fields a rule may read, with the values each accepts (None: any value of the column's type).
ENUM_FIELDS = {"lifecycle": Lifecycle, "intent": Intent, "grade": Grade, "value_tier": ValueTier,
               "channel": Channel, "kind": CustomerKind, "gender": Gender}
TEXT_FIELDS = {"city", "province", "district", "occupation", "company_size", "purchase_timeframe"}
NUMBER_FIELDS = {"budget_min", "budget_max", "owner_id", "team_id", "campaign_id"}
MOMENT_FIELDS = {"last_contact_at", "created_at", "updated_at", "assigned_at", "pool_entered_at",
                 "next_follow_up_at", "consent_at"}
BOOL_FIELDS = {"consent_marketing"}
ANNUAL_FIELDS = {"birthday"}


class _Source:
    """A table counted per customer: its model, its time column and the column "kind" filters."""

    def __init__(self, model, moment: str, is_date: bool, kind_column: str, kinds):
        self.model, self.moment, self.is_date, self.kind_column, self.kinds = model, moment, is_date, kind_column, kinds


COUNT_SOURCES = {
    "interactions": _Source(Interaction, "occurred_at", False, "kind", InteractionKind),
    "service_records": _Source(ServiceRecord, "service_date", True, "kind", ServiceKind),
    "test_drives": _Source(TestDrive, "scheduled_at", False, "status", TestDriveStatus),
}
LEAF_KEYS = ("field", "days_since", "days_until", "count", "vehicle_age_years", "tag")


# --- validation ---------------------------------------------------------------------------


def validate(node, path: str = "condition") -> None:
    """Raise ConditionError naming the first bad node; an empty {} means "every customer"."""
    if not isinstance(node, dict):
        raise ConditionError(path, "must be an object")
    if not node:
        return
    for branch in ("all", "any"):
        if branch in node:
            _only(node, {branch}, path)
            children = node[branch]
            if not isinstance(children, list) or not children:
                raise ConditionError(path, f'"{branch}" needs a non-empty list')
            for i, child in enumerate(children):
                if not child:
                    raise ConditionError(f"{path}.{branch}[{i}]", "must be a non-empty object")
                validate(child, f"{path}.{branch}[{i}]")
            return
    if "not" in node:
        _only(node, {"not"}, path)
        if not node["not"]:
            raise ConditionError(f"{path}.not", "must be a non-empty object")
        validate(node["not"], f"{path}.not")
        return
    kinds = [k for k in LEAF_KEYS if k in node]
    if len(kinds) != 1:
        raise ConditionError(path, f"needs exactly one of all, any, not, {', '.join(LEAF_KEYS)}")
    _LEAF_VALIDATORS[kinds[0]](node, path)


def _text(value) -> str | None:
    """The value if it is a string, so that lists or objects where a name belongs fail lookups cleanly."""
    return value if isinstance(value, str) else None


def _only(node: dict, allowed: set, path: str) -> None:
    extra = sorted(set(node) - allowed)
    if extra:
        raise ConditionError(path, f"unexpected key {extra[0]!r}")


def _op(node: dict, path: str, allowed: set[str]) -> str:
    op = OPS.get(_text(node.get("op")))
    if op not in allowed:
        raise ConditionError(path, f"op must be one of {sorted(k for k, v in OPS.items() if v in allowed)}")
    return op


def _whole_number(node: dict, path: str, key: str = "value") -> int:
    value = node.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConditionError(path, f"{key} must be a whole number ≥ 0")
    return value


def _validate_field(node: dict, path: str) -> None:
    _only(node, {"field", "op", "value"}, path)
    name = node["field"]
    if _text(name) not in {*ENUM_FIELDS, *TEXT_FIELDS, *NUMBER_FIELDS, *MOMENT_FIELDS, *BOOL_FIELDS, *ANNUAL_FIELDS}:
        raise ConditionError(path, f"unknown field {name!r}")
    op = _op(node, path, set(OPS.values()))
    value = node.get("value")
    if op == "is_null":
        if not isinstance(value, bool):
            raise ConditionError(path, "is_null needs value true or false")
        return
    values = value if op in ("in", "not_in") else [value]
    if op in ("in", "not_in") and (not isinstance(value, list) or not value):
        raise ConditionError(path, f"{op} needs a non-empty list")
    for v in values:
        if name in ENUM_FIELDS and _text(v) not in {e.value for e in ENUM_FIELDS[name]}:
            raise ConditionError(path, f"{v!r} is not a {name}; expected one of {[e.value for e in ENUM_FIELDS[name]]}")
        if name in TEXT_FIELDS and not isinstance(v, str):
            raise ConditionError(path, f"{name} compares with text")
        if name in NUMBER_FIELDS and (isinstance(v, bool) or not isinstance(v, int)):
            raise ConditionError(path, f"{name} compares with a whole number")
        if name in BOOL_FIELDS and not isinstance(v, bool):
            raise ConditionError(path, f"{name} compares with true or false")
        if name in MOMENT_FIELDS | ANNUAL_FIELDS:
            raise ConditionError(path, f"compare {name} with days_since or days_until, or test is_null")


def _validate_days_since(node: dict, path: str) -> None:
    _only(node, {"days_since", "op", "value"}, path)
    if _text(node["days_since"]) not in MOMENT_FIELDS:
        raise ConditionError(path, f"days_since takes one of {sorted(MOMENT_FIELDS)}")
    _op(node, path, NUMERIC_OPS)
    _whole_number(node, path)


def _validate_days_until(node: dict, path: str) -> None:
    _only(node, {"days_until", "op", "value"}, path)
    if _text(node["days_until"]) not in MOMENT_FIELDS | ANNUAL_FIELDS:
        raise ConditionError(path, f"days_until takes one of {sorted(MOMENT_FIELDS | ANNUAL_FIELDS)}")
    _op(node, path, NUMERIC_OPS)
    if _whole_number(node, path) > 365 and node["days_until"] in ANNUAL_FIELDS:
        raise ConditionError(path, "an annual date is at most 365 days away")


def _validate_count(node: dict, path: str) -> None:
    source = COUNT_SOURCES.get(_text(node["count"]))
    if source is None:
        raise ConditionError(path, f"count takes one of {sorted(COUNT_SOURCES)}")
    _only(node, {"count", "within_days", "op", "value", source.kind_column}, path)
    _op(node, path, NUMERIC_OPS)
    _whole_number(node, path)
    if "within_days" in node and _whole_number(node, path, "within_days") == 0:
        raise ConditionError(path, "within_days must be at least 1")
    if source.kind_column in node:
        kinds = node[source.kind_column]
        for k in kinds if isinstance(kinds, list) else [kinds]:
            if _text(k) not in {e.value for e in source.kinds}:
                raise ConditionError(path, f"{k!r} is not a {source.kind_column} of {node['count']}")


def _validate_vehicle_age(node: dict, path: str) -> None:
    _only(node, {"vehicle_age_years", "value"}, path)
    if OPS.get(_text(node["vehicle_age_years"])) not in NUMERIC_OPS:
        raise ConditionError(path, "vehicle_age_years takes a comparison such as \">=\"")
    _whole_number(node, path)


def _validate_tag(node: dict, path: str) -> None:
    _only(node, {"tag", "present"}, path)
    if not isinstance(node["tag"], str) or not node["tag"].strip():
        raise ConditionError(path, "tag needs a tag name")
    if not isinstance(node.get("present", True), bool):
        raise ConditionError(path, "present must be true or false")


_LEAF_VALIDATORS = {"field": _validate_field, "days_since": _validate_days_since, "days_until": _validate_days_until,
                    "count": _validate_count, "vehicle_age_years": _validate_vehicle_age, "tag": _validate_tag}


# --- compilation --------------------------------------------------------------------------


def compile_condition(node: dict, at: datetime, dialect: str | None = None) -> Q:
    """One Q over Customer, to be used as Customer.filter(q); validates first."""
    validate(node)
    if dialect is None:
        dialect = Tortoise.get_connection("default").capabilities.dialect
    return _Compiler(at, dialect).node(node)


class _Compiler:
    def __init__(self, at: datetime, dialect: str):
        self.at = at
        self.today = at.astimezone(ZoneInfo(config.settings.timezone)).date()
        self.dialect = dialect

    def node(self, node: dict) -> Q:
        if not node:
            return Q()
        if "all" in node:
            return Q(*[self.node(c) for c in node["all"]], join_type="AND")
        if "any" in node:
            return Q(*[self.node(c) for c in node["any"]], join_type="OR")
        if "not" in node:
            return ~self.node(node["not"])
        for key in LEAF_KEYS:
            if key in node:
                return getattr(self, key)(node)
        raise AssertionError("validated")

    def field(self, node: dict) -> Q:
        name, op, value = node["field"], OPS[node["op"]], node.get("value")
        if op == "is_null":
            return Q(**{f"{name}__isnull": value})
        if op in ("ne", "not_in"):
            lookup = f"{name}__not" if op == "ne" else f"{name}__not_in"
            return Q(**{lookup: value}) | Q(**{f"{name}__isnull": True})
        lookup = {"eq": name, "in": f"{name}__in"}.get(op, f"{name}__{op}")
        return Q(**{lookup: value}) & Q(**{f"{name}__isnull": False})

    def days_since(self, node: dict) -> Q:
        # Whole days elapsed: floor((now - t) / day) op n, as bounds on t.
        name, op, n = node["days_since"], OPS[node["op"]], node["value"]
        older = lambda days: self.at - timedelta(days=days)  # noqa: E731
        bounds = {"gte": {"lte": older(n)}, "gt": {"lte": older(n + 1)}, "lt": {"gt": older(n)},
                  "lte": {"gt": older(n + 1)}, "eq": {"lte": older(n), "gt": older(n + 1)}}
        if op == "ne":
            return ~self.days_since({**node, "op": "eq"}) & Q(**{f"{name}__isnull": False})
        return Q(**{f"{name}__{k}": v for k, v in bounds[op].items()}, **{f"{name}__isnull": False})

    def days_until(self, node: dict) -> Q:
        name, op, n = node["days_until"], OPS[node["op"]], node["value"]
        if name in ANNUAL_FIELDS:
            return self._annual(name, op, n)
        later = lambda days: self.at + timedelta(days=days)  # noqa: E731
        bounds = {"gte": {"gte": later(n)}, "gt": {"gte": later(n + 1)}, "lt": {"lt": later(n)},
                  "lte": {"lt": later(n + 1)}, "eq": {"gte": later(n), "lt": later(n + 1)}}
        if op == "ne":
            return ~self.days_until({**node, "op": "eq"}) & Q(**{f"{name}__isnull": False})
        return Q(**{f"{name}__{k}": v for k, v in bounds[op].items()}, **{f"{name}__isnull": False})

    def _annual(self, name: str, op: str, n: int) -> Q:
        """Days until the next local month-day, as a set of month-days the database matches."""
        first: dict[str, int] = {}
        for k in range(366):
            first.setdefault((self.today + timedelta(days=k)).strftime("%m-%d"), k)
        # A 29 February birthday is kept on 28 February in common years.
        first.setdefault("02-29", first["02-28"])
        wanted = sorted(md for md, k in first.items() if COMPARE[op](k, n))
        month_day = ("to_char({}, 'MM-DD')" if self.dialect == "postgres" else "strftime('%m-%d', {})").format(name)
        matching = Customer.filter(**{f"{name}__isnull": False}).annotate(
            month_day=RawSQL(month_day)).filter(month_day__in=wanted or ["--"]).values("id")
        return Q(id__in=Subquery(matching))

    def count(self, node: dict) -> Q:
        source = COUNT_SOURCES[node["count"]]
        op, n = OPS[node["op"]], node["value"]
        rows = source.model.all()
        if "within_days" in node:
            since = self.at - timedelta(days=node["within_days"])
            rows = rows.filter(**{f"{source.moment}__gte": self.today - timedelta(days=node["within_days"])
                                  if source.is_date else since})
            if not source.is_date:
                rows = rows.filter(**{f"{source.moment}__lte": self.at})
        if source.kind_column in node:
            kinds = node[source.kind_column]
            rows = rows.filter(**{f"{source.kind_column}__in": kinds if isinstance(kinds, list) else [kinds]})
        # Customers with no rows count 0 and appear in no group: when 0 satisfies the comparison,
        # select the complement of the customers whose count fails it.
        negate = {"eq": "ne", "ne": "eq", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}
        zero_matches = COMPARE[op](0, n)
        having = negate[op] if zero_matches else op
        grouped = rows.annotate(n=Count("id")).group_by("customer_id").filter(
            **{"n" if having == "eq" else f"n__{'not' if having == 'ne' else having}": n}).values("customer_id")
        return ~Q(id__in=Subquery(grouped)) if zero_matches else Q(id__in=Subquery(grouped))

    def vehicle_age_years(self, node: dict) -> Q:
        # Whole years of age: a car bought on today's date N years ago is N years old.
        op, n = OPS[node["vehicle_age_years"]], node["value"]
        bought = lambda years: _years_before(self.today, years)  # noqa: E731
        bounds = {"gte": {"lte": bought(n)}, "gt": {"lte": bought(n + 1)}, "lt": {"gt": bought(n)},
                  "lte": {"gt": bought(n + 1)}, "eq": {"lte": bought(n), "gt": bought(n + 1)}}
        if op == "ne":
            vehicles = Vehicle.filter(Q(purchase_date__gt=bought(n)) | Q(purchase_date__lte=bought(n + 1)))
        else:
            vehicles = Vehicle.filter(**{f"purchase_date__{k}": v for k, v in bounds[op].items()})
        return Q(id__in=Subquery(vehicles.filter(purchase_date__isnull=False).values("customer_id")))

    def tag(self, node: dict) -> Q:
        tag_ids = Subquery(Tag.filter(name=node["tag"].strip()).values("id"))
        tagged = Q(id__in=Subquery(CustomerTag.filter(tag_id__in=tag_ids).values("customer_id")))
        return tagged if node.get("present", True) else ~tagged


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)

"""The condition language of rules: JSON data that compiles to one set-based filter over Customer.

A condition is a tree. Branches: {"all": [...]}, {"any": [...]}, {"not": {...}}. Leaves:

    {"field": "lifecycle", "op": "in", "value": ["LEAD", "PROSPECT"]}
    {"field": "last_contact_at", "op": "is_null", "value": true}
    {"days_since": "last_contact_at", "op": ">=", "value": 90}
    {"days_until": "birthday", "op": "<=", "value": 7}          birthday is annual: the next month-day
    {"count": "interactions", "within_days": 30, "op": ">=", "value": 3, "kind": "CALL"}
    {"count": "showroom_visits", "within_days": 30, "op": ">=", "value": 2}   interactions of kind VISIT
    {"sum": "service_spend", "within_days": 365, "op": ">=", "value": 5000, "kind": "REPAIR"}   CNY
    {"days_since_last": "service_records", "kind": "MAINTENANCE", "op": ">=", "value": 180}
    {"before": "last_contact_at", "than": "assigned_at"}   both known, the first earlier
    {"days_until": "purchase_anniversary", "op": "<=", "value": 7}    any vehicle, annual
    {"days_until": "insurance_expiry", "op": "<=", "value": 60}       any vehicle
    {"vehicle_age_years": ">=", "value": 5}                      any of the customer's vehicles
    {"km_since_last_service": ">=", "value": 5000}               any vehicle: its mileage minus the last service's
    {"tag": "潜在换车客户", "present": false}

Every leaf is two-valued (a NULL column makes a leaf false, never unknown), so "not" means what
a manager expects: {"not": {"field": "grade", "op": "=", "value": "A"}} includes ungraded customers.
Day counts are whole local days; "now" is passed in, so a pass and its tests agree on the moment.
"""

import operator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise import Tortoise
from tortoise.expressions import F, Q, RawSQL, Subquery
from tortoise.functions import Count, Max, Sum

from server import config
from server.activity.models import Interaction
from server.customers.models import Customer, ServiceRecord, Vehicle
from server.enums import (Channel, CustomerKind, Gender, Grade, Intent, InteractionKind, Lifecycle,
                          ServiceKind, TestDriveStatus, ValueTier)
from server.portrait.models import CustomerTag, Tag
from server.sales.models import TestDrive


class ConditionError(ValueError):
    """A condition that cannot be compiled; `path` names the bad node, e.g. "all[1].not", and
    `key` the bad key of that node when one is to blame ("value", "within_days" …)."""

    def __init__(self, path: str, message: str, key: str | None = None):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.key = key


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
    """A table counted per customer: its model, its time column and the column "kind" filters.

    `fixed` pins the kind, for names managers think of as their own thing (a showroom visit is
    an interaction of kind VISIT, which the walk-in desk logs for every visit).
    """

    def __init__(self, model, moment: str, is_date: bool, kind_column: str, kinds, fixed: str | None = None):
        self.model, self.moment, self.is_date, self.kind_column, self.kinds = model, moment, is_date, kind_column, kinds
        self.fixed = fixed


COUNT_SOURCES = {
    "interactions": _Source(Interaction, "occurred_at", False, "kind", InteractionKind),
    "showroom_visits": _Source(Interaction, "occurred_at", False, "kind", InteractionKind, fixed="VISIT"),
    "service_records": _Source(ServiceRecord, "service_date", True, "kind", ServiceKind),
    "test_drives": _Source(TestDrive, "scheduled_at", False, "status", TestDriveStatus),
}
# Sums per customer: the source and the column added up.
SUM_SOURCES = {"service_spend": (COUNT_SOURCES["service_records"], "amount")}
# Dates on the customer's vehicles; a customer matches when any vehicle does.
VEHICLE_DATES = {"insurance_expiry"}
VEHICLE_ANNUAL = {"purchase_anniversary": "purchase_date"}
LEAF_KEYS = ("field", "days_since", "days_since_last", "days_until", "count", "sum", "vehicle_age_years",
             "km_since_last_service", "tag", "before")


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


def _op(node: dict, path: str, allowed: set[str], key: str = "op") -> str:
    op = OPS.get(_text(node.get(key)))
    if op not in allowed:
        raise ConditionError(path, f"{key} must be one of {sorted(k for k, v in OPS.items() if v in allowed)}", key)
    return op


def _whole_number(node: dict, path: str, key: str = "value") -> int:
    value = node.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConditionError(path, f"{key} must be a whole number ≥ 0", key)
    return value


def _validate_field(node: dict, path: str) -> None:
    _only(node, {"field", "op", "value"}, path)
    name = node["field"]
    if _text(name) not in {*ENUM_FIELDS, *TEXT_FIELDS, *NUMBER_FIELDS, *MOMENT_FIELDS, *BOOL_FIELDS, *ANNUAL_FIELDS}:
        raise ConditionError(path, f"unknown field {name!r}", "field")
    op = _op(node, path, set(OPS.values()))
    value = node.get("value")
    if op == "is_null":
        if not isinstance(value, bool):
            raise ConditionError(path, "is_null needs value true or false", "value")
        return
    values = value if op in ("in", "not_in") else [value]
    if op in ("in", "not_in") and (not isinstance(value, list) or not value):
        raise ConditionError(path, f"{op} needs a non-empty list", "value")
    for v in values:
        if name in ENUM_FIELDS and _text(v) not in {e.value for e in ENUM_FIELDS[name]}:
            raise ConditionError(path, f"{v!r} is not a {name}; expected one of {[e.value for e in ENUM_FIELDS[name]]}",
                                 "value")
        if name in TEXT_FIELDS and not isinstance(v, str):
            raise ConditionError(path, f"{name} compares with text", "value")
        if name in NUMBER_FIELDS and (isinstance(v, bool) or not isinstance(v, int)):
            raise ConditionError(path, f"{name} compares with a whole number", "value")
        if name in BOOL_FIELDS and not isinstance(v, bool):
            raise ConditionError(path, f"{name} compares with true or false", "value")
        if name in MOMENT_FIELDS | ANNUAL_FIELDS:
            raise ConditionError(path, f"compare {name} with days_since or days_until, or test is_null", "op")


def _validate_days_since(node: dict, path: str) -> None:
    _only(node, {"days_since", "op", "value"}, path)
    if _text(node["days_since"]) not in MOMENT_FIELDS:
        raise ConditionError(path, f"days_since takes one of {sorted(MOMENT_FIELDS)}", "days_since")
    _op(node, path, NUMERIC_OPS)
    _whole_number(node, path)


UNTIL_NAMES = MOMENT_FIELDS | ANNUAL_FIELDS | VEHICLE_DATES | set(VEHICLE_ANNUAL)


def _validate_days_until(node: dict, path: str) -> None:
    _only(node, {"days_until", "op", "value"}, path)
    if _text(node["days_until"]) not in UNTIL_NAMES:
        raise ConditionError(path, f"days_until takes one of {sorted(UNTIL_NAMES)}", "days_until")
    _op(node, path, NUMERIC_OPS)
    annual = node["days_until"] in ANNUAL_FIELDS or node["days_until"] in VEHICLE_ANNUAL
    if _whole_number(node, path) > 365 and annual:
        raise ConditionError(path, "an annual date is at most 365 days away", "value")


def _validate_source(node: dict, path: str, key: str, sources: dict) -> "_Source":
    source = sources.get(_text(node[key]))
    if source is None:
        raise ConditionError(path, f"{key} takes one of {sorted(sources)}", key)
    source = source[0] if isinstance(source, tuple) else source
    allowed = {key, "within_days", "op", "value"} | ({source.kind_column} if not source.fixed else set())
    _only(node, allowed - ({"within_days"} if key == "days_since_last" else set()), path)
    _op(node, path, NUMERIC_OPS)
    _whole_number(node, path)
    if "within_days" in node and _whole_number(node, path, "within_days") == 0:
        raise ConditionError(path, "within_days must be at least 1", "within_days")
    if source.kind_column in node:
        kinds = node[source.kind_column]
        if not isinstance(kinds, (list, str)) or (isinstance(kinds, list) and not kinds):
            raise ConditionError(path, f"{source.kind_column} needs a value or a non-empty list", source.kind_column)
        for k in kinds if isinstance(kinds, list) else [kinds]:
            if _text(k) not in {e.value for e in source.kinds}:
                raise ConditionError(path, f"{k!r} is not a {source.kind_column} of {node[key]}", source.kind_column)
    return source


def _validate_count(node: dict, path: str) -> None:
    _validate_source(node, path, "count", COUNT_SOURCES)


def _validate_sum(node: dict, path: str) -> None:
    _validate_source(node, path, "sum", SUM_SOURCES)


def _validate_days_since_last(node: dict, path: str) -> None:
    _validate_source(node, path, "days_since_last", COUNT_SOURCES)


def _validate_vehicle_age(node: dict, path: str) -> None:
    _only(node, {"vehicle_age_years", "value"}, path)
    if OPS.get(_text(node["vehicle_age_years"])) not in NUMERIC_OPS:
        raise ConditionError(path, "vehicle_age_years takes a comparison such as \">=\"", "op")
    _whole_number(node, path)


def _validate_km(node: dict, path: str) -> None:
    _only(node, {"km_since_last_service", "value"}, path)
    if OPS.get(_text(node["km_since_last_service"])) not in NUMERIC_OPS:
        raise ConditionError(path, "km_since_last_service takes a comparison such as \">=\"", "op")
    _whole_number(node, path)


def _validate_tag(node: dict, path: str) -> None:
    _only(node, {"tag", "present"}, path)
    if not isinstance(node["tag"], str) or not node["tag"].strip():
        raise ConditionError(path, "tag needs a tag name", "tag")
    if not isinstance(node.get("present", True), bool):
        raise ConditionError(path, "present must be true or false", "present")


def _validate_before(node: dict, path: str) -> None:
    # {"before": "last_contact_at", "than": "assigned_at"}: both moments known, the first earlier.
    _only(node, {"before", "than"}, path)
    for key in ("before", "than"):
        if _text(node.get(key)) not in MOMENT_FIELDS:
            raise ConditionError(path, f"{key} takes one of {sorted(MOMENT_FIELDS)}", key)
    if node["before"] == node["than"]:
        raise ConditionError(path, "compare two different moments", "than")


_LEAF_VALIDATORS = {"before": _validate_before, "field": _validate_field, "days_since": _validate_days_since, "days_until": _validate_days_until,
                    "count": _validate_count, "vehicle_age_years": _validate_vehicle_age, "tag": _validate_tag,
                    "sum": _validate_sum, "days_since_last": _validate_days_since_last,
                    "km_since_last_service": _validate_km}


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

    def before(self, node: dict) -> Q:
        return Q(**{f"{node['before']}__lt": F(node["than"])})

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
            return Q(id__in=Subquery(self._annual(Customer.all(), name, op, n).values("id")))
        if name in VEHICLE_ANNUAL:
            column = VEHICLE_ANNUAL[name]
            # The day of purchase itself is no anniversary: the first one is a year later.
            vehicles = Vehicle.filter(**{f"{column}__lt": self.today})
            return Q(id__in=Subquery(self._annual(vehicles, column, op, n).values("customer_id")))
        if name in VEHICLE_DATES:
            return Q(id__in=Subquery(Vehicle.filter(_date_bounds(name, op, self.today, n, future=True))
                                     .values("customer_id")))
        later = lambda days: self.at + timedelta(days=days)  # noqa: E731
        bounds = {"gte": {"gte": later(n)}, "gt": {"gte": later(n + 1)}, "lt": {"lt": later(n)},
                  "lte": {"lt": later(n + 1)}, "eq": {"gte": later(n), "lt": later(n + 1)}}
        if op == "ne":
            return ~self.days_until({**node, "op": "eq"}) & Q(**{f"{name}__isnull": False})
        return Q(**{f"{name}__{k}": v for k, v in bounds[op].items()}, **{f"{name}__isnull": False})

    def _annual(self, rows, name: str, op: str, n: int):
        """Rows whose date's next local month-day is `op n` days away, as a set of month-days."""
        first: dict[str, int] = {}
        for k in range(366):
            first.setdefault((self.today + timedelta(days=k)).strftime("%m-%d"), k)
        # A 29 February date is kept on 28 February in common years.
        first.setdefault("02-29", first["02-28"])
        wanted = sorted(md for md, k in first.items() if COMPARE[op](k, n))
        month_day = ("to_char({}, 'MM-DD')" if self.dialect == "postgres" else "strftime('%m-%d', {})").format(name)
        return rows.filter(**{f"{name}__isnull": False}).annotate(
            month_day=RawSQL(month_day)).filter(month_day__in=wanted or ["--"])

    def _rows(self, source: _Source, node: dict):
        """The source's rows within the node's window and of its kinds."""
        rows = source.model.all()
        if "within_days" in node:
            since = self.at - timedelta(days=node["within_days"])
            rows = rows.filter(**{f"{source.moment}__gte": self.today - timedelta(days=node["within_days"])
                                  if source.is_date else since})
            if not source.is_date:
                rows = rows.filter(**{f"{source.moment}__lte": self.at})
        kinds = source.fixed or node.get(source.kind_column)
        if kinds:
            rows = rows.filter(**{f"{source.kind_column}__in": kinds if isinstance(kinds, list) else [kinds]})
        return rows

    def count(self, node: dict) -> Q:
        source = COUNT_SOURCES[node["count"]]
        return _per_customer(self._rows(source, node), Count("id"), OPS[node["op"]], node["value"])

    def sum(self, node: dict) -> Q:
        source, column = SUM_SOURCES[node["sum"]]
        return _per_customer(self._rows(source, node), Sum(column), OPS[node["op"]], node["value"])

    def days_since_last(self, node: dict) -> Q:
        """Days since the latest row; a customer without rows never matches (there is no "last")."""
        source = COUNT_SOURCES[node["days_since_last"]]
        op, n = OPS[node["op"]], node["value"]
        rows = self._rows(source, node).annotate(last=Max(source.moment)).group_by("customer_id")
        if source.is_date:
            bounds = _date_bounds("last", op, self.today, n, future=False)
        else:
            older = lambda days: self.at - timedelta(days=days)  # noqa: E731
            pairs = {"gte": {"lte": older(n)}, "gt": {"lte": older(n + 1)}, "lt": {"gt": older(n)},
                     "lte": {"gt": older(n + 1)}, "eq": {"lte": older(n), "gt": older(n + 1)}}
            if op == "ne":
                bounds = Q(last__gt=older(n)) | Q(last__lte=older(n + 1))
            else:
                bounds = Q(**{f"last__{k}": v for k, v in pairs[op].items()})
        return Q(id__in=Subquery(rows.filter(bounds).values("customer_id")))

    def km_since_last_service(self, node: dict) -> Q:
        # Mileage only grows, so the highest mileage on record is the last service's.
        op, n = OPS[node["km_since_last_service"]], node["value"]
        vehicle, service = Vehicle._meta.db_table, ServiceRecord._meta.db_table
        since = RawSQL(f'"{vehicle}"."mileage_km" - (SELECT MAX(s.mileage_km) FROM "{service}" s '
                       f'WHERE s.vehicle_id = "{vehicle}"."id")')
        lookup = "km" if op == "eq" else f"km__{'not' if op == 'ne' else op}"
        vehicles = Vehicle.filter(mileage_km__isnull=False).annotate(km=since).filter(**{lookup: n})
        return Q(id__in=Subquery(vehicles.values("customer_id")))

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


def _per_customer(rows, aggregate, op: str, n: int) -> Q:
    """Customers whose aggregate over `rows` satisfies `op n`; a customer with no rows counts 0."""
    # Customers with no rows appear in no group: when 0 satisfies the comparison, select the
    # complement of the customers whose aggregate fails it.
    negate = {"eq": "ne", "ne": "eq", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}
    zero_matches = COMPARE[op](0, n)
    having = negate[op] if zero_matches else op
    grouped = rows.annotate(n=aggregate).group_by("customer_id").filter(
        **{"n" if having == "eq" else f"n__{'not' if having == 'ne' else having}": n}).values("customer_id")
    return ~Q(id__in=Subquery(grouped)) if zero_matches else Q(id__in=Subquery(grouped))


def _date_bounds(name: str, op: str, today: date, n: int, *, future: bool) -> Q:
    """Whole days from today until a date column (`future`) or since it, compared `op n`."""
    day = today + timedelta(days=n) if future else today - timedelta(days=n)
    if op == "eq":
        return Q(**{name: day})
    if op == "ne":
        return ~Q(**{name: day}) & Q(**{f"{name}__isnull": False})
    # Days until grow with the date; days since shrink as it grows.
    lookup = op if future else {"gte": "lte", "gt": "lt", "lte": "gte", "lt": "gt"}[op]
    return Q(**{f"{name}__{lookup}": day, f"{name}__isnull": False})


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)

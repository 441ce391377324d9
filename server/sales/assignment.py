"""Lead assignment: managers give customers to consultants in bulk, and assignment rules
route each new pool lead to a team, then to one consultant (round-robin or least-loaded).
"""

from tortoise.expressions import Q
from tortoise.functions import Count, Max
from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.models import Team, User
from server.auth.principal import SYSTEM, Principal
from server.auth.scope import NOTHING, customer_q
from server.customers.models import Customer
from server.enums import AssignmentStrategy, Channel, Lifecycle, OwnershipChangeKind, Role
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import on
from server.sales.models import AssignmentRule, OwnershipChange, VehicleModel
from server.sales.ownership import give, lock_rows

MAX_BATCH = 500



async def assign_customers(principal: Principal, customer_ids: list[int], owner_id: int) -> list[int]:
    """Give customers (owned or in the pool) to one person; all or nothing. Returns the ids moved."""
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins assign customers", "owner_id")
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        raise UserError(ErrorCode.REQUIRED, "name at least one customer", "customer_ids")
    if len(ids) > MAX_BATCH:
        raise UserError(ErrorCode.LIMIT_EXCEEDED, f"at most {MAX_BATCH} customers at a time", "customer_ids")
    owner = await User.get_or_none(id=owner_id, is_active=True)
    if owner is None or owner.role is Role.ADMIN:
        raise UserError(ErrorCode.NOT_FOUND, "no such consultant or manager", "owner_id")
    team_id = principal.team_id if (principal.role is Role.MANAGER or principal.is_token) else None
    if team_id is not None and owner.team_id != team_id:
        raise UserError(ErrorCode.FORBIDDEN, "this user is not in your team", "owner_id")
    if principal.role is Role.MANAGER and principal.team_id is None:
        raise UserError(ErrorCode.FORBIDDEN, "you belong to no team", "owner_id")
    async with in_transaction() as conn:
        allowed = set(await Customer.filter(customer_q(principal, for_write=True), id__in=ids)
                      .using_db(conn).values_list("id", flat=True))
        missing = [i for i in ids if i not in allowed]
        if missing:
            raise UserError(ErrorCode.NOT_FOUND, "customer not found or not in your scope", "customer_ids", ids=missing)
        return await give(principal, await lock_rows(ids, conn), owner, OwnershipChangeKind.ASSIGN)


# --- rules -----------------------------------------------------------------------------------

RULE_FIELDS = ("name", "team_id", "strategy", "channel", "province", "city", "vehicle_model_id", "position", "is_active")


def visible_rules(principal: Principal) -> Q:
    """Admins (and tokens that may read every team) see every rule, staff their team's."""
    if principal.is_admin or (principal.is_token and principal.team_id is None):
        return Q()
    return Q(team_id=principal.team_id) if principal.team_id is not None else NOTHING


async def _rule_values(principal: Principal, data: dict) -> dict:
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise UserError(ErrorCode.INVALID, f"unknown field {sorted(unknown)[0]}", sorted(unknown)[0])
    values = dict(data)
    errors = []
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"] or len(values["name"]) > 100:
            errors.append(UserError(ErrorCode.INVALID, "a name of 1 to 100 characters is required", "name"))
    if "team_id" in values:
        if not await Team.filter(id=values["team_id"]).exists():
            errors.append(UserError(ErrorCode.NOT_FOUND, "no such team", "team_id"))
        elif principal.role is Role.MANAGER and values["team_id"] != principal.team_id:
            errors.append(UserError(ErrorCode.FORBIDDEN, "managers route leads to their own team only", "team_id"))
    if values.get("vehicle_model_id") is not None and not await VehicleModel.filter(id=values["vehicle_model_id"]).exists():
        errors.append(UserError(ErrorCode.NOT_FOUND, "no such vehicle model", "vehicle_model_id"))
    for key, kind in (("strategy", AssignmentStrategy), ("channel", Channel)):
        if values.get(key) is not None:
            try:
                values[key] = kind(values[key])
            except ValueError:
                errors.append(UserError(ErrorCode.INVALID, f"not a valid {key}", key))
    for key in ("province", "city"):
        if key in values:
            values[key] = (values[key] or "").strip()[:30]
    if errors:
        raise UserErrors(errors)
    return values


async def _rule_for_write(principal: Principal, rule_id: int) -> AssignmentRule:
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins edit assignment rules", "id")
    query = AssignmentRule.filter(id=rule_id)
    if principal.role is Role.MANAGER:
        query = query.filter(team_id=principal.team_id)
    rule = await query.first()
    if rule is None:
        raise UserError(ErrorCode.NOT_FOUND, "assignment rule not found or not your team's", "id")
    return rule


async def create_assignment_rule(principal: Principal, data: dict) -> AssignmentRule:
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins edit assignment rules", "team_id")
    data = {"name": "", **data}
    if "team_id" not in data:
        raise UserError(ErrorCode.REQUIRED, "name the team leads go to", "team_id")
    values = await _rule_values(principal, data)
    async with in_transaction():
        rule = await AssignmentRule.create(**values)
        await audit.record(principal, "create", "AssignmentRule", rule.id, audit.diff({}, values))
    return rule


async def update_assignment_rule(principal: Principal, rule_id: int, data: dict) -> AssignmentRule:
    rule = await _rule_for_write(principal, rule_id)
    values = await _rule_values(principal, data)
    before = {k: getattr(rule, k) for k in values}
    async with in_transaction():
        await AssignmentRule.filter(id=rule.id).update(**values)
        await audit.record(principal, "update", "AssignmentRule", rule.id, audit.diff(before, values))
    return await AssignmentRule.get(id=rule.id)


async def delete_assignment_rule(principal: Principal, rule_id: int) -> None:
    rule = await _rule_for_write(principal, rule_id)
    async with in_transaction():
        await rule.delete()
        await audit.record(principal, "delete", "AssignmentRule", rule_id, {"name": rule.name})


# --- routing ---------------------------------------------------------------------------------


def _matches(rule: AssignmentRule, customer: Customer) -> bool:
    if rule.channel is not None and rule.channel != customer.channel:
        return False
    if rule.province and rule.province != customer.province:
        return False
    if rule.city and rule.city != customer.city:
        return False
    model = rule.vehicle_model
    if model is not None:
        names = {n.lower() for n in (model.series, model.display_name, *(model.aliases or [])) if n}
        wanted = [str(w).lower() for w in customer.interested_models or []]
        if not any(name in w for w in wanted for name in names):
            return False
    return True


async def pick_consultant(rule: AssignmentRule) -> User | None:
    """The team member who gets the next lead; None when every one is at capacity."""
    members = await User.filter(team_id=rule.team_id, role=Role.CONSULTANT, is_active=True).order_by("id")
    ids = [m.id for m in members]
    # Open leads: customers still in the LEAD stage that the consultant holds.
    loads = dict(await Customer.filter(owner_id__in=ids, lifecycle=Lifecycle.LEAD, merged_into_id__isnull=True)
                 .annotate(n=Count("id")).group_by("owner_id").values_list("owner_id", "n"))
    free = [m for m in members if loads.get(m.id, 0) < m.lead_capacity]
    if not free:
        return None
    if rule.strategy is AssignmentStrategy.LEAST_LOADED:
        return min(free, key=lambda m: (loads.get(m.id, 0) / m.lead_capacity, loads.get(m.id, 0), m.id))
    # Round-robin without a stored cursor: whoever was routed a lead longest ago (or never) is next.
    last = dict(await OwnershipChange.filter(to_user_id__in=ids, kind=OwnershipChangeKind.ROUTE)
                .annotate(last=Max("id")).group_by("to_user_id").values_list("to_user_id", "last"))
    return min(free, key=lambda m: (last.get(m.id, 0), m.id))


async def route_lead(customer_id: int) -> User | None:
    """Route a new pool lead by the first matching rule; return the consultant it went to.

    Only leads nobody ever held are routed, so a repeated event changes nothing.
    """
    customer = await Customer.get_or_none(id=customer_id, merged_into_id__isnull=True, owner_id__isnull=True,
                                          previous_owner_id__isnull=True, assigned_at__isnull=True)
    if customer is None:
        return None
    rules = await AssignmentRule.filter(is_active=True).order_by("position", "id").prefetch_related("vehicle_model")
    rule = next((r for r in rules if _matches(r, customer)), None)
    if rule is None:
        return None
    async with in_transaction() as conn:
        consultant = await pick_consultant(rule)
        rows = [r for r in await lock_rows([customer.id], conn) if r["owner_id"] is None]
        if consultant is None or not rows:
            if customer.team_id != rule.team_id:
                # Everyone is full: the lead waits in the pool, visible to that team's manager.
                await Customer.filter(id=customer.id).update(team_id=rule.team_id)
                await audit.record(SYSTEM, "route", "Customer", customer.id,
                                   {"team_id": [customer.team_id, rule.team_id], "rule_id": rule.id})
            return None
        await give(SYSTEM, rows, consultant, OwnershipChangeKind.ROUTE)
    return consultant


@on("customer.created")
async def route_new_lead(payload: dict) -> None:
    await route_lead(payload["customer_id"])

"""Editing rules: managers and admins create, change, switch off and preview them.

Every rule is checked whole before it is saved (condition, actions, schedule, events), and a
problem is a UserError whose field is the path to the bad part, e.g. "condition.all[1].value".
Firings are read through the customer scope: whoever may see the customer may see its firings.
"""

from datetime import datetime

from tortoise.expressions import F, Q
from tortoise.functions import Count, Max
from tortoise.timezone import now

from server.auth.principal import Principal
from server.auth.scope import customer_q
from server.customers.models import Customer
from server.errors import ErrorCode, UserError
from server.rules import actions as rule_actions
from server.rules.conditions import ConditionError, compile_condition
from server.rules.engine import PERIODS, check_rule, split_period
from server.rules.models import Rule, RuleFiring
from server.rules.schedule import validate_schedule
from server.rules.triggers import TOPICS

PREVIEW_SAMPLE = 10
EDITABLE = ("name", "description", "condition", "once_per", "actions", "schedule", "events", "enabled")


def _manager(principal: Principal) -> None:
    if principal is None or not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins edit rules", "id")


def _condition_error(exc: ConditionError) -> UserError:
    field = f"{exc.path}.{exc.key}" if exc.key else exc.path
    # The engine's path and key, for an API whose inputs are shaped differently to name its own field.
    return UserError(ErrorCode.INVALID, exc.message, field, path=exc.path, key=exc.key)


async def _values(data: dict, current: Rule | None = None) -> dict:
    """The rule's columns from `data` (fields left out keep their current value), checked whole."""
    values: dict = {}
    if "name" in data or current is None:
        name = (data.get("name") or "").strip()
        if not name:
            raise UserError(ErrorCode.REQUIRED, "give the rule a name", "name")
        if len(name) > 150:
            raise UserError(ErrorCode.INVALID, "the name is longer than 150 characters", "name")
        values["name"] = name
    if "description" in data:
        values["description"] = (data["description"] or "").strip()
    period, node = split_period(current.condition) if current else ("day", {})
    if "once_per" in data and data["once_per"] is not None:
        if data["once_per"] not in PERIODS:
            raise UserError(ErrorCode.INVALID, f"once_per must be one of {list(PERIODS)}", "once_per")
        period = data["once_per"]
    if data.get("condition") is not None:
        node = data["condition"]
    if current is None and data.get("condition") is None:
        raise UserError(ErrorCode.REQUIRED, "a rule needs a condition", "condition")
    condition = {"once_per": period, **node} if period != "day" else dict(node)
    actions = data["actions"] if data.get("actions") is not None else (current.actions if current else None)
    if actions is None:
        raise UserError(ErrorCode.REQUIRED, "a rule needs at least one action", "actions")
    try:
        check_rule(condition, actions)
        await rule_actions.check_assignees(actions)
    except ConditionError as exc:
        raise _condition_error(exc) from None
    values["condition"], values["actions"] = condition, actions
    if "schedule" in data:
        try:
            values["schedule"] = validate_schedule(data["schedule"])
        except ConditionError as exc:
            raise UserError(ErrorCode.INVALID, exc.message, "schedule") from None
    if "events" in data:
        events = list(dict.fromkeys(data["events"] or []))
        unknown = [e for e in events if e not in TOPICS]
        if unknown:
            raise UserError(ErrorCode.INVALID, f"unknown event {unknown[0]!r}", "events")
        values["events"] = events
    if "enabled" in data and data["enabled"] is not None:
        values["enabled"] = bool(data["enabled"])
    schedule = values.get("schedule", current.schedule if current else None)
    events = values.get("events", current.events if current else [])
    if not schedule and not events:
        raise UserError(ErrorCode.REQUIRED, "give the rule a schedule or at least one event", "schedule")
    return values


async def create_rule(principal: Principal, data: dict) -> Rule:
    _manager(principal)
    return await Rule.create(**await _values(data))


async def _rule(rule_id: int) -> Rule:
    rule = await Rule.get_or_none(id=rule_id)
    if rule is None:
        raise UserError(ErrorCode.NOT_FOUND, "no such rule", "id")
    return rule


async def update_rule(principal: Principal, rule_id: int, version: int, data: dict) -> Rule:
    """Change a rule; a version other than the saved one is a CONFLICT, never an overwrite."""
    _manager(principal)
    rule = await _rule(rule_id)
    values = await _values(data, rule)
    updated = await Rule.filter(id=rule_id, version=version).update(**values, version=F("version") + 1,
                                                                     updated_at=now())
    if not updated:
        raise UserError(ErrorCode.CONFLICT, "someone changed this rule after you opened it", "version")
    return await Rule.get(id=rule_id)


async def set_rule_enabled(principal: Principal, rule_id: int, enabled: bool) -> Rule:
    """Switch a rule on or off. No version: the switch is the whole change, and the last click wins."""
    _manager(principal)
    await _rule(rule_id)
    await Rule.filter(id=rule_id).update(enabled=enabled, version=F("version") + 1, updated_at=now())
    return await Rule.get(id=rule_id)


async def preview_rule(principal: Principal, condition: dict, at: datetime | None = None,
                       limit: int = PREVIEW_SAMPLE) -> tuple[int, list[Customer]]:
    """How many customers the condition selects now, within what the caller may see, and a sample."""
    _manager(principal)
    _, node = split_period(condition)
    try:
        q = compile_condition(node, at or now())
    except ConditionError as exc:
        raise _condition_error(exc) from None
    query = Customer.filter(customer_q(principal)).filter(q)
    return await query.count(), list(await query.order_by("id").limit(limit))


def visible_firings(principal: Principal) -> Q:
    """Firings on customers the principal may see."""
    return customer_q(principal, "customer__")


async def firing_stats(principal: Principal, keys: list[tuple[int, datetime | None]]) -> list[tuple[int, datetime | None]]:
    """(count, last fired) per (rule id, since) over firings the principal may see: one grouped
    query per distinct `since`, so a list of rules costs the same as one rule."""
    by_since: dict[datetime | None, set[int]] = {}
    for rule_id, since in keys:
        by_since.setdefault(since, set()).add(rule_id)
    found: dict[tuple[int, datetime | None], tuple[int, datetime | None]] = {}
    for since, rule_ids in by_since.items():
        query = RuleFiring.filter(visible_firings(principal), rule_id__in=rule_ids)
        if since is not None:
            query = query.filter(fired_at__gte=since)
        rows = await query.annotate(n=Count("id"), last=Max("fired_at")).group_by("rule_id").values_list(
            "rule_id", "n", "last")
        for rule_id, n, last in rows:
            found[(rule_id, since)] = (n, last)
    return [found.get(key, (0, None)) for key in keys]

"""Rule passes: the database picks the customers, a firing row per (rule, customer, period)
makes each effect happen once, however often, however concurrently a pass runs.

Within a chunk's transaction the customers that already have a firing row for this period are
left out, the actions applied to the others, and their firing rows (with what was done) inserted
with ON CONFLICT DO NOTHING RETURNING. A row that another pass inserted meanwhile does not come
back: the chunk's transaction is rolled back, effects included, and the chunk is tried again.
A rerun, a second worker or a retry after a crash therefore never doubles an effect.
"""

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server import config
from server.audit import services as audit
from server.bulk_insert import insert_rows
from server.customers.models import Customer
from server.rules import actions as rule_actions
from server.rules import schedule as schedules
from server.rules.conditions import ConditionError, compile_condition, validate
from server.rules.models import Rule, RuleFiring, RuleRun

log = logging.getLogger(__name__)
# Customers per chunk (and per transaction): big enough that round trips do not dominate a pass.
# PostgreSQL gets more: each chunk runs the condition again (a birthday or repair-count condition
# reads the whole table), and its writers do not wait for a chunk's transaction as SQLite's do.
CHUNK = 5000
PG_CHUNK = 20_000
PERIODS = ("day", "week", "month", "year", "ever")


@dataclass(frozen=True)
class PassResult:
    rule_id: int
    matched: int
    fired: int


def split_period(condition: dict) -> tuple[str, dict]:
    """A condition's root may say how often a customer fires the rule: {"once_per": "year", ...}."""
    period = condition.get("once_per", "day") if isinstance(condition, dict) else "day"
    if period not in PERIODS:
        raise ConditionError("condition.once_per", f"must be one of {list(PERIODS)}")
    node = {k: v for k, v in condition.items() if k != "once_per"} if isinstance(condition, dict) else condition
    return period, node


def check_rule(condition: dict, actions: list) -> None:
    """Raise ConditionError naming the bad node of a rule's condition or actions."""
    _, node = split_period(condition)
    validate(node)
    rule_actions.validate(actions)


def period_key(period: str, at: datetime) -> str:
    day = at.astimezone(ZoneInfo(config.settings.timezone)).date()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "year": str(day.year), "ever": "ever"}[period]


async def preview(condition: dict, at: datetime | None = None, limit: int = 20) -> tuple[int, list[int]]:
    """How many customers a condition selects now, and the first ids: for an editor's "preview"."""
    _, node = split_period(condition)
    query = Customer.filter(compile_condition(node, at or now()), merged_into_id__isnull=True)
    return await query.count(), list(await query.order_by("id").limit(limit).values_list("id", flat=True))


async def run_pass(rule: Rule, at: datetime | None = None, customer_ids: list[int] | None = None) -> PassResult:
    """Fire `rule` for every matching customer (or only those of `customer_ids`, for events)."""
    at = at or now()
    check_rule(rule.condition, rule.actions)
    period, node = split_period(rule.condition)
    key_suffix = period_key(period, at)
    query = Customer.filter(compile_condition(node, at), merged_into_id__isnull=True)
    if customer_ids is not None:
        query = query.filter(id__in=customer_ids)
    tag_ids = await rule_actions.ensure_tags(rule.actions)
    # The columns set_field changes are read with the chunk, so the audit log keeps old and new values.
    changed = sorted({a["field"] for a in rule.actions if a.get("type") == "set_field"})
    columns = ["id", "name", "owner_id", *(c for c in changed if c not in ("id", "name", "owner_id"))]
    matched = fired = 0
    last_id = 0
    size = chunk_size()
    while True:
        # Keyset chunks: actions may move customers out of the match, so never page by offset.
        rows = list(await query.filter(id__gt=last_id).order_by("id").limit(size).values(*columns))
        if not rows:
            break
        last_id = rows[-1]["id"]
        matched += len(rows)
        for row in rows:
            row["key"] = f"rule:{rule.id}:{row['id']}:{key_suffix}"
        fired += await _fire_chunk(rule, rows, tag_ids, at)
        if len(rows) < size:
            break  # the query found every match past last_id: asking again would only scan the tail again
        if config.settings.rule_pass_pause_seconds:
            await asyncio.sleep(config.settings.rule_pass_pause_seconds)
    return PassResult(rule.id, matched, fired)


def chunk_size() -> int:
    if config.settings.rule_pass_chunk:
        return config.settings.rule_pass_chunk
    return PG_CHUNK if Customer._meta.db.capabilities.dialect == "postgres" else CHUNK


class _Raced(Exception):
    """Another pass fired some of this chunk's customers while it ran."""


async def _fire_chunk(rule: Rule, rows: list[dict], tag_ids: dict[str, int], at: datetime) -> int:
    for _ in range(5):
        try:
            async with in_transaction() as conn:
                done = await _existing_keys(conn, [row["key"] for row in rows])
                fresh = [row for row in rows if row["key"] not in done]
                if not fresh:
                    return 0
                effects = await rule_actions.apply(rule.id, rule.actions, fresh, tag_ids, at, conn)
                await _audit_effects(conn, rule, fresh, effects)
                encoded: dict[tuple, str] = {}  # a rule's customers share a handful of effect lists
                firings = [[rule.id, row["id"], row["key"], _encode(encoded, effects[row["key"]]), at] for row in fresh]
                await _record_effects(conn, firings)
                return len(fresh)
        except _Raced:
            continue  # rolled back; the keys the other pass committed are left out next time
    raise RuntimeError(f"rule {rule.id}: a chunk kept racing another pass")


async def _existing_keys(conn, keys: list[str]) -> set[str]:
    table = RuleFiring._meta.db_table
    if conn.capabilities.dialect == "postgres":  # one array parameter, not thousands
        rows = await conn.execute_query_dict(f"SELECT dedup_key FROM {table} WHERE dedup_key = ANY($1::text[])", [keys])
    else:
        rows = []
        for start in range(0, len(keys), 30_000):
            part = keys[start:start + 30_000]
            rows += await conn.execute_query_dict(
                f"SELECT dedup_key FROM {table} WHERE dedup_key IN ({', '.join('?' * len(part))})", part)
    return {r["dedup_key"] for r in rows}


async def _record_effects(conn, firings: list[list]) -> None:
    """Insert the firing rows (rule, customer, key, effects, moment); any key taken meanwhile undoes the chunk."""
    inserted = await insert_rows(conn, RuleFiring._meta.db_table,
                                 ["rule_id", "customer_id", "dedup_key", "effects", "fired_at"], firings,
                                 conflict=["dedup_key"], casts={"effects": "jsonb"}, returning="dedup_key")
    if len(inserted) != len(firings):
        raise _Raced()


def _encode(seen: dict[tuple, str], effects: list[str]) -> str:
    key = tuple(effects)
    if key not in seen:
        seen[key] = json.dumps(effects, ensure_ascii=False)
    return seen[key]


def _audit_changes(rule: Rule, effect: str, old) -> str:
    """The audit row's changes for one effect, as JSON text (see audit.record_as)."""
    kind, _, detail = effect.partition(":")
    changes: dict = {"rule_id": rule.id}
    if kind == "set_field" and "=" in detail:
        name, _, value = detail.partition("=")
        changes[name] = [audit._plain(old), None if value == "None" else value]
    elif detail:
        changes["effect"] = detail
    return json.dumps({k: audit._plain(v) if not isinstance(v, list) else v for k, v in changes.items()},
                      ensure_ascii=False)


async def _audit_effects(conn, rule: Rule, fresh: list[dict], effects: dict[str, list[str]]) -> None:
    """One audit row per effect on a customer, by "rule:<name>", in the chunk's transaction and one statement."""
    by_key = {row["key"]: row for row in fresh}
    # Thousands of rows, few distinct changes (an effect, and for set_field the old value): encode each once.
    encoded: dict[tuple, str] = {}
    entries = []
    for key, done in effects.items():
        row = by_key[key]
        for effect in done:
            field = effect.partition(":")[2].partition("=")[0] if effect.startswith("set_field:") else None
            memo = (effect, audit._plain(row.get(field)) if field else None)
            if memo not in encoded:
                encoded[memo] = _audit_changes(rule, effect, row.get(field) if field else None)
            entries.append((effect.partition(":")[0], "Customer", row["id"], encoded[memo]))
    if entries:
        await audit.record_as(f"rule:{rule.name}", entries, using_db=conn)


async def run_scheduled(at: datetime | None = None) -> dict[int, int]:
    """Run every enabled scheduled rule whose schedule is due; return fired per rule that ran.

    Due means the rule's last run covered an earlier due time than the schedule's most recent one,
    so a pass missed while no worker ran happens once when one comes back. The run is recorded
    after the pass: a pass cut short is run again, and its firing keys keep what it did from doubling.
    A broken rule is logged and skipped.
    """
    from server.rules.builtin import seed_builtin_rules

    at = at or now()
    await seed_builtin_rules()
    covered = dict(await RuleRun.all().values_list("rule_id", "due_at"))
    fired: dict[int, int] = {}
    for rule in await Rule.filter(enabled=True, schedule__isnull=False).exclude(schedule="").order_by("id"):
        try:
            schedules.validate_schedule(rule.schedule)
            due, when = schedules.is_due(rule.schedule, covered.get(rule.id), at)
            if not due:
                continue
            started = now()
            fired[rule.id] = (await run_pass(rule, at)).fired
            await _record_run(rule.id, when, started, fired[rule.id])
        except Exception:  # one bad rule must not starve the others; the next pass retries it
            log.exception("rule %s (%s) failed", rule.id, rule.name)
    return fired


async def _record_run(rule_id: int, due_at: datetime, started: datetime, fired: int) -> None:
    values = {"due_at": due_at, "started_at": started, "finished_at": now(), "fired": fired}
    # Two workers finishing the same pass both write; the later due time wins, never an earlier one.
    if not await RuleRun.filter(rule_id=rule_id).exists():
        try:
            await RuleRun.create(rule_id=rule_id, **values)
            return
        except IntegrityError:
            pass
    await RuleRun.filter(rule_id=rule_id, due_at__lte=due_at).update(**values)

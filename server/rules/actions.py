"""What a rule does to the customers it fires for, applied to a whole chunk at once.

Actions are data:
    {"type": "add_tag", "tag": "潜在换车客户", "category": "PREDICTION"}
    {"type": "remove_tag", "tag": "..."}
    {"type": "set_field", "field": "lifecycle", "value": "DORMANT"}
    {"type": "create_task", "kind": "DORMANT_WAKE_UP", "title": "唤醒{{ name }}", "due_in_days": 1, "body": ""}
    {"type": "return_to_pool", "reason": "3天未跟进"}
    {"type": "assign", "user_id": 12}
    {"type": "emit", "topic": "rule.fired"}

Task titles and bodies are templates rendered with the customer's fields in a sandboxed Jinja2
environment (see task_templates.py); the older "{name}" placeholder still works.

Each function here runs inside the chunk's transaction, only for customers whose firing row was
just inserted, so every effect happens once per (rule, customer, period).
"""

import logging
from datetime import UTC, datetime, timedelta

from tortoise.timezone import now

from server.activity.models import Task
from server.auth.models import User
from server.auth.principal import SYSTEM
from server.bulk_insert import insert_rows
from server.customers.models import Customer
from server.enums import Grade, Intent, Lifecycle, OwnershipChangeKind, Role, TagCategory, TagSource, TaskKind, ValueTier
from server.events.models import OutboxEvent
from server.portrait.models import CustomerTag, Tag
from server.rules import task_templates
from server.rules.conditions import ConditionError
from server.sales.ownership import give, lock_rows, release

log = logging.getLogger(__name__)

TASK_COLUMNS = ["owner_id", "customer_id", "kind", "title", "body", "due_at", "status", "dedup_key", "rule_id",
                "created_at"]
SETTABLE = {"lifecycle": Lifecycle, "intent": Intent, "grade": Grade, "value_tier": ValueTier}


def validate(actions, path: str = "actions") -> None:
    if not isinstance(actions, list) or not actions:
        raise ConditionError(path, "needs a non-empty list of actions")
    for i, action in enumerate(actions):
        here = f"{path}[{i}]"
        kind = action.get("type") if isinstance(action, dict) else None
        if kind not in _VALIDATORS:
            raise ConditionError(here, f"type must be one of {sorted(_VALIDATORS)}")
        _VALIDATORS[kind](action, here)


def _validate_tag(action: dict, path: str) -> None:
    if not isinstance(action.get("tag"), str) or not action["tag"].strip() or len(action["tag"]) > 60:
        raise ConditionError(path, "tag needs a name of at most 60 characters")
    if action.get("category", "PREDICTION") not in {c.value for c in TagCategory}:
        raise ConditionError(path, f"category must be one of {[c.value for c in TagCategory]}")


def _validate_set_field(action: dict, path: str) -> None:
    enum = SETTABLE.get(action.get("field"))
    if enum is None:
        raise ConditionError(path, f"field must be one of {sorted(SETTABLE)}")
    if action.get("value") is not None and action.get("value") not in {e.value for e in enum}:
        raise ConditionError(path, f"value must be one of {[e.value for e in enum]} or null")


def _validate_task(action: dict, path: str) -> None:
    if not isinstance(action.get("title"), str) or not action["title"].strip():
        raise ConditionError(path, "create_task needs a title", "title")
    if len(action["title"]) > 200:
        raise ConditionError(path, "title is longer than 200 characters", "title")
    if action.get("kind", "FOLLOW_UP") not in {k.value for k in TaskKind}:
        raise ConditionError(path, f"kind must be one of {[k.value for k in TaskKind]}", "kind")
    due = action.get("due_in_days", 0)
    if isinstance(due, bool) or not isinstance(due, int) or not 0 <= due <= 365:
        raise ConditionError(path, "due_in_days must be a whole number from 0 to 365", "due_in_days")
    for key in ("title", "body"):
        if not isinstance(action.get(key, ""), str):
            raise ConditionError(path, f"{key} must be text", key)
        problem = task_templates.check(action.get(key, ""))
        if problem:
            raise ConditionError(path, f"{key} is not a valid template: {problem}", key)


def _validate_return(action: dict, path: str) -> None:
    reason = action.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 200:
        raise ConditionError(path, "reason must be text of at most 200 characters", "reason")


def _validate_assign(action: dict, path: str) -> None:
    user_id = action.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
        raise ConditionError(path, "assign needs the user_id of a consultant or manager", "user_id")


def _validate_emit(action: dict, path: str) -> None:
    if not isinstance(action.get("topic"), str) or not action["topic"].strip():
        raise ConditionError(path, "emit needs a topic")
    if not isinstance(action.get("payload", {}), dict):
        raise ConditionError(path, "payload must be an object")


_VALIDATORS = {"add_tag": _validate_tag, "remove_tag": _validate_tag, "set_field": _validate_set_field,
               "create_task": _validate_task, "emit": _validate_emit, "return_to_pool": _validate_return,
               "assign": _validate_assign}


async def check_assignees(actions: list[dict], path: str = "actions") -> None:
    """Raise ConditionError if an assign action names nobody who can hold customers."""
    for i, action in enumerate(actions):
        if action.get("type") == "assign":
            user = await User.get_or_none(id=action["user_id"], is_active=True)
            if user is None or user.role is Role.ADMIN:
                raise ConditionError(f"{path}[{i}]", "no such active consultant or manager", "user_id")


async def ensure_tags(actions: list[dict]) -> dict[str, int]:
    """Tag name → id for every add_tag, creating missing tags (safe when two passes race)."""
    wanted = {a["tag"].strip(): a.get("category", "PREDICTION") for a in actions if a["type"] == "add_tag"}
    if wanted:
        await Tag.bulk_create([Tag(name=n, category=c) for n, c in wanted.items()], ignore_conflicts=True)
    names = wanted | {a["tag"].strip(): None for a in actions if a["type"] == "remove_tag"}
    return dict(await Tag.filter(name__in=list(names)).values_list("name", "id")) if names else {}


async def apply(rule_id: int, actions: list[dict], fired: list[dict], tag_ids: dict[str, int],
                at: datetime, conn) -> dict[str, list[str]]:
    """Apply actions to `fired` rows ({id, name, owner_id, key}); return each firing key's effects."""
    effects: dict[str, list[str]] = {row["key"]: [] for row in fired}
    ids = [row["id"] for row in fired]
    for i, action in enumerate(actions):
        kind = action["type"]
        if kind == "add_tag" and (tag_id := tag_ids.get(action["tag"].strip())):
            await insert_rows(conn, CustomerTag._meta.db_table,
                              ["customer_id", "tag_id", "source", "rule_id", "created_at"],
                              [[c, tag_id, TagSource.RULE, rule_id, now()] for c in ids],
                              conflict=["customer_id", "tag_id"])
            _note(effects, fired, f"add_tag:{action['tag']}")
        elif kind == "remove_tag" and (tag_id := tag_ids.get(action["tag"].strip())):
            await CustomerTag.filter(customer_id__in=ids, tag_id=tag_id).using_db(conn).delete()
            _note(effects, fired, f"remove_tag:{action['tag']}")
        elif kind == "set_field":
            await _set_field(conn, ids, action["field"], action["value"], at)
            _note(effects, fired, f"set_field:{action['field']}={action['value']}")
        elif kind == "create_task":
            owned = [row for row in fired if row["owner_id"]]  # a pool customer has nobody to remind
            title, body = action["title"], action.get("body", "")
            wanted = task_templates.needs(title) | task_templates.needs(body)
            if wanted <= {"name"}:  # the chunk was read with the names: no query for them
                facts = {row["id"]: {"name": "" if row["name"] is None else str(row["name"])} for row in owned}
            else:
                facts = await task_templates.facts([row["id"] for row in owned], conn, wanted) if owned else {}
            # A template naming no fact (often the body) reads the same for everyone: rendered once.
            fixed_title = None if task_templates.needs(title) else task_templates.render(title, {})[:200]
            fixed_body = None if task_templates.needs(body) else task_templates.render(body, {})
            due = at + timedelta(days=action.get("due_in_days", 0))
            created = now()
            await insert_rows(conn, Task._meta.db_table, TASK_COLUMNS, [
                [row["owner_id"], row["id"], action.get("kind", "FOLLOW_UP"),
                 fixed_title if fixed_title is not None else task_templates.render(title, facts[row["id"]])[:200],
                 fixed_body if fixed_body is not None else task_templates.render(body, facts[row["id"]]), due, "OPEN",
                 f"{row['key']}:{i}", rule_id, created] for row in owned
            ], conflict=["dedup_key"])
            _note(effects, owned, f"create_task:{action.get('kind', 'FOLLOW_UP')}")
        elif kind == "return_to_pool":
            # The pool's own set-based release: logged, audited, open tasks cancelled, event emitted.
            moved = set(await release(SYSTEM, await lock_rows(ids, conn), OwnershipChangeKind.AUTO_RETURN,
                                      action.get("reason") or "rule"))
            for row in fired:
                if row["id"] in moved:
                    row["owner_id"] = None  # later actions of this rule see the customer in the pool
            _note(effects, [row for row in fired if row["id"] in moved], "return_to_pool")
        elif kind == "assign":
            user = await User.get_or_none(id=action["user_id"], is_active=True, using_db=conn)
            if user is None or user.role is Role.ADMIN:
                log.warning("rule %s assigns to user %s, who cannot hold customers: skipped", rule_id, action["user_id"])
                continue
            moved = set(await give(SYSTEM, await lock_rows(ids, conn), user, OwnershipChangeKind.ASSIGN))
            for row in fired:
                if row["id"] in moved:
                    row["owner_id"] = user.id
            _note(effects, [row for row in fired if row["id"] in moved], f"assign:{user.username}")
        elif kind == "emit":
            await OutboxEvent.bulk_create([
                OutboxEvent(topic=action["topic"], dedup_key=f"{row['key']}:{i}",
                            payload={"rule_id": rule_id, "customer_id": row["id"], **action.get("payload", {})})
                for row in fired
            ], ignore_conflicts=True, using_db=conn)
            _note(effects, fired, f"emit:{action['topic']}")
    return effects


async def _set_field(conn, ids: list[int], field: str, value: str | None, at: datetime) -> None:
    """One plain UPDATE: a queryset's update built a parameter object per id, thousands per chunk."""
    column = Customer._meta.fields_map[field].source_field or field  # field is one of SETTABLE (validated)
    # Bump version so an edit made from a page loaded before the pass is a conflict, not an overwrite.
    sql = f'UPDATE "{Customer._meta.db_table}" SET "{column}" = {{}}, version = version + 1, updated_at = {{}} WHERE id '
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query(sql.format("$1", "$2") + "= ANY($3::bigint[])", [value, at, ids])
    else:
        await conn.execute_query(sql.format("?", "?") + f"IN ({', '.join('?' * len(ids))})",
                                 [value, str(at.astimezone(UTC)), *ids])


def _note(effects: dict[str, list[str]], rows: list[dict], what: str) -> None:
    for row in rows:
        effects[row["key"]].append(what)

"""What a rule does to the customers it fires for, applied to a whole chunk at once.

Actions are data:
    {"type": "add_tag", "tag": "潜在换车客户", "category": "PREDICTION"}
    {"type": "remove_tag", "tag": "..."}
    {"type": "set_field", "field": "lifecycle", "value": "DORMANT"}
    {"type": "create_task", "kind": "DORMANT_WAKE_UP", "title": "唤醒{name}", "due_in_days": 1, "body": ""}
    {"type": "emit", "topic": "rule.fired"}

Each function here runs inside the chunk's transaction, only for customers whose firing row was
just inserted, so every effect happens once per (rule, customer, period).
"""

from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.timezone import now

from server.activity.models import Task
from server.bulk_insert import insert_rows
from server.customers.models import Customer
from server.enums import Grade, Intent, Lifecycle, TagCategory, TagSource, TaskKind, ValueTier
from server.events.models import OutboxEvent
from server.portrait.models import CustomerTag, Tag
from server.rules.conditions import ConditionError

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
        raise ConditionError(path, "create_task needs a title")
    if action.get("kind", "FOLLOW_UP") not in {k.value for k in TaskKind}:
        raise ConditionError(path, f"kind must be one of {[k.value for k in TaskKind]}")
    due = action.get("due_in_days", 0)
    if isinstance(due, bool) or not isinstance(due, int) or due < 0:
        raise ConditionError(path, "due_in_days must be a whole number ≥ 0")


def _validate_emit(action: dict, path: str) -> None:
    if not isinstance(action.get("topic"), str) or not action["topic"].strip():
        raise ConditionError(path, "emit needs a topic")
    if not isinstance(action.get("payload", {}), dict):
        raise ConditionError(path, "payload must be an object")


_VALIDATORS = {"add_tag": _validate_tag, "remove_tag": _validate_tag, "set_field": _validate_set_field,
               "create_task": _validate_task, "emit": _validate_emit}


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
            # Bump version so an edit made from a page loaded before the pass is a conflict, not an overwrite.
            await Customer.filter(id__in=ids).using_db(conn).update(
                **{action["field"]: action["value"]}, version=F("version") + 1, updated_at=at)
            _note(effects, fired, f"set_field:{action['field']}={action['value']}")
        elif kind == "create_task":
            owned = [row for row in fired if row["owner_id"]]  # a pool customer has nobody to remind
            due = at + timedelta(days=action.get("due_in_days", 0))
            await insert_rows(conn, Task._meta.db_table, TASK_COLUMNS, [
                [row["owner_id"], row["id"], action.get("kind", "FOLLOW_UP"),
                 action["title"].replace("{name}", row["name"])[:200], action.get("body", ""), due, "OPEN",
                 f"{row['key']}:{i}", rule_id, now()] for row in owned
            ], conflict=["dedup_key"])
            _note(effects, owned, f"create_task:{action.get('kind', 'FOLLOW_UP')}")
        elif kind == "emit":
            await OutboxEvent.bulk_create([
                OutboxEvent(topic=action["topic"], dedup_key=f"{row['key']}:{i}",
                            payload={"rule_id": rule_id, "customer_id": row["id"], **action.get("payload", {})})
                for row in fired
            ], ignore_conflicts=True, using_db=conn)
            _note(effects, fired, f"emit:{action['topic']}")
    return effects


def _note(effects: dict[str, list[str]], rows: list[dict], what: str) -> None:
    for row in rows:
        effects[row["key"]].append(what)

"""Writing the audit log: field diffs of changes and reveals of personal fields."""

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from server.audit.models import AuditLog
from server.auth.principal import Principal


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for every field whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if _plain(before.get(key)) != _plain(value)
    }


async def record(
    principal: Principal,
    action: str,
    obj_type: str,
    obj_id,
    changes: dict | None = None,
) -> AuditLog:
    return await AuditLog.create(
        actor_user_id=principal.user_id,
        actor_token_id=principal.token_id,
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        changes={k: _plain(v) if not isinstance(v, list) else v for k, v in (changes or {}).items()},
        ip=principal.ip[:64],
        user_agent=principal.user_agent[:255],
    )


async def record_many(principal: Principal, action: str, obj_type: str, entries: list[tuple[object, dict]]) -> None:
    """One audit entry per (object id, changes), written in one statement (bulk moves)."""
    await AuditLog.bulk_create([
        AuditLog(
            actor_user_id=principal.user_id,
            actor_token_id=principal.token_id,
            action=action,
            object_type=obj_type,
            object_id=str(obj_id),
            changes={k: _plain(v) if not isinstance(v, list) else v for k, v in changes.items()},
            ip=principal.ip[:64],
            user_agent=principal.user_agent[:255],
        )
        for obj_id, changes in entries
    ], batch_size=500)


async def record_as(actor: str, entries: list[tuple[str, str, object, dict | str]], using_db=None) -> None:
    """Entries (action, object type, object id, changes) by an actor that is not a person or a token,
    e.g. "rule:客户生日提醒", inside the caller's transaction. `changes` may come already encoded as
    JSON text, for callers whose thousands of rows share a few distinct changes.

    A plain bulk insert: a rule pass writes tens of thousands of these, and building a model
    instance for each cost more than the rest of the pass.
    """
    from tortoise import Tortoise
    from tortoise.timezone import now

    from server.bulk_insert import insert_rows

    created = now()
    await insert_rows(using_db or Tortoise.get_connection("default"), AuditLog._meta.db_table,
                      ["actor", "action", "object_type", "object_id", "changes", "ip", "user_agent", "created_at"], [
                          [actor[:160], action[:40], obj_type, str(obj_id),
                           changes if isinstance(changes, str) else
                           json.dumps({k: _plain(v) if not isinstance(v, list) else v for k, v in changes.items()},
                                      ensure_ascii=False), "", "", created]
                          for action, obj_type, obj_id, changes in entries
                      ], conflict=["id"], casts={"changes": "jsonb"})

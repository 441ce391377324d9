"""Moving customers between owners and the pool, set-based: the one place that changes
`Customer.owner`, logs the move, audits it and tells the new owner.

Callers (pool.py, assignment.py) decide who may move what; these functions only move.
"""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from tortoise.expressions import F
from tortoise.timezone import now

from server import config
from server.activity.models import Task
from server.audit import services as audit
from server.auth.models import User
from server.auth.principal import Principal
from server.customers.models import Customer
from server.enums import OpportunityStatus, OwnershipChangeKind, TaskKind, TaskStatus
from server.errors import ErrorCode, UserError
from server.events.services import emit
from server.sales.models import Opportunity, OwnershipChange

TASK_TITLES = {
    OwnershipChangeKind.ROUTE: "新线索：{name}",
    OwnershipChangeKind.ASSIGN: "分配给你的客户：{name}",
}


def start_of_local_day(moment: datetime | None = None) -> datetime:
    """Midnight of the dealership's day (caps count per local day, not per UTC day), in UTC.

    In UTC because SQLite compares stored times as text: a +08:00 bound sorts after the same
    day's UTC rows, and every claim made between 16:00 and 24:00 UTC went uncounted.
    """
    zone = ZoneInfo(config.settings.timezone)
    local = (moment or now()).astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


async def lock_rows(customer_ids: list[int], conn=None, *, where=None, limit: int | None = None,
                    skip_locked: bool = False) -> list[dict]:
    """Id, name and owner of live customers, locked on PostgreSQL until the transaction ends."""
    query = Customer.filter(id__in=customer_ids) if where is None else Customer.filter(where)
    query = query.filter(merged_into_id__isnull=True).order_by("id")
    if limit is not None:
        query = query.limit(limit)
    if conn is not None:
        query = query.using_db(conn)
        if conn.capabilities.dialect == "postgres":
            # Model rows, not .values(): Tortoise drops FOR UPDATE from values queries.
            query = query.select_for_update(skip_locked=skip_locked)
    rows = await query.only("id", "name", "owner_id")
    return [{"id": r.id, "name": r.name, "owner_id": r.owner_id} for r in rows]


async def give(principal: Principal, rows: list[dict], to_user: User, kind: OwnershipChangeKind) -> list[int]:
    """Give the customers in `rows` (id, name, owner_id, as locked) to `to_user`; return the ids moved.

    Customers the user already owns are left alone. The former owner's open tasks and open
    opportunities on the customer go with it, so nothing is left with someone who may not see it.
    """
    moving = [r for r in rows if r["owner_id"] != to_user.id]
    if not moving:
        return []
    ids = [r["id"] for r in moving]
    owned = [r["id"] for r in moving if r["owner_id"] is not None]
    moment = now()
    if owned:
        await Customer.filter(id__in=owned).update(previous_owner_id=F("owner_id"))
    updated = await Customer.filter(id__in=ids).update(
        owner_id=to_user.id, team_id=to_user.team_id, assigned_at=moment, pool_entered_at=None,
        version=F("version") + 1,
    )
    if updated != len(ids):
        raise UserError(ErrorCode.CONFLICT, "some customers changed while being moved: try again", "customer_ids")
    if owned:
        await Task.filter(customer_id__in=owned, status=TaskStatus.OPEN).exclude(owner_id=to_user.id).update(
            owner_id=to_user.id
        )
        await Opportunity.filter(customer_id__in=owned, status=OpportunityStatus.OPEN).update(owner_id=to_user.id)
    await _log(principal, kind, [(r["id"], r["owner_id"], to_user.id) for r in moving])
    if kind in TASK_TITLES and to_user.id != principal.user_id:
        await Task.bulk_create([
            Task(owner_id=to_user.id, kind=TaskKind.ASSIGNED, title=TASK_TITLES[kind].format(name=r["name"])[:200],
                 due_at=moment, customer_id=r["id"])
            for r in moving
        ], batch_size=500)
    return ids


async def release(principal: Principal, rows: list[dict], kind: OwnershipChangeKind, reason: str = "") -> list[int]:
    """Put owned customers back in the pool; return the ids moved. Their open tasks are cancelled."""
    moving = [r for r in rows if r["owner_id"] is not None]
    if not moving:
        return []
    ids = [r["id"] for r in moving]
    await Customer.filter(id__in=ids, owner_id__isnull=False).update(previous_owner_id=F("owner_id"))
    updated = await Customer.filter(id__in=ids, owner_id__isnull=False).update(
        owner_id=None, pool_entered_at=now(), version=F("version") + 1
    )
    if updated != len(ids):
        raise UserError(ErrorCode.CONFLICT, "some customers changed while being moved: try again", "customer_ids")
    await Task.filter(customer_id__in=ids, status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED)
    await _log(principal, kind, [(r["id"], r["owner_id"], None) for r in moving], reason)
    return ids


async def _log(principal: Principal, kind: OwnershipChangeKind, moves: list[tuple[int, int | None, int | None]],
               reason: str = "") -> None:
    await OwnershipChange.bulk_create([
        OwnershipChange(customer_id=c, kind=kind, from_user_id=f, to_user_id=t, actor_user_id=principal.user_id)
        for c, f, t in moves
    ], batch_size=500)
    extra = {"reason": reason} if reason else {}
    await audit.record_many(principal, kind.value.lower(), "Customer",
                            [(c, {"owner_id": [f, t], **extra}) for c, f, t in moves])
    await emit("customers.moved", {"kind": kind.value, "customer_ids": [c for c, _, _ in moves]})

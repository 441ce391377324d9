"""The public pool (公海): claiming with caps and a cooling-off period, giving customers back,
and the scheduled pass that returns customers nobody followed up.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Task
from server.auth.models import User
from server.auth.principal import SYSTEM, Principal
from server.auth.scope import customer_q
from server.customers.models import Customer
from server.enums import Lifecycle, OpportunityStatus, OwnershipChangeKind, TaskKind
from server.errors import ErrorCode, UserError, UserErrors
from server.sales import policy
from server.sales.models import Opportunity, OwnershipChange
from server.sales.ownership import give, lock_rows, release, start_of_local_day

MAX_BATCH = 100
CHUNK = 500


@dataclass(frozen=True)
class Allowance:
    """How many more customers someone may take from the pool."""

    holding: int
    holding_cap: int
    claimed_today: int
    daily_claim_cap: int

    @property
    def remaining(self) -> int:
        return max(0, min(self.holding_cap - self.holding, self.daily_claim_cap - self.claimed_today))


async def allowance(user_id: int, conn=None) -> Allowance:
    rules = policy.POLICY
    # Buyers stay with their consultant for after-sales care and do not count against the cap.
    holding = Customer.filter(owner_id=user_id, merged_into_id__isnull=True).exclude(lifecycle=Lifecycle.CUSTOMER)
    claimed = OwnershipChange.filter(to_user_id=user_id, kind=OwnershipChangeKind.CLAIM,
                                     created_at__gte=start_of_local_day())
    if conn is not None:
        holding, claimed = holding.using_db(conn), claimed.using_db(conn)
    return Allowance(await holding.count(), rules.pool_holding_cap, await claimed.count(), rules.pool_daily_claim_cap)


def _unique(ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise UserError(ErrorCode.REQUIRED, "name at least one customer", "customer_ids")
    if len(ids) > MAX_BATCH:
        raise UserError(ErrorCode.LIMIT_EXCEEDED, f"at most {MAX_BATCH} customers at a time", "customer_ids")
    return ids


async def claim_from_pool(principal: Principal, customer_ids: list[int]) -> list[int]:
    """Take pool customers as one's own; all or nothing. Returns the ids claimed."""
    if principal.user_id is None:
        raise UserError(ErrorCode.FORBIDDEN, "only a staff member can claim customers", "customer_ids")
    ids = _unique(customer_ids)
    user = await User.get(id=principal.user_id)
    async with in_transaction() as conn:
        rows = await lock_rows(ids, conn)
        in_pool = set(await Customer.filter(customer_q(principal), id__in=ids, owner_id__isnull=True)
                      .using_db(conn).values_list("id", flat=True))
        missing = [i for i in ids if i not in in_pool]
        if missing:
            raise UserError(ErrorCode.NOT_FOUND, "not in the pool (someone may have claimed it first)",
                            "customer_ids", ids=missing)
        await _check_cooling_off(principal.user_id, ids, conn)
        left = await allowance(principal.user_id, conn)
        errors = []
        if left.holding + len(ids) > left.holding_cap:
            errors.append(UserError(ErrorCode.LIMIT_EXCEEDED,
                                    f"you may hold at most {left.holding_cap} customers; you hold {left.holding}",
                                    "customer_ids"))
        if left.claimed_today + len(ids) > left.daily_claim_cap:
            errors.append(UserError(ErrorCode.LIMIT_EXCEEDED,
                                    f"you may claim {left.daily_claim_cap} customers a day; "
                                    f"you have claimed {left.claimed_today} today", "customer_ids"))
        if errors:
            raise UserErrors(errors)
        return await give(principal, rows, user, OwnershipChangeKind.CLAIM)


async def _check_cooling_off(user_id: int, ids: list[int], conn) -> None:
    days = policy.POLICY.pool_cooling_off_days
    if not days:
        return
    given_back = await OwnershipChange.filter(
        customer_id__in=ids, from_user_id=user_id, to_user_id__isnull=True, created_at__gte=now() - timedelta(days=days)
    ).using_db(conn).values_list("customer_id", flat=True)
    if given_back:
        raise UserError(ErrorCode.FORBIDDEN,
                        f"you gave these customers back less than {days} days ago", "customer_ids",
                        ids=sorted(set(given_back)))


async def return_to_pool(principal: Principal, customer_ids: list[int], reason: str = "") -> list[int]:
    """Give owned customers back to the pool (the owner themself, their manager or an admin)."""
    ids = _unique(customer_ids)
    reason = reason.strip()
    if len(reason) > 200:
        raise UserError(ErrorCode.INVALID, "reason is longer than 200 characters", "reason")
    async with in_transaction() as conn:
        allowed = set(await Customer.filter(customer_q(principal, for_write=True), id__in=ids, owner_id__isnull=False)
                      .using_db(conn).values_list("id", flat=True))
        missing = [i for i in ids if i not in allowed]
        if missing:
            raise UserError(ErrorCode.NOT_FOUND, "customer not found, not yours, or already in the pool",
                            "customer_ids", ids=missing)
        rows = await lock_rows(ids, conn)
        return await release(principal, rows, OwnershipChangeKind.RETURN, reason)


# --- the scheduled pass -------------------------------------------------------------------


def _quiet_since(cutoff: datetime) -> Q:
    """Nobody contacted the customer, and it was neither created nor assigned, after `cutoff`."""
    return (
        (Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff))
        & (Q(assigned_at__isnull=True) | Q(assigned_at__lt=cutoff))
        & Q(created_at__lt=cutoff)
    )


def due_for_return(at: datetime) -> Q:
    """Owned customers that, judged at moment `at`, have waited too long; the exemptions applied."""
    rules = policy.POLICY
    stale = Q(grade__isnull=True) & _quiet_since(at - timedelta(days=rules.return_days(None)))
    for grade, days in rules.pool_return_days.items():
        if grade != policy.UNGRADED:
            stale |= Q(grade=grade) & _quiet_since(at - timedelta(days=days))
    if rules.pool_no_opportunity_days:
        cutoff = at - timedelta(days=rules.pool_no_opportunity_days)
        held = Q(assigned_at__lt=cutoff) | (Q(assigned_at__isnull=True) & Q(created_at__lt=cutoff))
        recent = Subquery(Opportunity.filter(created_at__gte=cutoff).values("customer_id"))
        stale |= held & ~Q(id__in=recent)
    open_deal = Subquery(Opportunity.filter(status=OpportunityStatus.OPEN).values("customer_id"))
    recent_win = Subquery(Opportunity.filter(
        status=OpportunityStatus.WON, closed_at__gte=at - timedelta(days=rules.pool_recent_deal_days)
    ).values("customer_id"))
    return (
        Q(owner_id__isnull=False, merged_into_id__isnull=True)
        & ~Q(id__in=open_deal) & ~Q(id__in=recent_win)
        & stale
    )


@dataclass(frozen=True)
class PassResult:
    returned: int
    reminded: int


async def run_pool_pass(at: datetime | None = None) -> PassResult:
    """Return every overdue customer to the pool and remind the owners of those soon due.

    Set-based: the database picks the customers, a chunk at a time, each chunk in one
    transaction. Running it twice changes nothing the second time.
    """
    moment = at or now()
    returned = 0
    while True:
        async with in_transaction() as conn:
            # Another worker's pass skips the rows this one holds, so two passes never collide.
            rows = await lock_rows([], conn, where=due_for_return(moment), limit=CHUNK, skip_locked=True)
            if not rows:
                break
            returned += len(await release(SYSTEM, rows, OwnershipChangeKind.AUTO_RETURN, "not followed up in time"))
    return PassResult(returned=returned, reminded=await _remind(moment))


async def _remind(moment: datetime) -> int:
    days = policy.POLICY.pool_reminder_days
    if not days:
        return 0
    created = 0
    last_id = 0
    while True:
        rows = list(await Customer.filter(due_for_return(moment + timedelta(days=days)), id__gt=last_id)
                    .order_by("id").limit(CHUNK).values("id", "name", "owner_id", "last_contact_at", "assigned_at"))
        if not rows:
            return created
        last_id = rows[-1]["id"]
        # One reminder per owner and quiet spell: a later contact starts a new spell.
        keyed = {_reminder_key(r): r for r in rows}
        existing = set(await Task.filter(dedup_key__in=list(keyed)).values_list("dedup_key", flat=True))
        fresh = [Task(owner_id=r["owner_id"], kind=TaskKind.FOLLOW_UP, customer_id=r["id"], due_at=moment,
                      title=f"跟进{r['name']}，否则{days}天内退回公海"[:200], dedup_key=key)
                 for key, r in keyed.items() if key not in existing]
        await Task.bulk_create(fresh, ignore_conflicts=True)
        created += len(fresh)


def _reminder_key(row: dict) -> str:
    moments = [t for t in (row["last_contact_at"], row["assigned_at"]) if t]
    spell = max(moments) if moments else None
    return f"pool-return:{row['id']}:{row['owner_id']}:{spell.isoformat() if spell else '-'}"

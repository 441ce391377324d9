"""Logging what happened with a customer, as it happens."""

from datetime import datetime, timedelta

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Interaction, Task
from server.activity.tasks import create_task
from server.audit import services as audit
from server.auth.principal import Principal
from server.customers.models import Contact, Customer
from server.customers.services import get_visible_customer
from server.enums import Channel, Direction, InteractionKind, TaskKind, TaskStatus
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.portrait.suggestions import current_catalog, facts_document
from server.sales import policy

MAX_SUMMARY = 5000
# A note is written about a customer, not with them: it follows nobody up.
NOT_A_CONTACT = {InteractionKind.NOTE}


async def log_interaction(principal: Principal, customer_id: int, **fields) -> Interaction:
    """Log a contact on a customer `principal` may write on; `fields` as log_interaction_on takes them."""
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    return await log_interaction_on(principal, customer, **fields)


async def log_interaction_on(
    principal: Principal,
    customer: Customer,
    *,
    kind: InteractionKind,
    summary: str = "",
    channel: Channel | None = None,
    direction: Direction = Direction.OUTBOUND,
    occurred_at: datetime | None = None,
    next_step: str = "",
    next_follow_up_at: datetime | None = None,
    contact_id: int | None = None,
) -> Interaction:
    """log_interaction for a customer the caller has already decided `principal` may write on
    (the showroom desk logs a walk-in on whoever walks in, whoever owns them)."""
    errors = []
    moment = occurred_at or now()
    if moment > now():
        errors.append(UserError(ErrorCode.INVALID, "an interaction cannot happen in the future", "occurred_at"))
    if len(summary) > MAX_SUMMARY:
        errors.append(UserError(ErrorCode.INVALID, f"summary is longer than {MAX_SUMMARY} characters", "summary"))
    if next_follow_up_at is not None and next_follow_up_at < moment:
        errors.append(UserError(ErrorCode.INVALID, "the next follow-up must be after the interaction", "next_follow_up_at"))
    if contact_id is not None and not await Contact.filter(id=contact_id, customer_id=customer.id).exists():
        errors.append(UserError(ErrorCode.INVALID, "contact does not belong to this customer", "contact_id"))
    if errors:
        raise UserErrors(errors)
    # Read the note's facts as it is logged: well under a millisecond a note (bench/extraction).
    facts = facts_document(summary.strip(), await current_catalog()) if summary.strip() else {}
    async with in_transaction():
        interaction = await Interaction.create(
            customer_id=customer.id,
            contact_id=contact_id,
            user_id=principal.user_id,
            kind=kind,
            channel=channel,
            direction=direction,
            occurred_at=moment,
            summary=summary.strip(),
            next_step=next_step.strip()[:255],
            next_follow_up_at=next_follow_up_at,
            facts=facts,
        )
        changes = {}
        if customer.last_contact_at is None or moment > customer.last_contact_at:
            changes["last_contact_at"] = moment
        follow_up_at = next_follow_up_at or _by_cadence(principal, customer, interaction)
        if follow_up_at is not None:
            changes["next_follow_up_at"] = follow_up_at
        if changes:
            await Customer.filter(id=customer.id).update(**changes)
        await _roll_follow_ups(principal, customer, interaction, follow_up_at)
        await audit.record(principal, "create", "Interaction", interaction.id, {"kind": kind.value, "customer_id": customer.id})
        await emit("interaction.logged", {"customer_id": customer.id, "interaction_id": interaction.id})
    return interaction


def _is_follow_up(principal: Principal, interaction: Interaction) -> bool:
    # A message the customer sent on their own (logged by the system) is not staff following up.
    by_staff = principal.user_id is not None or interaction.direction is Direction.OUTBOUND
    return interaction.kind not in NOT_A_CONTACT and by_staff


def _by_cadence(principal: Principal, customer: Customer, interaction: Interaction) -> datetime | None:
    """When a graded customer is due next after this follow-up, by the grade's cadence."""
    days = policy.POLICY.cadence_days(customer.grade)
    if days is None or not _is_follow_up(principal, interaction):
        return None
    return interaction.occurred_at + timedelta(days=days)


async def _roll_follow_ups(principal: Principal, customer: Customer, interaction: Interaction,
                           follow_up_at: datetime | None) -> None:
    """A contact is the follow-up that was due: it closes the open ones on this customer, and the
    next follow-up (the date named, else the grade's cadence) becomes the owner's reminder, so
    今日 shows what is next."""
    if _is_follow_up(principal, interaction):
        await Task.filter(customer_id=customer.id, kind=TaskKind.FOLLOW_UP, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, completed_at=now()
        )
    if follow_up_at is None:
        return
    # The owner follows the customer up; a token or an admin writing on a pool customer names no one.
    owner_id = customer.owner_id or principal.user_id
    if owner_id is None:
        return
    if interaction.next_follow_up_at is None:
        title = f"回访{customer.name}（{customer.grade.value}级）"
    else:
        title = interaction.next_step or interaction.summary.split("\n")[0] or customer.name
    await create_task(owner_id, TaskKind.FOLLOW_UP, title, follow_up_at,
                      customer_id=customer.id, body=interaction.summary[:500])

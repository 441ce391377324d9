"""Logging what happened with a customer, as it happens."""

from datetime import datetime

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Interaction
from server.audit import services as audit
from server.auth.principal import Principal
from server.customers.models import Contact, Customer
from server.customers.services import get_visible_customer
from server.enums import Channel, Direction, InteractionKind
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit

MAX_SUMMARY = 5000


async def log_interaction(
    principal: Principal,
    customer_id: int,
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
    customer = await get_visible_customer(principal, customer_id, for_write=True)
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
        )
        changes = {}
        if customer.last_contact_at is None or moment > customer.last_contact_at:
            changes["last_contact_at"] = moment
        if next_follow_up_at is not None:
            changes["next_follow_up_at"] = next_follow_up_at
        if changes:
            await Customer.filter(id=customer.id).update(**changes)
        await audit.record(principal, "create", "Interaction", interaction.id, {"kind": kind.value, "customer_id": customer.id})
        await emit("interaction.logged", {"customer_id": customer.id, "interaction_id": interaction.id})
    return interaction

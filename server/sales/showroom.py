"""The showroom traffic log (展厅客流): reception records each walk-in in a few taps.

A walk-in who gives a phone number goes through the one ingestion pipeline (channel SHOWROOM):
the same phone is the same customer; otherwise a new lead. The consultant who receives them
becomes the owner of a new or pool customer; an owned customer keeps their owner, who is told
when someone else received them. The visit is logged on the customer's timeline as a VISIT,
so follow-up cadence, tasks and rules run as for any contact.

A walk-in who gives no phone is still counted (traffic is traffic) with the name or
description the desk noted, and no customer: nothing to match them by, and a nameless lead
nobody can call would only clutter the pool.

Anyone on the staff may record a walk-in (reception is often the consultant on duty); an API
token needs the write scope. Reading is scoped by `showroom_visit_q`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.services import log_interaction_on
from server.activity.tasks import create_task
from server.audit import services as audit
from server.auth.models import User
from server.auth.principal import Principal
from server.auth.scope import showroom_visit_q
from server.customers.models import Customer
from server.customers.normalize import InvalidValue, clean_name, clean_text, normalize_phone, pinyin_keys
from server.enums import Channel, Direction, InteractionKind, OwnershipChangeKind, Role, SourceRecordStatus, TaskKind
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.ingestion.services import Incoming, ingest
from server.sales.models import ShowroomVisit, VehicleModel
from server.sales.ownership import give, lock_rows

MAX_PARTY = 50
MAX_NOTE = 1000
# Clocks on phones drift: a moment a few minutes ahead is "now", not the future.
CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class WalkIn:
    visit: ShowroomVisit
    customer_id: int | None
    new_lead: bool


def _moment(value: datetime | None, field: str, errors: list[UserError]) -> datetime:
    moment = value or now()
    if moment > now() + CLOCK_SLACK:
        errors.append(UserError(ErrorCode.INVALID, "this moment is in the future", field))
    return moment


async def _consultant(consultant_id: int | None, errors: list[UserError]) -> User | None:
    if consultant_id is None:
        return None
    user = await User.get_or_none(id=consultant_id, is_active=True)
    # Customers are owned by consultants and managers (as in assignCustomers), never by admins.
    if user is None or user.role is Role.ADMIN:
        errors.append(UserError(ErrorCode.NOT_FOUND, "no such consultant or manager", "consultant_id"))
        return None
    return user


async def record_walk_in(
    principal: Principal,
    *,
    phone: str | None = None,
    name: str = "",
    party_size: int = 1,
    arrived_at: datetime | None = None,
    consultant_id: int | None = None,
    vehicle_model_id: int | None = None,
    is_first_visit: bool | None = None,
    note: str = "",
) -> WalkIn:
    """Log a walk-in; `is_first_visit` None means: first unless the customer visited before."""
    errors: list[UserError] = []
    try:
        phone = normalize_phone(phone)
    except InvalidValue as exc:
        errors.append(UserError(ErrorCode.INVALID, str(exc), "phone"))
    name = clean_name(name)
    if len(name) > 100:
        errors.append(UserError(ErrorCode.INVALID, "name is longer than 100 characters", "name"))
    if not 1 <= party_size <= MAX_PARTY:
        errors.append(UserError(ErrorCode.INVALID, f"a party of 1 to {MAX_PARTY} people", "party_size"))
    moment = _moment(arrived_at, "arrived_at", errors)
    note = clean_text(note)
    if len(note) > MAX_NOTE:
        errors.append(UserError(ErrorCode.INVALID, f"note is longer than {MAX_NOTE} characters", "note"))
    consultant = await _consultant(consultant_id, errors)
    model = await VehicleModel.get_or_none(id=vehicle_model_id) if vehicle_model_id is not None else None
    if vehicle_model_id is not None and model is None:
        errors.append(UserError(ErrorCode.NOT_FOUND, "no such vehicle model", "vehicle_model_id"))
    if errors:
        raise UserErrors(errors)

    async with in_transaction() as conn:
        customer_id, new_lead = None, False
        if phone:
            customer_id, new_lead = await _match_or_create(principal, phone, name, model)
        customer = None
        if customer_id is not None:
            rows = await lock_rows([customer_id], conn)
            if consultant is not None and rows and rows[0]["owner_id"] is None:
                # A new lead or a pool customer: whoever receives them at the desk takes them on.
                await give(principal, rows, consultant, OwnershipChangeKind.ASSIGN)
            customer = await Customer.get(id=customer_id)
        first = is_first_visit
        if first is None:
            first = customer is None or not await ShowroomVisit.filter(
                customer_id=customer.id, arrived_at__lt=moment).exists()
        interaction = None
        if customer is not None:
            interaction = await log_interaction_on(
                principal, customer, kind=InteractionKind.VISIT, channel=Channel.SHOWROOM,
                direction=Direction.INBOUND, occurred_at=min(moment, now()),
                summary=_summary(first, party_size, consultant, model, note),
            )
        visit = await ShowroomVisit.create(
            customer_id=customer.id if customer else None, visitor_name=name, arrived_at=moment,
            party_size=party_size, is_first_visit=first, consultant=consultant, vehicle_model=model,
            interaction=interaction, recorded_by_id=principal.user_id, note=note,
        )
        receiver = consultant.id if consultant else principal.user_id
        if customer is not None and customer.owner_id is not None and customer.owner_id != receiver:
            await create_task(customer.owner_id, TaskKind.OTHER, f"客户到店：{customer.name}", moment,
                              customer_id=customer.id, body=_summary(first, party_size, consultant, model, note),
                              dedup_key=f"showroom-visit:{visit.id}")
        await audit.record(principal, "create", "ShowroomVisit", visit.id, {
            "customer_id": visit.customer_id, "arrived_at": moment.isoformat(), "party_size": party_size,
            "is_first_visit": first, "consultant_id": consultant.id if consultant else None,
            "vehicle_model_id": vehicle_model_id, "new_lead": new_lead,
        })
        await emit("showroom_visit.recorded", {"showroom_visit_id": visit.id, "customer_id": visit.customer_id})
    return WalkIn(visit=visit, customer_id=visit.customer_id, new_lead=new_lead)


async def _match_or_create(principal: Principal, phone: str, name: str, model: VehicleModel | None) -> tuple[int, bool]:
    """The customer with this phone, through the ingestion pipeline's exact match, or a new lead."""
    payload = {"phone": phone}
    if name:
        payload["name"] = name
    if model is not None:
        payload["interested_model"] = model.display_name
    result = (await ingest(Channel.SHOWROOM, [Incoming(payload)], principal=principal))[0]
    if result.customer_id is None:  # the phone was checked above, so nothing else can reject it
        raise UserError(ErrorCode.INVALID, "; ".join(p["message"] for p in result.problems) or "rejected", "phone")
    created = result.status in (SourceRecordStatus.CREATED, SourceRecordStatus.NEEDS_REVIEW)
    if created and not name:
        await _name_placeholder(result.customer_id, phone, result.source_record_id)
    return result.customer_id, created


async def _name_placeholder(customer_id: int, phone: str, record_id: int | None) -> None:
    """A lead without a name gets one staff can recognise, from the lowest-trust channel, so the
    first record from anywhere that knows the real name replaces it."""
    name = f"到店客户{phone[-4:]}"
    pinyin, initials = pinyin_keys(name)
    customer = await Customer.get(id=customer_id)
    sources = dict(customer.field_sources or {})
    sources["name"] = {"channel": Channel.OTHER.value, "record": record_id, "placeholder": True}
    await Customer.filter(id=customer_id).update(name=name, name_pinyin=pinyin, name_initials=initials,
                                                 field_sources=sources)


def _summary(first: bool, party_size: int, consultant: User | None, model: VehicleModel | None, note: str) -> str:
    # Timeline text is written in the dealership's language, as the other generated entries are.
    parts = ["首次到店" if first else "再次到店", f"{party_size}人"]
    if consultant is not None:
        parts.append(f"接待：{consultant.display_name}")
    if model is not None:
        parts.append(f"意向车型：{model.display_name}")
    text = "，".join(parts)
    return f"{text}。{note}" if note else text


async def record_departure(principal: Principal, visit_id: int, left_at: datetime | None = None) -> ShowroomVisit:
    """离店: when the walk-in left. Tapping twice keeps the first time; an explicit time corrects it."""
    visit = await ShowroomVisit.filter(showroom_visit_q(principal, for_write=True), id=visit_id).first()
    if visit is None:
        raise UserError(ErrorCode.NOT_FOUND, "showroom visit not found or not yours", "id")
    if visit.left_at is not None and left_at is None:
        return visit
    errors: list[UserError] = []
    moment = _moment(left_at, "left_at", errors)
    if moment < visit.arrived_at:
        errors.append(UserError(ErrorCode.INVALID, "a visitor cannot leave before arriving", "left_at"))
    if errors:
        raise UserErrors(errors)
    async with in_transaction():
        await ShowroomVisit.filter(id=visit.id).update(left_at=moment)
        await audit.record(principal, "depart", "ShowroomVisit", visit.id,
                           audit.diff({"left_at": visit.left_at}, {"left_at": moment}))
        await emit("showroom_visit.departed", {"showroom_visit_id": visit.id, "customer_id": visit.customer_id})
    return await ShowroomVisit.get(id=visit.id)

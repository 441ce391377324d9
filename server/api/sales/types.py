from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from server.api.auth.types import User
from server.api.enums import OpportunityStage, OpportunityStatus, TestDriveStatus
from server.api.relay import Node, to_global_id
from server.api.sales.catalog_types import CloseReason, VehicleModel
from server.sales import closing, models
from server.sales.quotes import quote_financing

if TYPE_CHECKING:
    from server.api.customers.types import Customer

CustomerRef = Annotated["Customer", strawberry.lazy("server.api.customers.types")]


async def _user(info: Info, pk: int | None) -> User | None:
    if pk is None:
        return None
    user = await info.context.loaders.user.load(pk)
    return User.from_model(user) if user else None


async def _vehicle_model(info: Info, pk: int | None) -> VehicleModel | None:
    if pk is None:
        return None
    row = await info.context.loaders.vehicle_model.load(pk)
    return VehicleModel.from_model(row) if row else None


async def _customer(info: Info, pk: int):
    from server.api.customers.types import Customer

    # Reached only through a record that passed the scope, so its customer is visible.
    return Customer.from_model(await info.context.loaders.customer.load(pk))


@strawberry.type(description="One line of a quote.")
class QuoteItem:
    description: str = strawberry.field(description="What is offered.")
    quantity: int = strawberry.field(description="How many.")
    unit_price: Decimal = strawberry.field(description="Price of one, in CNY.")
    amount: Decimal = strawberry.field(description="Quantity times unit price.")
    vehicle_model_pk: strawberry.Private[int | None]

    @strawberry.field(description="The catalog model, if the line is a car.")
    async def vehicle_model(self, info: Info) -> VehicleModel | None:
        return await _vehicle_model(info, self.vehicle_model_pk)

    @classmethod
    def from_model(cls, i: models.QuoteItem) -> "QuoteItem":
        return cls(description=i.description, quantity=i.quantity, unit_price=i.unit_price,
                   amount=i.unit_price * i.quantity, vehicle_model_pk=i.vehicle_model_id)


@strawberry.type(description="A quote (报价单): items, discount and financing.")
class Quote(Node):
    discount: Decimal = strawberry.field(description="Discount off the items' total, in CNY.")
    total: Decimal = strawberry.field(description="The items' total less the discount, in CNY.")
    down_payment: Decimal | None = strawberry.field(description="Down payment when financed, in CNY.")
    term_months: int | None = strawberry.field(description="Loan term in months when financed.")
    annual_rate: Decimal | None = strawberry.field(description="Annual interest rate in percent (3.99 means 3.99 %).")
    financed_amount: Decimal | None = strawberry.field(description="Total less the down payment, when financed.")
    monthly_payment: Decimal | None = strawberry.field(description="The level monthly payment (annuity), rounded to the fen.")
    valid_until: date | None = strawberry.field(description="The last day the quote holds.")
    created_at: datetime = strawberry.field(description="When it was made.")
    pk: strawberry.Private[int]
    created_by_pk: strawberry.Private[int | None]

    @strawberry.field(description="The lines of the quote.")
    async def items(self, info: Info) -> list[QuoteItem]:
        return [QuoteItem.from_model(i) for i in await info.context.loaders.quote_items.load(self.pk)]

    @strawberry.field(description="Who made it.")
    async def created_by(self, info: Info) -> User | None:
        return await _user(info, self.created_by_pk)

    @classmethod
    def from_model(cls, q: models.Quote) -> "Quote":
        financing = quote_financing(q)
        return cls(
            id=to_global_id("Quote", q.id), discount=q.discount, total=q.total, down_payment=q.down_payment,
            term_months=q.term_months, annual_rate=q.annual_rate,
            financed_amount=financing[0] if financing else None, monthly_payment=financing[1] if financing else None,
            valid_until=q.valid_until, created_at=q.created_at, pk=q.id, created_by_pk=q.created_by_id,
        )


@strawberry.type(description="A test drive (试驾): booking and feedback.")
class TestDrive(Node):
    scheduled_at: datetime = strawberry.field(description="When it is booked for.")
    status: TestDriveStatus = strawberry.field(description="Booked, done, no-show or cancelled.")
    feedback: str = strawberry.field(description="What the customer said about the car.")
    rating: int | None = strawberry.field(description="The customer's rating, 1 to 5.")
    created_at: datetime = strawberry.field(description="When it was booked.")
    customer_pk: strawberry.Private[int]
    vehicle_model_pk: strawberry.Private[int | None]
    consultant_pk: strawberry.Private[int | None]

    @strawberry.field(description="The car driven.")
    async def vehicle_model(self, info: Info) -> VehicleModel | None:
        return await _vehicle_model(info, self.vehicle_model_pk)

    @strawberry.field(description="The consultant riding along.")
    async def consultant(self, info: Info) -> User | None:
        return await _user(info, self.consultant_pk)

    @strawberry.field(description="The customer driving.")
    async def customer(self, info: Info) -> CustomerRef:
        return await _customer(info, self.customer_pk)

    @classmethod
    def from_model(cls, t: models.TestDrive) -> "TestDrive":
        return cls(id=to_global_id("TestDrive", t.id), scheduled_at=t.scheduled_at, status=t.status,
                   feedback=t.feedback, rating=t.rating, created_at=t.created_at, customer_pk=t.customer_id,
                   vehicle_model_pk=t.vehicle_model_id, consultant_pk=t.consultant_id)


@strawberry.type(description="An objection (异议) the customer raised, resolved or not.")
class Objection(Node):
    category: str = strawberry.field(description="What it is about, e.g. 价格, 续航.")
    text: str = strawberry.field(description="The objection in the customer's words.")
    resolved: bool = strawberry.field(description="Whether it has been answered.")
    created_at: datetime = strawberry.field(description="When it was raised.")

    @classmethod
    def from_model(cls, o: models.Objection) -> "Objection":
        return cls(id=to_global_id("Objection", o.id), category=o.category, text=o.text, resolved=o.resolved,
                   created_at=o.created_at)


def _new_value(changes: dict, key: str):
    value = changes.get(key)
    return value[1] if isinstance(value, list) and len(value) == 2 else value


@strawberry.type(description="A close, loss decision or reopening of an opportunity, from the audit log.")
class OpportunityEvent:
    action: str = strawberry.field(description="closed, loss_requested, loss_approved, loss_rejected or reopened.")
    happened_at: datetime = strawberry.field(description="When it happened.")
    status: OpportunityStatus | None = strawberry.field(description="The status it set, if it changed the status.")
    comment: str = strawberry.field(description="The note given with it: the close note, the review comment or why it was reopened.")
    actor_pk: strawberry.Private[int | None]

    @strawberry.field(description="Who did it; null for the system or an API token.")
    async def actor(self, info: Info) -> User | None:
        return await _user(info, self.actor_pk)

    @classmethod
    def from_entry(cls, entry) -> "OpportunityEvent":
        changes = entry.changes or {}
        status = _new_value(changes, "status")
        comment = changes.get("note") if isinstance(changes.get("note"), str) else None
        comment = comment or _new_value(changes, "close_note") or _new_value(changes, "loss_review_note") or ""
        return cls(action=entry.action, happened_at=entry.created_at,
                   status=OpportunityStatus(status) if status else None, comment=str(comment),
                   actor_pk=entry.actor_user_id)


@strawberry.type(description="Open deals in one stage: how many and what they are worth.")
class StageTotal:
    stage: OpportunityStage = strawberry.field(description="The stage.")
    count: int = strawberry.field(description="How many opportunities stand in it.")
    amount: Decimal = strawberry.field(description="The sum of their amounts in CNY (deals without one count as 0).")


@strawberry.type(description="An opportunity (商机): a deal in progress, won or lost.")
class Opportunity(Node):
    title: str = strawberry.field(description="What the deal is, e.g. 张三 · 比亚迪 汉.")
    stage: OpportunityStage = strawberry.field(description="Where the deal stands.")
    status: OpportunityStatus = strawberry.field(description="Open, won or lost.")
    probability: int = strawberry.field(description="Chance of winning in percent, set by the stage.")
    amount: Decimal | None = strawberry.field(description="Expected deal value in CNY.")
    expected_close_date: date | None = strawberry.field(description="When the deal is expected to close.")
    competitor_brand: str = strawberry.field(description="The brand bought instead, for a loss to a competitor.")
    competitor_model: str = strawberry.field(description="The model bought instead, for a loss to a competitor.")
    close_note: str = strawberry.field(description="A note on why it closed.")
    closed_at: datetime | None = strawberry.field(description="When it was won or lost.")
    loss_pending: bool = strawberry.field(description="Whether a loss request waits for a manager's approval.")
    loss_review_note: str = strawberry.field(description="The manager's comment on the last loss request.")
    version: int = strawberry.field(description="Pass back with a change; a stale one is a CONFLICT.")
    created_at: datetime = strawberry.field(description="When it was opened.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int]
    owner_pk: strawberry.Private[int | None]
    vehicle_model_pk: strawberry.Private[int | None]
    close_reason_pk: strawberry.Private[int | None]

    @strawberry.field(description="The customer the deal is with.")
    async def customer(self, info: Info) -> CustomerRef:
        return await _customer(info, self.customer_pk)

    @strawberry.field(description="The consultant working the deal.")
    async def owner(self, info: Info) -> User | None:
        return await _user(info, self.owner_pk)

    @strawberry.field(description="The model the customer is after.")
    async def vehicle_model(self, info: Info) -> VehicleModel | None:
        return await _vehicle_model(info, self.vehicle_model_pk)

    @strawberry.field(description="Why it was won or lost (or why a loss is requested).")
    async def close_reason(self, info: Info) -> CloseReason | None:
        if self.close_reason_pk is None:
            return None
        row = await info.context.loaders.close_reason.load(self.close_reason_pk)
        return CloseReason.from_model(row) if row else None

    @strawberry.field(description="Quotes made, newest first.")
    async def quotes(self, info: Info) -> list[Quote]:
        return [Quote.from_model(q) for q in await info.context.loaders.quotes.load(self.pk)]

    @strawberry.field(description="Test drives booked for this deal, soonest first.")
    async def test_drives(self, info: Info) -> list[TestDrive]:
        return [TestDrive.from_model(t) for t in await info.context.loaders.test_drives.load(self.pk)]

    @strawberry.field(description="Objections raised, oldest first.")
    async def objections(self, info: Info) -> list[Objection]:
        return [Objection.from_model(o) for o in await info.context.loaders.objections.load(self.pk)]

    @strawberry.field(description="The last closes, loss decisions and reopenings, newest first (at most 20).")
    async def outcome_history(self, first: int = 5) -> list[OpportunityEvent]:
        rows = await closing.outcome_history(self.pk, max(0, min(first, 20)))
        return [OpportunityEvent.from_entry(r) for r in rows]

    @classmethod
    def from_model(cls, o: models.Opportunity) -> "Opportunity":
        return cls(
            id=to_global_id("Opportunity", o.id), title=o.title, stage=o.stage, status=o.status,
            probability=o.probability, amount=o.amount, expected_close_date=o.expected_close_date,
            competitor_brand=o.competitor_brand, competitor_model=o.competitor_model, close_note=o.close_note,
            closed_at=o.closed_at, loss_pending=o.loss_pending, loss_review_note=o.loss_review_note,
            version=o.version, created_at=o.created_at, updated_at=o.updated_at, pk=o.id,
            customer_pk=o.customer_id, owner_pk=o.owner_id, vehicle_model_pk=o.vehicle_model_id,
            close_reason_pk=o.close_reason_id,
        )

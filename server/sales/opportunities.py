"""Opportunities (商机): opening one on a customer and moving it through the stages.

Closing, loss approval and reopening are in closing.py.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.customers.models import Customer
from server.customers.services import get_visible_customer
from server.enums import Lifecycle, OpportunityStage, OpportunityStatus
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.sales import policy
from server.sales.models import Campaign, Opportunity, VehicleModel

AUDITED = ("title", "stage", "status", "probability", "amount", "expected_close_date", "vehicle_model_id",
           "campaign_id", "owner_id", "close_reason_id", "competitor_brand", "competitor_model", "close_note",
           "closed_at", "loss_pending", "loss_review_note")


def conflict() -> UserError:
    return UserError(ErrorCode.CONFLICT, "someone else saved this record first: reload and try again", "version")


def snapshot(opportunity: Opportunity, keys=AUDITED) -> dict:
    return {k: getattr(opportunity, k) for k in keys}


async def get_visible_opportunity(principal: Principal, opportunity_id: int, *, for_write: bool = False) -> Opportunity:
    row = await scoped(Opportunity, principal, "customer__", for_write=for_write).filter(id=opportunity_id).first()
    if row is None:
        raise UserError(ErrorCode.NOT_FOUND, "opportunity not found or not yours", "id")
    return row


async def save_versioned(principal: Principal, opportunity: Opportunity, version: int, values: dict, action: str,
                         extra: dict | None = None) -> Opportunity:
    """Write `values` if nobody saved since `version` was read; audit the diff (plus `extra`) and emit."""
    if opportunity.version != version:
        raise conflict()
    before = snapshot(opportunity, [k for k in values if k in AUDITED])
    if not await Opportunity.filter(id=opportunity.id, version=version).update(**values, version=version + 1):
        raise conflict()
    await audit.record(principal, action, "Opportunity", opportunity.id, {**audit.diff(before, values), **(extra or {})})
    await emit(f"opportunity.{action}", {"opportunity_id": opportunity.id, "customer_id": opportunity.customer_id})
    return await Opportunity.get(id=opportunity.id)


async def promote_customer(principal: Principal, customer_id: int, to: Lifecycle, only_from: set[Lifecycle]) -> None:
    """Move the customer's lifecycle on with the deal (a new opportunity makes a lead a prospect)."""
    customer = await Customer.get(id=customer_id)
    if customer.lifecycle not in only_from:
        return
    await Customer.filter(id=customer_id).update(lifecycle=to, version=F("version") + 1)
    await audit.record(principal, "update", "Customer", customer_id, {"lifecycle": [customer.lifecycle.value, to.value]})


def _money(raw, field: str, errors: list[UserError]) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors.append(UserError(ErrorCode.INVALID, "not an amount", field))
        return None
    if value < 0 or value >= Decimal("1e12"):
        errors.append(UserError(ErrorCode.INVALID, "amount must be between 0 and 999,999,999,999.99", field))
    return value.quantize(Decimal("0.01"))


async def _values(data: dict) -> dict:
    values: dict = {}
    errors: list[UserError] = []
    for key, raw in data.items():
        if key == "title":
            title = (raw or "").strip()
            if not title:
                errors.append(UserError(ErrorCode.REQUIRED, "title is required", "title"))
            elif len(title) > 200:
                errors.append(UserError(ErrorCode.INVALID, "title is longer than 200 characters", "title"))
            values["title"] = title
        elif key == "amount":
            values["amount"] = _money(raw, "amount", errors)
        elif key == "expected_close_date":
            if raw is not None and not isinstance(raw, date):
                errors.append(UserError(ErrorCode.INVALID, "not a date", key))
            values[key] = raw
        elif key == "stage":
            try:
                values["stage"] = OpportunityStage(raw)
            except ValueError:
                errors.append(UserError(ErrorCode.INVALID, "not a stage", "stage"))
        elif key == "vehicle_model_id":
            if raw is not None and not await VehicleModel.filter(id=raw).exists():
                errors.append(UserError(ErrorCode.NOT_FOUND, "no such vehicle model", key))
            values[key] = raw
        elif key == "campaign_id":
            if raw is not None and not await Campaign.filter(id=raw).exists():
                errors.append(UserError(ErrorCode.NOT_FOUND, "no such campaign", key))
            values[key] = raw
        else:
            errors.append(UserError(ErrorCode.INVALID, f"unknown field {key}", key))
    if errors:
        raise UserErrors(errors)
    return values


async def create_opportunity(principal: Principal, customer_id: int, data: dict) -> Opportunity:
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    values = await _values({"title": "", **data})
    stage = values.setdefault("stage", OpportunityStage.INITIAL_CONTACT)
    if values.get("campaign_id") is None:
        # The deal counts for the campaign that brought the customer in (see sales/campaigns.py).
        values["campaign_id"] = customer.campaign_id
    async with in_transaction():
        opportunity = await Opportunity.create(
            customer_id=customer.id,
            owner_id=customer.owner_id or principal.user_id,
            probability=policy.POLICY.probability(stage),
            **values,
        )
        await audit.record(principal, "create", "Opportunity", opportunity.id, audit.diff({}, snapshot(opportunity)))
        await promote_customer(principal, customer.id, Lifecycle.PROSPECT, {Lifecycle.LEAD, Lifecycle.DORMANT})
        await emit("opportunity.created", {"opportunity_id": opportunity.id, "customer_id": customer.id})
    return opportunity


async def move_opportunity_stage(principal: Principal, opportunity_id: int, version: int, stage: OpportunityStage,
                                 expected_close_date: date | None = None) -> Opportunity:
    """Move an open opportunity to any stage (forwards or back); probability follows the stage."""
    opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
    if opportunity.status is not OpportunityStatus.OPEN:
        raise UserError(ErrorCode.INVALID, "the opportunity is closed: reopen it first", "stage")
    if opportunity.loss_pending:
        raise UserError(ErrorCode.INVALID, "a loss request is waiting for a manager", "stage")
    values = {"stage": OpportunityStage(stage), "probability": policy.POLICY.probability(OpportunityStage(stage))}
    if expected_close_date is not None:
        values["expected_close_date"] = expected_close_date
    async with in_transaction():
        return await save_versioned(principal, opportunity, version, values, "stage_moved")

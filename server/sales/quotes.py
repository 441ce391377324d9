"""Quotes (报价单): items, discount and financing, with the monthly payment computed exactly."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.principal import Principal
from server.enums import OpportunityStatus
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.sales.models import Opportunity, Quote, QuoteItem, VehicleModel
from server.sales.opportunities import get_visible_opportunity

FEN = Decimal("0.01")
MAX_ITEMS = 50
MAX_TERM = 120
MAX_AMOUNT = Decimal("9999999999.99")


def monthly_payment(financed: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """The level monthly payment of an annuity loan, rounded half-up to the fen.

    M = P·r·(1+r)^n / ((1+r)^n − 1) with r the monthly rate (annual % / 100 / 12); P/n at 0 %.
    Computed with 50 significant digits so that only the final rounding loses anything.
    """
    if financed <= 0:
        return Decimal("0.00")
    with localcontext() as ctx:
        ctx.prec = 50
        rate = Decimal(annual_rate_percent) / Decimal(1200)
        if rate == 0:
            payment = Decimal(financed) / months
        else:
            growth = (1 + rate) ** months
            payment = Decimal(financed) * rate * growth / (growth - 1)
        return payment.quantize(FEN, rounding=ROUND_HALF_UP)


def quote_financing(quote: Quote) -> tuple[Decimal, Decimal] | None:
    """(amount financed, monthly payment) of a quote with financing, else None."""
    if quote.term_months is None or quote.annual_rate is None:
        return None
    financed = quote.total - (quote.down_payment or Decimal(0))
    return financed, monthly_payment(financed, quote.annual_rate, quote.term_months)


def _decimal(raw, field: str, errors: list[UserError], *, places: str = "0.01", upper: Decimal = MAX_AMOUNT):
    if raw is None:
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors.append(UserError(ErrorCode.INVALID, "not a number", field))
        return None
    if not value.is_finite() or value < 0 or value > upper:
        errors.append(UserError(ErrorCode.INVALID, f"must be between 0 and {upper}", field))
        return None
    if value != value.quantize(Decimal(places)):
        errors.append(UserError(ErrorCode.INVALID, f"at most {len(places) - 2} decimal places", field))
        return None
    return value


async def _items(raw_items: list[dict], errors: list[UserError]) -> list[dict]:
    if not raw_items:
        errors.append(UserError(ErrorCode.REQUIRED, "a quote needs at least one item", "items"))
    if len(raw_items) > MAX_ITEMS:
        errors.append(UserError(ErrorCode.LIMIT_EXCEEDED, f"at most {MAX_ITEMS} items", "items"))
        return []
    model_ids = {i.get("vehicle_model_id") for i in raw_items} - {None}
    models = {m.id: m for m in await VehicleModel.filter(id__in=model_ids)} if model_ids else {}
    items = []
    for n, raw in enumerate(raw_items):
        where = f"items.{n}."
        model_id = raw.get("vehicle_model_id")
        if model_id is not None and model_id not in models:
            errors.append(UserError(ErrorCode.NOT_FOUND, "no such vehicle model", where + "vehicle_model_id"))
        description = (raw.get("description") or "").strip() or (models[model_id].display_name if model_id in models else "")
        if not description or len(description) > 200:
            errors.append(UserError(ErrorCode.INVALID, "a description of 1 to 200 characters is required",
                                    where + "description"))
        quantity = raw.get("quantity", 1)
        if not isinstance(quantity, int) or not 1 <= quantity <= 999:
            errors.append(UserError(ErrorCode.INVALID, "quantity must be between 1 and 999", where + "quantity"))
        price = _decimal(raw.get("unit_price"), where + "unit_price", errors)
        if raw.get("unit_price") is None:
            errors.append(UserError(ErrorCode.REQUIRED, "unit price is required", where + "unit_price"))
        items.append({"description": description, "vehicle_model_id": model_id, "quantity": quantity,
                      "unit_price": price})
    return items


async def create_quote(principal: Principal, opportunity_id: int, *, items: list[dict], discount=0,
                       down_payment=None, term_months: int | None = None, annual_rate=None,
                       valid_until: date | None = None) -> Quote:
    opportunity: Opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
    if opportunity.status is not OpportunityStatus.OPEN:
        raise UserError(ErrorCode.INVALID, "the opportunity is closed", "opportunity_id")
    errors: list[UserError] = []
    lines = await _items(items, errors)
    discount = _decimal(discount, "discount", errors) or Decimal("0.00")
    down = _decimal(down_payment, "down_payment", errors)
    rate = _decimal(annual_rate, "annual_rate", errors, places="0.0001", upper=Decimal("99.9999"))
    if (term_months is None) != (annual_rate is None):
        errors.append(UserError(ErrorCode.REQUIRED, "financing needs both a term and an annual rate",
                                "term_months" if term_months is None else "annual_rate"))
    if term_months is not None and not 1 <= term_months <= MAX_TERM:
        errors.append(UserError(ErrorCode.INVALID, f"term must be between 1 and {MAX_TERM} months", "term_months"))
    if down is not None and term_months is None:
        errors.append(UserError(ErrorCode.REQUIRED, "a down payment needs a term and an annual rate", "term_months"))
    if valid_until is not None and valid_until < date.today():
        errors.append(UserError(ErrorCode.INVALID, "the quote would already have expired", "valid_until"))
    if errors:
        raise UserErrors(errors)
    subtotal = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal("0.00"))
    if discount > subtotal:
        raise UserError(ErrorCode.INVALID, "the discount is larger than the items' total", "discount")
    total = subtotal - discount
    if down is not None and down > total:
        raise UserError(ErrorCode.INVALID, "the down payment is larger than the total", "down_payment")
    if term_months is not None and down is None:
        down = Decimal("0.00")
    async with in_transaction():
        quote = await Quote.create(opportunity_id=opportunity.id, created_by_id=principal.user_id, discount=discount,
                                   down_payment=down, term_months=term_months, annual_rate=rate,
                                   valid_until=valid_until, total=total)
        await QuoteItem.bulk_create([QuoteItem(quote_id=quote.id, **line) for line in lines])
        await audit.record(principal, "create", "Quote", quote.id, {
            "opportunity_id": opportunity.id, "total": str(total), "discount": str(discount),
            "down_payment": str(down) if down is not None else None, "term_months": term_months,
            "annual_rate": str(rate) if rate is not None else None, "items": len(lines),
        })
        await emit("quote.created", {"quote_id": quote.id, "opportunity_id": opportunity.id})
    return await Quote.get(id=quote.id)

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Quote
from server.sales import quotes


@strawberry.input(description="One line of a new quote.")
class QuoteItemInput:
    unit_price: Decimal = strawberry.field(description="Price of one, in CNY.")
    description: str = strawberry.field(default="", description="What is offered; the model's name if left empty.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=None, description="The catalog model, if the line is a car.")
    quantity: int = strawberry.field(default=1, description="How many.")


@strawberry.input(description="A new quote on an open opportunity.")
class CreateQuoteInput:
    opportunity_id: strawberry.ID = strawberry.field(description="The opportunity.")
    items: list[QuoteItemInput] = strawberry.field(description="The lines, at least one.")
    discount: Decimal = strawberry.field(default=Decimal("0"), description="Discount off the items' total, in CNY.")
    down_payment: Decimal | None = strawberry.field(default=None, description="Down payment when financed, in CNY; 0 if left out.")
    term_months: int | None = strawberry.field(default=None, description="Loan term in months (1 to 120); with annualRate.")
    annual_rate: Decimal | None = strawberry.field(default=None, description="Annual interest rate in percent (3.99 means 3.99 %); with termMonths.")
    valid_until: date | None = strawberry.field(default=None, description="The last day the quote holds.")


@strawberry.type(description="The result of createQuote.")
class CreateQuotePayload:
    quote: Quote | None = strawberry.field(description="The quote, with its monthly payment when financed.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_quote(info: Info, input: CreateQuoteInput) -> CreateQuotePayload:
    try:
        items = [
            {"description": item.description, "quantity": item.quantity, "unit_price": item.unit_price,
             "vehicle_model_id": decode_id(item.vehicle_model_id, "VehicleModel", f"items.{n}.vehicle_model_id")
             if item.vehicle_model_id else None}
            for n, item in enumerate(input.items)
        ]
        row = await quotes.create_quote(
            info.context.principal, decode_id(input.opportunity_id, "Opportunity", "opportunity_id"), items=items,
            discount=input.discount, down_payment=input.down_payment, term_months=input.term_months,
            annual_rate=input.annual_rate, valid_until=input.valid_until,
        )
    except USER_ERRORS as exc:
        return CreateQuotePayload(quote=None, errors=to_user_errors(exc))
    return CreateQuotePayload(quote=Quote.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_quote,
                            description="Make a quote: items, discount and optional financing with its monthly payment.",
                            permission_classes=[CanWrite])

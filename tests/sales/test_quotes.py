"""Quotes: totals, discount and financing with an exact monthly payment."""

from decimal import Decimal, localcontext

import pytest

from server.errors import UserError, UserErrors
from server.sales.opportunities import create_opportunity
from server.sales.quotes import create_quote, monthly_payment, quote_financing
from tests.world import gid, gql


def _annuity(principal: str, rate_percent: str, months: int) -> Decimal:
    """The textbook formula, written out independently at high precision."""
    with localcontext() as ctx:
        ctx.prec = 60
        r = Decimal(rate_percent) / 100 / 12
        factor = (1 + r) ** months
        return (Decimal(principal) * r * factor / (factor - 1)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_the_monthly_payment_of_a_known_loan_is_exact_to_the_fen():
    payment = monthly_payment(Decimal("100000"), Decimal("3.99"), 36)
    assert payment == _annuity("100000", "3.99", 36) == Decimal("2951.95")
    assert monthly_payment(Decimal("149800"), Decimal("4.5"), 60) == _annuity("149800", "4.5", 60)


def test_an_interest_free_loan_is_split_evenly_and_nothing_financed_costs_nothing():
    assert monthly_payment(Decimal("100000"), Decimal("0"), 36) == Decimal("2777.78")
    assert monthly_payment(Decimal("0"), Decimal("3.99"), 36) == Decimal("0.00")


@pytest.fixture
async def deal(world):
    return await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "汉"})


async def test_a_quote_totals_its_items_less_the_discount_and_finances_the_rest(world, deal, han):
    quote = await create_quote(world.p(world.alice), deal.id, items=[
        {"vehicle_model_id": han.id, "unit_price": "209800.00"},
        {"description": "脚垫", "quantity": 2, "unit_price": "300"},
    ], discount="10400", down_payment="100000", term_months=36, annual_rate="3.99")
    assert quote.total == Decimal("200000.00")
    financed, monthly = quote_financing(quote)
    assert (financed, monthly) == (Decimal("100000.00"), Decimal("2951.95"))


async def test_the_api_shows_the_quote_with_its_monthly_payment(world, deal, han):
    mutation = """mutation($input: CreateQuoteInput!) { createQuote(input: $input) {
        quote { total financedAmount monthlyPayment termMonths annualRate items { description quantity amount vehicleModel { series } } }
        errors { field code } } }"""
    result = await gql(mutation, world.p(world.alice), input={
        "opportunityId": gid("Opportunity", deal), "items": [{"vehicleModelId": gid("VehicleModel", han), "unitPrice": "100000"}],
        "termMonths": 36, "annualRate": "3.99"})
    assert result.data["createQuote"] == {"quote": {
        "total": "100000.00", "financedAmount": "100000.00", "monthlyPayment": "2951.95", "termMonths": 36,
        "annualRate": "3.9900", "items": [{"description": "比亚迪 汉 EV 冠军版", "quantity": 1, "amount": "100000.00",
                                           "vehicleModel": {"series": "汉"}}]}, "errors": []}


async def test_bad_quotes_name_every_field_at_fault(world, deal):
    with pytest.raises(UserErrors) as bad:
        await create_quote(world.p(world.alice), deal.id, items=[{"description": "", "unit_price": "-5", "quantity": 0}],
                           term_months=36, annual_rate=None)
    assert sorted(e.field for e in bad.value.errors) == [
        "annual_rate", "items.0.description", "items.0.quantity", "items.0.unit_price"]
    with pytest.raises(UserError) as too_much:
        await create_quote(world.p(world.alice), deal.id, items=[{"description": "车", "unit_price": "100"}], discount="101")
    assert too_much.value.field == "discount"
    with pytest.raises(UserError) as outsider:
        await create_quote(world.p(world.bob), deal.id, items=[{"description": "车", "unit_price": "100"}])
    assert outsider.value.code == "NOT_FOUND"

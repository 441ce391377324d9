from datetime import date, timedelta
from decimal import Decimal

import pytest

from server.activity.models import Interaction
from server.customers.models import Customer, ServiceRecord, Vehicle
from server.enums import InteractionKind, OpportunityStatus, ServiceKind, ValueTier
from server.portrait import policy, tiers
from server.sales.models import Opportunity
from tests.portrait.conftest import AT

OLD = AT - timedelta(days=800)


async def _contacts(customer, count: int, days_ago: int = 5):
    for n in range(count):
        await Interaction.create(customer=customer, kind=InteractionKind.CALL, occurred_at=AT - timedelta(days=days_ago + n))


async def _won(customer, amount: str, days_ago: int):
    await Opportunity.create(customer=customer, title="成交", status=OpportunityStatus.WON, amount=Decimal(amount),
                             closed_at=AT - timedelta(days=days_ago))


async def _tier(customer) -> str | None:
    return (await Customer.get(id=customer.id)).value_tier


async def test_rfm_places_buyers_regulars_and_strangers(make_customer):
    buyer = await make_customer("大客户", created_at=OLD)
    await _won(buyer, "250000", 10)
    await _contacts(buyer, 8)  # 8 + 1 won deal in 12 months
    regular = await make_customer("常联系", created_at=OLD)
    await _contacts(regular, 3, days_ago=40)  # recency 2, frequency 2, monetary 1 = 5
    servicing = await make_customer("保养客户", created_at=OLD)
    car = await Vehicle.create(customer=servicing, model_name="车", purchase_date=date(2020, 1, 1))
    for month in (1, 3, 5):
        await ServiceRecord.create(vehicle=car, customer=servicing, kind=ServiceKind.MAINTENANCE,
                                   service_date=date(2026, month, 10), amount=Decimal("2000"))
    stranger = await make_customer("陌生人", created_at=OLD)
    result = await tiers.refresh_tiers(AT)

    assert await _tier(buyer) == ValueTier.HIGH  # 3 + 3 + 3
    assert await _tier(regular) == ValueTier.MEDIUM
    # Service spend counts as money and visits as frequency: 2 + 2 + 2 = 6.
    assert await _tier(servicing) == ValueTier.MEDIUM
    assert await _tier(stranger) == ValueTier.POTENTIAL
    assert result.by_tier == {"HIGH": 1, "MEDIUM": 2, "POTENTIAL": 1}
    assert result.changed == 4


async def test_old_money_outside_the_windows_does_not_count(make_customer):
    lapsed = await make_customer("老客户", created_at=OLD)
    await _won(lapsed, "500000", 900)
    await tiers.refresh_tiers(AT)
    assert await _tier(lapsed) == ValueTier.POTENTIAL


async def test_second_run_writes_nothing_and_leaves_version_and_updated_at(make_customer):
    customer = await make_customer("稳定", created_at=OLD)
    await _contacts(customer, 3)
    before = await Customer.get(id=customer.id)
    first = await tiers.refresh_tiers(AT)
    after = await Customer.get(id=customer.id)
    again = await tiers.refresh_tiers(AT)

    assert (first.changed, again.changed) == (1, 0)
    assert after.value_tier == ValueTier.MEDIUM
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


async def test_a_changed_fact_moves_the_tier(make_customer):
    customer = await make_customer("升级", created_at=OLD)
    await tiers.refresh_tiers(AT)
    assert await _tier(customer) == ValueTier.POTENTIAL
    await _won(customer, "300000", 1)
    await _contacts(customer, 8)
    result = await tiers.refresh_tiers(AT)
    assert await _tier(customer) == ValueTier.HIGH and result.changed == 1


async def test_thresholds_come_from_the_environment(make_customer, monkeypatch):
    customer = await make_customer("门槛", created_at=OLD)
    await _contacts(customer, 3, days_ago=40)  # score 5
    monkeypatch.setenv("PORTRAIT_TIER_THRESHOLDS", "HIGH=5,MEDIUM=4")
    monkeypatch.setattr(policy, "POLICY", policy.load_policy())
    await tiers.refresh_tiers(AT)
    assert await _tier(customer) == ValueTier.HIGH


@pytest.mark.parametrize(("name", "value", "message"), [
    ("PORTRAIT_TIER_THRESHOLDS", "HIGH=seven", "PORTRAIT_TIER_THRESHOLDS: cannot read 'HIGH=seven'"),
    ("PORTRAIT_TIER_THRESHOLDS", "HIGH=4,MEDIUM=6", "HIGH must not be below MEDIUM"),
    ("PORTRAIT_RFM_RECENCY_DAYS", "90,30", "PORTRAIT_RFM_RECENCY_DAYS: the number scoring 3 comes first"),
    ("PORTRAIT_RFM_MONETARY", "lots", "PORTRAIT_RFM_MONETARY: write two whole numbers"),
])
def test_unreadable_thresholds_name_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(policy.PolicyError, match=message):
        policy.load_policy()


async def test_refresh_walks_every_chunk(make_customer, monkeypatch):
    monkeypatch.setattr(tiers, "CHUNK", 2)
    people = [await make_customer(f"客户{n}", created_at=OLD) for n in range(5)]
    result = await tiers.refresh_tiers(AT)
    assert result.changed == 5
    assert [await _tier(p) for p in people] == [ValueTier.POTENTIAL] * 5

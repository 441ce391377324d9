"""Sales fixtures: the managed reasons, a catalog model, and a way to change the policy for one test."""

from dataclasses import replace
from datetime import timedelta

import pytest
from tortoise.timezone import now

from server.customers.models import Customer
from server.enums import CloseReasonKind
from server.sales import policy
from server.sales.models import CloseReason, VehicleModel


@pytest.fixture
def set_policy(monkeypatch):
    """set_policy(loss_needs_approval=True, …): the policy for this test only."""

    def apply(**changes):
        monkeypatch.setattr(policy, "POLICY", replace(policy.POLICY, **changes))

    return apply


@pytest.fixture
async def reasons(db):
    return {
        "price": await CloseReason.create(kind=CloseReasonKind.WIN, label="价格优势"),
        "too_dear": await CloseReason.create(kind=CloseReasonKind.LOSS, label="价格太高"),
        "competitor": await CloseReason.create(kind=CloseReasonKind.LOSS, label="选择竞品", requires_competitor=True),
    }


@pytest.fixture
async def han(db):
    return await VehicleModel.create(brand="比亚迪", series="汉", trim="EV 冠军版", body_type="SEDAN", energy_type="BEV",
                                     price="209800.00", aliases=["汉EV"])


async def age(customer_id: int, *, days_since_contact: int | None = None, days_since_assigned: int = 400,
              grade: str | None = None) -> None:
    """Set a customer's clock: created and assigned long ago, last contact `days_since_contact` ago."""
    moment = now()
    await Customer.filter(id=customer_id).update(
        created_at=moment - timedelta(days=max(days_since_assigned, days_since_contact or 0) + 1),
        assigned_at=moment - timedelta(days=days_since_assigned),
        last_contact_at=moment - timedelta(days=days_since_contact) if days_since_contact is not None else None,
        grade=grade,
    )

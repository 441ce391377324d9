"""Small data for rule tests: a fixed moment, a consultant, and a helper that makes customers."""

from datetime import UTC, datetime

import pytest

from server.auth.models import User
from server.customers.models import Customer
from server.enums import Role

# Noon in Shanghai on 15 June 2026, so local and UTC days agree.
AT = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)


@pytest.fixture
async def consultant(db):
    return await User.create(username="alice", display_name="alice", password_hash="-", role=Role.CONSULTANT)


@pytest.fixture
def make_customer(db):
    async def make(name: str, **fields) -> Customer:
        created_at = fields.pop("created_at", AT)
        customer = await Customer.create(name=name, **fields)
        await Customer.filter(id=customer.id).update(created_at=created_at)
        return customer

    return make


async def selected(q) -> set[str]:
    return set(await Customer.filter(q).values_list("name", flat=True))

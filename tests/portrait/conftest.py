"""A fixed moment and a helper that makes customers with a given file date."""

from datetime import UTC, datetime

import pytest

from server.customers.models import Customer
from server.portrait.models import CustomerTag

# Noon in Shanghai on 15 June 2026, so local and UTC days agree.
AT = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)


@pytest.fixture
def make_customer(db):
    async def make(name: str, **fields) -> Customer:
        created_at = fields.pop("created_at", AT)
        customer = await Customer.create(name=name, **fields)
        await Customer.filter(id=customer.id).update(created_at=created_at)
        return customer

    return make


async def tags_of(customer: Customer, source: str | None = None) -> set[str]:
    query = CustomerTag.filter(customer_id=customer.id)
    if source:
        query = query.filter(source=source)
    return set(await query.values_list("tag__name", flat=True))

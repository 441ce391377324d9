"""DataLoaders keep a page of customers at a fixed number of SQL queries, whatever its size."""

import logging

from server.auth.principal import principal_for_user
from server.customers.models import Contact, Customer
from server.enums import TagCategory
from server.portrait.models import CustomerTag, Tag
from tests.world import gql

PAGE = """
query($first: Int) {
  customers(first: $first) {
    totalCount
    edges { node { name owner { username team { name } } team { name } tags { tag { name } source }
                   contacts { name role } vehicles { vin } } }
  }
}"""


class _SqlCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def _queries_for(principal, first: int) -> int:
    logger = logging.getLogger("tortoise.db_client")
    counter = _SqlCounter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        result = await gql(PAGE, principal, first=first)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(old_level)
    assert result.errors is None
    assert len(result.data["customers"]["edges"]) == first
    return counter.count


async def test_a_page_of_50_costs_the_same_queries_as_a_page_of_10(world):
    tag = await Tag.create(name="高意向", category=TagCategory.BEHAVIOR)
    customers = await Customer.bulk_create(
        [Customer(name=f"客户{i}", owner_id=world.alice.id, team_id=world.team_a.id) for i in range(60)]
    )
    customers = await Customer.filter(owner_id=world.alice.id)
    await Contact.bulk_create([Contact(customer_id=c.id, name="联系人") for c in customers])
    await CustomerTag.bulk_create([CustomerTag(customer_id=c.id, tag_id=tag.id) for c in customers])
    me = principal_for_user(world.alice)
    small = await _queries_for(me, 10)
    large = await _queries_for(me, 50)
    assert small == large
    assert 3 <= small <= 8, small

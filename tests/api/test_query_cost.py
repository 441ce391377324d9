"""DataLoaders keep a page of customers at a fixed number of SQL queries, whatever its size."""

from server.auth.principal import principal_for_user
from server.customers.models import Contact, Customer
from server.enums import TagCategory
from server.portrait.models import CustomerTag, Tag
from tests.sql_statements import counting_statements
from tests.world import gql

PAGE = """
query($first: Int) {
  customers(first: $first) {
    totalCount
    edges { node { name owner { username team { name } } team { name } tags { tag { name } source }
                   contacts { name role } vehicles { vin } } }
  }
}"""


async def _queries_for(principal, first: int) -> int:
    with counting_statements() as counter:
        result = await gql(PAGE, principal, first=first)
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

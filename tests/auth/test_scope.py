from server.auth.models import Team
from server.auth.principal import principal_for_user
from server.auth.scope import scoped
from server.auth.services import create_user
from server.customers.models import Customer
from server.enums import Role


async def test_consultant_sees_own_customers_and_the_pool_only(db):
    team = await Team.create(name="A")
    alice = await create_user("alice", "password1", Role.CONSULTANT, team=team)
    bob = await create_user("bob", "password1", Role.CONSULTANT, team=team)
    await Customer.create(name="mine", owner=alice, team=team)
    await Customer.create(name="bobs", owner=bob, team=team)
    await Customer.create(name="pool", team=team)
    names = sorted(c.name for c in await scoped(Customer, principal_for_user(alice)))
    assert names == ["mine", "pool"]

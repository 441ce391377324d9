"""A small dealership for tests: two teams, every role, customers on each side and in the pool."""

from dataclasses import dataclass
from functools import lru_cache

from server.activity.models import Interaction, Task
from server.api.context import Context
from server.api.relay import to_global_id
from server.api.schema import schema
from server.auth.models import Team, User
from server.auth.principal import Principal, principal_for_token, principal_for_user
from server.auth.passwords import hash_password
from server.auth.services import create_api_token
from server.customers.models import Contact, Customer
from server.customers.services import create_customer
from server.activity.tasks import create_task
from server.enums import InteractionKind, Role, TaskKind
from tortoise.timezone import now

PASSWORD = "correct-horse-1"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    team_a: Team
    team_b: Team
    alice: User  # consultant, team A
    amy: User  # consultant, team A
    bob: User  # consultant, team B
    anna: User  # manager, team A
    bert: User  # manager, team B
    root: User  # admin
    alices_customer: Customer
    bobs_customer: Customer
    pool_customer: Customer
    alices_contact: Contact
    alices_interaction: Interaction
    alices_task: Task

    def p(self, user: User) -> Principal:
        return principal_for_user(user)


async def build_world() -> World:
    team_a = await Team.create(name="一组")
    team_b = await Team.create(name="二组")
    users = {}
    for name, role, team in [  # one argon2 hash for all: hashing six times per test costs seconds
        ("alice", Role.CONSULTANT, team_a), ("amy", Role.CONSULTANT, team_a), ("bob", Role.CONSULTANT, team_b),
        ("anna", Role.MANAGER, team_a), ("bert", Role.MANAGER, team_b), ("root", Role.ADMIN, None),
    ]:
        users[name] = await User.create(username=name, display_name=name, password_hash=_password_hash(),
                                        role=role, team=team)
    alice_p = principal_for_user(users["alice"])
    alices = await create_customer(alice_p, {"name": "张三", "phone": "13800138000", "id_number": "110101199003071233"})
    bobs = await create_customer(principal_for_user(users["bob"]), {"name": "李四", "phone": "13900139000"})
    pool = await create_customer(principal_for_user(users["anna"]), {"name": "王五", "phone": "13700137000"})
    await Customer.filter(id=pool.id).update(owner_id=None, previous_owner_id=users["amy"].id)
    pool = await Customer.get(id=pool.id)
    contact = await Contact.create(customer=alices, name="张太太", phone="+8613600136000")
    interaction = await Interaction.create(customer=alices, user=users["alice"], kind=InteractionKind.CALL,
                                           occurred_at=now(), summary="first call")
    task = await create_task(users["alice"].id, TaskKind.FOLLOW_UP, "回访张三", now(), customer_id=alices.id)
    return World(team_a, team_b, users["alice"], users["amy"], users["bob"], users["anna"], users["bert"],
                 users["root"], alices, bobs, pool, contact, interaction, task)


async def token_principal(scopes: list[str], team: Team | None = None) -> Principal:
    token, _ = await create_api_token("test", scopes, team=team)
    return principal_for_token(token)


async def gql(query: str, principal: Principal | None, **variables):
    """Run an operation through the real schema, as the pages do."""
    result = await schema.execute(query, variable_values=variables or None, context_value=Context(principal=principal))
    return result


def gid(type_name: str, obj) -> str:
    return to_global_id(type_name, obj.id)

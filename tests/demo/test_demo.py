"""The demo dealership: what a newcomer sees after `make run`."""

from collections import Counter
from datetime import date

import phonenumbers
from tortoise.functions import Max, Min

from server.activity.models import Interaction, Task
from server.auth.models import Team, User
from server.auth.principal import principal_for_user
from server.auth.services import authenticate
from server.customers.id_numbers import parse_id_number
from server.customers.models import Contact, Customer, ServiceRecord, Vehicle
from server.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, has_data, load_demo
from server.demo.clock import Clock
from server.demo.generator import build_world
from server.enums import OpportunityStage, OpportunityStatus, Role
from server.privacy.crypto import decrypt
from server.sales.models import Opportunity, VehicleModel
from tests.world import gql


async def test_the_demo_is_a_whole_dealership(db):
    summary = await load_demo()
    assert not summary.already_loaded
    assert summary.teams == 3 and 15 <= summary.users <= 25
    roles = Counter(u.role for u in await User.all())
    assert roles[Role.ADMIN] >= 1 and roles[Role.MANAGER] == 3 and roles[Role.CONSULTANT] >= 12
    assert summary.customers == 2000 and summary.pool_customers > 50
    assert await VehicleModel.all().distinct().values_list("brand", flat=True) and summary.vehicle_models >= 20
    assert len(set(await VehicleModel.all().values_list("energy_type", flat=True))) >= 2

    customers = await Customer.all()
    for c in customers:
        assert phonenumbers.is_valid_number(phonenumbers.parse(c.phone)), c.phone
        assert c.name_pinyin and c.phone_tail == c.phone[-4:]
    with_ids = [c for c in customers if c.id_number_encrypted]
    assert len(with_ids) > 1000
    for c in with_ids[:300]:
        parsed = parse_id_number(decrypt(c.id_number_encrypted))  # raises on a bad checksum
        assert parsed.birthday == c.birthday
    assert sum(1 for c in customers if c.province and c.city) > 1900

    assert set(await Contact.all().distinct().values_list("role", flat=True)) >= {"DECISION_MAKER", "INFLUENCER"}
    assert await Vehicle.all().count() > 300 and await ServiceRecord.all().count() > 300

    span = await Interaction.all().annotate(first=Min("occurred_at"), last=Max("occurred_at")).first().values("first", "last")
    first, last = span["first"], span["last"]
    assert (last - first).days > 450  # about 18 months of history

    opportunities = await Opportunity.all()
    assert {o.stage for o in opportunities if o.status == OpportunityStatus.OPEN} == set(OpportunityStage)
    won = [o for o in opportunities if o.status == OpportunityStatus.WON]
    lost = [o for o in opportunities if o.status == OpportunityStatus.LOST]
    assert won and all(o.close_reason_id for o in won)
    assert lost and all(o.close_reason_id for o in lost) and any(o.competitor_brand for o in lost)
    assert await Task.filter(status="OPEN").count() > 100


async def test_every_demo_account_signs_in_and_sees_its_own_scope(db):
    await load_demo()
    assert len(DEMO_ACCOUNTS) == await User.all().count()
    for username, role, team in DEMO_ACCOUNTS[:2]:  # argon2 is slow by design: two are enough
        user = await authenticate(username, DEMO_PASSWORD, "127.0.0.1")
        assert user.role == role
    consultant = await User.get(username=next(a.username for a in DEMO_ACCOUNTS if a.role == Role.CONSULTANT))
    mine = await Customer.filter(owner_id=consultant.id).first()
    result = await gql('query($q: String!) { customers(filter: {search: $q}) { edges { node { name } } } }',
                       principal_for_user(consultant), q=mine.name_initials)
    assert mine.name in [e["node"]["name"] for e in result.data["customers"]["edges"]]
    everyone = await gql("query { customers { totalCount } }", principal_for_user(consultant))
    assert 0 < everyone.data["customers"]["totalCount"] < 2000


async def test_loading_is_once_and_reset_reloads_the_same_dealership(db):
    first = await load_demo()
    names = sorted(await Customer.all().values_list("name", flat=True))
    again = await load_demo()
    assert again.already_loaded and again.counts() == first.counts()

    await Customer.filter(id=(await Customer.first()).id).update(name="被改过的名字")
    await Team.create(name="不属于演示的组")
    reset = await load_demo(reset=True)
    assert not reset.already_loaded and reset.counts() == first.counts()
    assert sorted(await Customer.all().values_list("name", flat=True)) == names
    assert not await Team.filter(name="不属于演示的组").exists()


async def test_the_demo_is_not_mixed_into_a_database_in_use(db):
    await User.create(username="real", display_name="真实用户", password_hash="x", role=Role.ADMIN)
    assert await has_data()
    summary = await load_demo()
    assert summary.already_loaded and summary.customers == 0 and summary.users == 1


def test_the_same_seed_and_day_give_the_same_world():
    clock = Clock(date(2026, 11, 23))

    def fingerprint(seed: str):
        world = build_world(clock, seed)
        return [(c.name, c.phone, c.id_number_hash, c.city) for c in world.rows[Customer]]

    one = fingerprint("chexiao-demo-1")
    assert one == fingerprint("chexiao-demo-1")
    assert one != fingerprint("another-seed")


async def test_every_demo_talking_point_fits_some_demo_customers(db):
    from server.portrait.models import CustomerTag, MessageTemplate
    from server.portrait.templates import STAGE_ORDER, fit

    await load_demo()
    tags: dict[int, set[str]] = {}
    for cid, name in await CustomerTag.all().values_list("customer_id", "tag__name"):
        tags.setdefault(cid, set()).add(name)
    stage: dict[int, str] = {}
    for cid, s in await Opportunity.filter(status=OpportunityStatus.OPEN).values_list("customer_id", "stage"):
        if cid not in stage or STAGE_ORDER.index(OpportunityStage(s)) > STAGE_ORDER.index(OpportunityStage(stage[cid])):
            stage[cid] = str(s)
    grades = dict(await Customer.all().values_list("id", "grade"))
    templates = await MessageTemplate.filter(is_active=True)
    assert len(templates) == 13
    for t in templates:
        fitting = sum(1 for cid, g in grades.items() if fit(t, tags.get(cid, set()), stage.get(cid), g and str(g)))
        assert fitting >= 5, t.title

"""展厅客流 through the schema: recording walk-ins and departures, listing them, the visit count on a customer."""

from datetime import timedelta

import pytest
from tortoise.timezone import now

from server.api.relay import to_global_id
from server.auth.principal import principal_for_user
from server.customers.models import Customer
from server.sales.models import ShowroomVisit, VehicleModel
from server.sales.showroom import record_walk_in
from tests.sql_statements import counting_statements
from tests.world import gid, gql, token_principal

RECORD = """
mutation($input: RecordShowroomVisitInput!) {
  recordShowroomVisit(input: $input) {
    newLead
    showroomVisit { id partySize isFirstVisit visitorName consultant { username } vehicleModel { displayName }
                    customer { name showroomVisitCount } }
    errors { field code }
  }
}"""

DEPART = """
mutation($id: ID!, $at: DateTime) {
  recordShowroomDeparture(input: {id: $id, leftAt: $at}) { showroomVisit { leftAt } errors { field code } }
}"""

LIST = """
query($filter: ShowroomVisitFilter, $first: Int) {
  showroomVisits(filter: $filter, first: $first) {
    totalCount
    edges { node { visitorName partySize consultant { username } customer { name } } }
  }
}"""


async def test_recording_a_walk_in_matches_the_customer_and_counts_the_visit(world):
    han = await VehicleModel.create(brand="比亚迪", series="汉", body_type="SEDAN", energy_type="BEV", price="209800")
    result = await gql(RECORD, world.p(world.alice), input={
        "phone": "13800138000", "name": "张三", "partySize": 3, "consultantId": gid("User", world.alice),
        "vehicleModelId": gid("VehicleModel", han)})
    payload = result.data["recordShowroomVisit"]
    assert payload["errors"] == [] and payload["newLead"] is False
    visit = payload["showroomVisit"]
    assert visit["partySize"] == 3 and visit["isFirstVisit"] is True
    assert visit["consultant"] == {"username": "alice"} and visit["vehicleModel"] == {"displayName": "比亚迪 汉"}
    assert visit["customer"] == {"name": "张三", "showroomVisitCount": 1}
    again = await gql(RECORD, world.p(world.alice), input={"phone": "+86 138 0013 8000"})
    assert again.data["recordShowroomVisit"]["showroomVisit"]["isFirstVisit"] is False
    assert again.data["recordShowroomVisit"]["showroomVisit"]["customer"]["showroomVisitCount"] == 2


async def test_a_walk_in_for_someone_elses_customer_hides_that_customer_from_the_desk(world):
    result = await gql(RECORD, world.p(world.amy), input={"phone": "13900139000", "name": "李四"})
    visit = result.data["recordShowroomVisit"]["showroomVisit"]
    assert visit["visitorName"] == "李四" and visit["customer"] is None
    listed = await gql(LIST, world.p(world.amy))
    assert listed.data["showroomVisits"]["totalCount"] == 1
    assert listed.data["showroomVisits"]["edges"][0]["node"]["customer"] is None
    owner = await gql(LIST, world.p(world.bob))
    assert owner.data["showroomVisits"]["edges"][0]["node"]["customer"] == {"name": "李四"}


@pytest.mark.parametrize("variables, field", [
    ({"phone": "12345"}, "phone"),
    ({"phone": "13800138000", "partySize": 0}, "partySize"),
    ({"name": "x", "arrivedAt": (now() + timedelta(days=1)).isoformat()}, "arrivedAt"),
    ({"name": "x", "consultantId": to_global_id("Customer", 1)}, "consultantId"),
])
async def test_bad_input_is_a_user_error_naming_the_field(world, variables, field):
    result = await gql(RECORD, world.p(world.alice), input=variables)
    payload = result.data["recordShowroomVisit"]
    assert payload["showroomVisit"] is None and field in {e["field"] for e in payload["errors"]}
    assert await ShowroomVisit.all().count() == 0


async def test_a_departure_before_the_arrival_names_left_at(world):
    walk_in = await record_walk_in(world.p(world.alice), phone="13800138000", arrived_at=now() - timedelta(hours=2))
    visit_id = gid("ShowroomVisit", walk_in.visit)
    early = await gql(DEPART, world.p(world.alice), id=visit_id, at=(now() - timedelta(hours=3)).isoformat())
    assert early.data["recordShowroomDeparture"]["errors"] == [{"field": "leftAt", "code": "INVALID"}]
    left = await gql(DEPART, world.p(world.alice), id=visit_id)
    assert left.data["recordShowroomDeparture"]["errors"] == []
    assert left.data["recordShowroomDeparture"]["showroomVisit"]["leftAt"] is not None


async def test_the_list_filters_by_day_consultant_first_visit_and_presence(world):
    me = world.p(world.anna)
    await record_walk_in(me, phone="13800138000", consultant_id=world.alice.id, arrived_at=now() - timedelta(days=2))
    await record_walk_in(me, phone="13800138000", consultant_id=world.alice.id)
    third = await record_walk_in(me, name="路过", consultant_id=world.amy.id)
    from server.sales.showroom import record_departure

    await record_departure(me, third.visit.id)
    since = (now() - timedelta(hours=1)).isoformat()

    async def count(**flt) -> int:
        result = await gql(LIST, me, filter=flt)
        assert result.errors is None, result.errors
        return result.data["showroomVisits"]["totalCount"]

    assert await count() == 3
    assert await count(**{"from": since}) == 2
    assert await count(**{"from": since, "consultantId": gid("User", world.alice)}) == 1
    assert await count(isFirstVisit=False) == 1
    assert await count(inShowroom=True) == 2 and await count(inShowroom=False) == 1


async def test_a_page_of_customers_counts_visits_in_one_query(world):
    customers = await Customer.bulk_create(
        [Customer(name=f"客户{i}", owner_id=world.alice.id, team_id=world.team_a.id) for i in range(30)])
    ids = await Customer.filter(owner_id=world.alice.id).values_list("id", flat=True)
    await ShowroomVisit.bulk_create([ShowroomVisit(customer_id=i, arrived_at=now()) for i in ids for _ in range(2)])
    query = "query($first: Int) { customers(first: $first) { edges { node { showroomVisitCount } } } }"

    async def cost(first: int) -> int:
        with counting_statements() as counter:
            result = await gql(query, principal_for_user(world.alice), first=first)
        assert {e["node"]["showroomVisitCount"] for e in result.data["customers"]["edges"]} == {2}
        return counter.count

    assert await cost(5) == await cost(25)


@pytest.mark.parametrize("who, allowed", [
    ("alice", True), ("amy", True), ("bob", True), ("anna", True), ("bert", True), ("root", True),
    ("token read+write", True), ("token read-only", False), ("anonymous", False),
])
async def test_any_staff_member_and_a_write_token_may_record_a_walk_in(world, who, allowed):
    if who == "anonymous":
        caller = None
    elif who.startswith("token"):
        caller = await token_principal(["read", "write"] if who == "token read+write" else ["read"])
    else:
        caller = world.p(getattr(world, who))
    result = await gql(RECORD, caller, input={"phone": "13800138000", "partySize": 2})
    recorded = result.errors is None and result.data["recordShowroomVisit"]["errors"] == []
    assert recorded is allowed
    assert await ShowroomVisit.all().count() == (1 if allowed else 0)
    # Whoever logs the walk-in, the customer stays with its owner.
    assert (await Customer.get(id=world.alices_customer.id)).owner_id == world.alice.id

from server.customers.models import Customer
from tests.world import gid, gql

CREATE = """
mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer { id name phone gender birthday idNumber owner { username } version }
    errors { field code message }
  }
}"""

UPDATE = """
mutation($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id name version grade } errors { field code message } }
}"""

SEARCH = """
query($filter: CustomerFilter, $first: Int, $after: String, $order: CustomerOrder) {
  customers(filter: $filter, first: $first, after: $after, orderBy: $order) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_create_customer_fills_birthday_and_gender_from_the_id_number(world):
    result = await gql(CREATE, world.p(world.alice), input={
        "name": " 赵　六 ", "phone": "０１３５ ００１３ ５０００", "idNumber": "440305198511230024",
    })
    payload = result.data["createCustomer"]
    assert payload["errors"] == []
    customer = payload["customer"]
    assert customer["name"] == "赵六"
    assert customer["phone"] == "135****5000"
    assert customer["birthday"] == "1985-11-23"
    assert customer["gender"] == "FEMALE"
    assert customer["idNumber"] == "440305********0024"
    assert customer["owner"]["username"] == "alice"
    stored = await Customer.get(name="赵六")
    assert stored.phone == "+8613500135000"
    assert "440305198511230024" not in (stored.id_number_encrypted or "")


async def test_create_customer_reports_every_bad_field(world):
    result = await gql(CREATE, world.p(world.alice), input={"name": "", "phone": "12345", "idNumber": "110101199003071234"})
    errors = {e["field"]: e["code"] for e in result.data["createCustomer"]["errors"]}
    assert errors == {"name": "INVALID", "phone": "INVALID", "idNumber": "INVALID"}
    assert result.data["createCustomer"]["customer"] is None
    assert await Customer.all().count() == 3


async def test_create_customer_with_a_known_phone_is_a_duplicate(world):
    result = await gql(CREATE, world.p(world.alice), input={"name": "张三", "phone": "138 0013 8000"})
    assert result.data["createCustomer"]["errors"] == [
        {"field": "phone", "code": "DUPLICATE", "message": "a customer with this phone already exists"}
    ]


async def test_update_with_a_stale_version_is_a_conflict_and_changes_nothing(world):
    me = world.p(world.alice)
    cid = gid("Customer", world.alices_customer)
    first = await gql(UPDATE, me, input={"id": cid, "version": 1, "grade": "A"})
    assert first.data["updateCustomer"]["customer"]["version"] == 2
    stale = await gql(UPDATE, me, input={"id": cid, "version": 1, "name": "张三丰"})
    assert stale.data["updateCustomer"]["errors"][0]["code"] == "CONFLICT"
    stored = await Customer.get(id=world.alices_customer.id)
    assert (stored.name, stored.grade, stored.version) == ("张三", "A", 2)


async def test_update_leaves_unsent_fields_alone_and_is_audited(world):
    from server.audit.models import AuditLog

    me = world.p(world.alice)
    result = await gql(UPDATE, me, input={"id": gid("Customer", world.alices_customer), "version": 1, "name": "张叁"})
    assert result.data["updateCustomer"]["errors"] == []
    stored = await Customer.get(id=world.alices_customer.id)
    assert stored.phone == "+8613800138000" and stored.name_pinyin == "zhangsan"
    entry = await AuditLog.filter(action="update", object_id=str(stored.id)).first()
    assert entry.changes["name"] == ["张三", "张叁"] and entry.actor_user_id == world.alice.id


async def test_search_matches_name_pinyin_initials_and_phone_tail(world):
    me = world.p(world.alice)
    for text in ("张", "zhangsan", "zhang", "zs", "ZS", "8000", "0138000"):
        result = await gql(SEARCH, me, filter={"search": text})
        names = [e["node"]["name"] for e in result.data["customers"]["edges"]]
        assert names == ["张三"], text
    result = await gql(SEARCH, me, filter={"search": "ww"})
    assert [e["node"]["name"] for e in result.data["customers"]["edges"]] == ["王五"]


async def test_filters_combine_and_pool_can_be_selected(world):
    me = world.p(world.anna)
    pool = await gql(SEARCH, me, filter={"inPool": True})
    assert [e["node"]["name"] for e in pool.data["customers"]["edges"]] == ["王五"]
    await Customer.filter(id=world.alices_customer.id).update(grade="A", lifecycle="PROSPECT")
    graded = await gql(SEARCH, me, filter={"grade": ["A"], "lifecycle": ["PROSPECT", "CUSTOMER"]})
    assert [e["node"]["name"] for e in graded.data["customers"]["edges"]] == ["张三"]
    none = await gql(SEARCH, me, filter={"grade": ["A"], "lifecycle": ["LEAD"]})
    assert none.data["customers"]["totalCount"] == 0


async def test_pages_follow_cursors_without_gaps_or_repeats(world):
    from server.auth.principal import principal_for_user
    from server.customers.services import create_customer

    me = principal_for_user(world.alice)
    for i in range(7):
        await create_customer(me, {"name": f"客户{i}"})
    seen, after = [], None
    while True:
        result = await gql(SEARCH, me, first=3, after=after, order={"field": "CREATED_AT", "direction": "ASC"})
        conn = result.data["customers"]
        assert conn["totalCount"] == 9  # 8 of alice's + the pool
        seen += [e["node"]["name"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(seen) == 9 and len(set(seen)) == 9


async def test_first_above_the_page_limit_is_refused(world):
    result = await gql(SEARCH, world.p(world.alice), first=1000)
    assert "first must be between 0 and 100" in result.errors[0].message


CONTACTS = """
mutation($add: AddContactInput!) { addContact(input: $add) { contact { id name role version reportsTo { name } } errors { field code } } }
"""
UPDATE_CONTACT = """
mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { role version } errors { field code } } }
"""


async def test_contacts_carry_decision_roles_and_reporting_lines(world):
    me = world.p(world.alice)
    boss = await gql(CONTACTS, me, add={"customerId": gid("Customer", world.alices_customer), "name": "张总", "role": "DECISION_MAKER"})
    boss_id = boss.data["addContact"]["contact"]["id"]
    staff = await gql(CONTACTS, me, add={"customerId": gid("Customer", world.alices_customer), "name": "小李",
                                         "role": "INFLUENCER", "reportsToId": boss_id})
    contact = staff.data["addContact"]["contact"]
    assert contact["role"] == "INFLUENCER" and contact["reportsTo"] == {"name": "张总"}
    changed = await gql(UPDATE_CONTACT, me, input={"id": contact["id"], "version": 1, "role": "CHAMPION"})
    assert changed.data["updateContact"]["contact"] == {"role": "CHAMPION", "version": 2}
    stale = await gql(UPDATE_CONTACT, me, input={"id": contact["id"], "version": 1, "role": "USER"})
    assert stale.data["updateContact"]["errors"] == [{"field": "version", "code": "CONFLICT"}]


async def test_a_contact_cannot_report_to_someone_of_another_customer(world):
    result = await gql(CONTACTS, world.p(world.bob), add={
        "customerId": gid("Customer", world.bobs_customer), "name": "x",
        "reportsToId": gid("Contact", world.alices_contact)})
    assert result.data["addContact"]["errors"] == [{"field": "reportsToId", "code": "INVALID"}]


LOG = """
mutation($input: LogInteractionInput!) {
  logInteraction(input: $input) { interaction { id kind summary author { username } } errors { field code message } }
}"""
TIMELINE = """
query($id: ID!) { customer(id: $id) { lastContactAt nextFollowUpAt interactions(first: 5) { edges { node { summary } } } } }
"""


async def test_logged_interaction_tops_the_timeline_and_sets_the_follow_up(world):
    me = world.p(world.alice)
    cid = gid("Customer", world.alices_customer)
    result = await gql(LOG, me, input={"customerId": cid, "kind": "CALL", "summary": "预算25万，下周试驾",
                                       "nextFollowUpAt": "2099-01-01T02:00:00+00:00"})
    assert result.data["logInteraction"]["errors"] == []
    assert result.data["logInteraction"]["interaction"]["author"] == {"username": "alice"}
    view = (await gql(TIMELINE, me, id=cid)).data["customer"]
    assert view["interactions"]["edges"][0]["node"]["summary"] == "预算25万，下周试驾"
    assert view["nextFollowUpAt"].startswith("2099-01-01T02:00:00")
    assert view["lastContactAt"] is not None


async def test_an_interaction_in_the_future_is_refused(world):
    result = await gql(LOG, world.p(world.alice), input={
        "customerId": gid("Customer", world.alices_customer), "kind": "VISIT", "occurredAt": "2099-01-01T00:00:00+00:00"})
    assert result.data["logInteraction"]["errors"][0]["field"] == "occurredAt"

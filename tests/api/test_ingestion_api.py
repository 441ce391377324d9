"""Ingestion, review and merge through GraphQL, as integrators and the review page use them."""

import pytest

from server.customers.models import Customer
from server.enums import Channel
from server.ingestion.models import DuplicateCandidate, SourceRecord
from server.ingestion.services import Incoming, ingest
from tests.world import gid, gql, token_principal

INGEST = """
mutation($input: IngestRecordsInput!) {
  ingestRecords(input: $input) {
    results { index status customerId sourceRecordId reasons replayed
              problems { field message } corrections { field before after reason } }
    errors { field code message }
  }
}"""

MERGE = """
mutation($input: MergeCustomersInput!) {
  mergeCustomers(input: $input) { customer { id name phone } errors { field code message } }
}"""

RESOLVE = """
mutation($input: ResolveDuplicateCandidateInput!) {
  resolveDuplicateCandidate(input: $input) {
    candidate { id status } customer { id name } errors { field code message }
  }
}"""

UNMERGE = """
mutation($id: ID!) {
  unmergeSourceRecord(input: {sourceRecordId: $id}) { customer { id name } errors { field code message } }
}"""


async def test_an_integrator_ingests_a_batch_and_learns_what_became_of_each_record(world):
    token = await token_principal(["ingest"])
    records = [
        {"data": {"姓名": " 赵六 ", "手机号": "+86 138-0013-8111", "意向车型": "汉"}, "externalId": "web-1"},
        {"data": {"姓名": "赵六", "手机": "13800138111", "城市": "深圳"}, "externalId": "web-2"},
        {"data": {"姓名": "钱七", "手机号": "12345"}, "externalId": "web-3"},
    ]
    result = await gql(INGEST, token, input={"channel": "WEBSITE", "records": records})
    assert result.errors is None, result.errors
    first, second, third = result.data["ingestRecords"]["results"]
    assert first["status"] == "CREATED" and second["status"] == "MERGED"
    assert first["customerId"] == second["customerId"]
    assert any(c["field"] == "name" for c in first["corrections"])
    assert third["status"] == "REJECTED"
    assert any(p["field"] == "phone" for p in third["problems"])
    # every record is kept, the rejected one included
    assert await SourceRecord.filter(external_id__in=["web-1", "web-2", "web-3"]).count() == 3

    again = await gql(INGEST, token, input={"channel": "WEBSITE", "records": records[:1]})
    replay = again.data["ingestRecords"]["results"][0]
    assert replay["replayed"] and replay["customerId"] == first["customerId"]
    assert await SourceRecord.filter(external_id="web-1").count() == 1


async def test_ingesting_needs_the_ingest_scope_and_rejects_oversized_or_malformed_batches(world):
    read_only = await token_principal(["read"])
    denied = await gql(INGEST, read_only, input={"channel": "WEBSITE", "records": [{"data": {"name": "x"}}]})
    assert denied.errors and denied.data is None
    assert await SourceRecord.all().count() == 0

    token = await token_principal(["ingest"])
    too_many = [{"data": {"name": "x", "phone": "13800000000"}}] * 1001
    result = await gql(INGEST, token, input={"channel": "WEBSITE", "records": too_many})
    assert result.data["ingestRecords"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
    assert await SourceRecord.all().count() == 0

    malformed = await gql(INGEST, token, input={"channel": "WEBSITE", "records": [{"data": {"name": "ok"}}, {"data": [1, 2]}]})
    assert malformed.data["ingestRecords"]["errors"][0]["field"] == "records.1.data"
    assert await SourceRecord.all().count() == 0


async def test_a_customer_shows_its_source_records_with_id_numbers_masked(world):
    await ingest(Channel.SHOWROOM, [Incoming({"name": "张三", "phone": "13800138000", "身份证": "110101199003071233"})])
    query = """query($id: ID!) { customer(id: $id) {
        fieldSources sourceRecords { totalCount edges { node { channel payload status } } } } }"""
    result = await gql(query, world.p(world.alice), id=gid("Customer", world.alices_customer))
    customer = result.data["customer"]
    assert customer["sourceRecords"]["totalCount"] == 1
    payload = customer["sourceRecords"]["edges"][0]["node"]["payload"]
    shown = " ".join(str(v) for v in payload.values())
    assert "110101199003071233" not in shown and "1233" in shown

    outsider = await gql(query, world.p(world.bob), id=gid("Customer", world.alices_customer))
    assert outsider.data["customer"] is None


async def _near_pair(world):
    """Two of alice's customers that look like one person."""
    a = (await ingest(Channel.WEBSITE, [Incoming({"name": "孙八", "phone": "13511112222"})]))[0]
    b = (await ingest(Channel.PHONE, [Incoming({"name": "孙八", "phone": "13511112223", "地址": "福田区"})]))[0]
    assert b.status.value == "NEEDS_REVIEW"
    await Customer.filter(id__in=[a.customer_id, b.customer_id]).update(owner_id=world.alice.id, team_id=world.team_a.id)
    return a.customer_id, b.customer_id, await DuplicateCandidate.get(customer_a_id=a.customer_id)


CANDIDATES = "query { duplicateCandidates { totalCount edges { node { id score reasons customerA { name } customerB { name } } } } }"


async def test_the_review_queue_lists_pairs_only_to_those_who_may_see_both(world):
    await _near_pair(world)
    mine = await gql(CANDIDATES, world.p(world.alice))
    assert mine.data["duplicateCandidates"]["totalCount"] == 1
    node = mine.data["duplicateCandidates"]["edges"][0]["node"]
    assert node["customerA"]["name"] == node["customerB"]["name"] == "孙八" and node["reasons"]
    for outsider in (world.bob, world.bert, world.amy):
        seen = await gql(CANDIDATES, world.p(outsider))
        assert seen.data["duplicateCandidates"]["totalCount"] == 0
        by_id = await gql("query($id: ID!) { node(id: $id) { id } }", world.p(outsider), id=node["id"])
        assert by_id.data["node"] is None
    assert (await gql("query($id: ID!) { node(id: $id) { id } }", world.p(world.anna), id=node["id"])).data["node"]


async def test_resolving_a_pair_merges_with_chosen_fields_or_remembers_they_differ(world):
    a, b, candidate = await _near_pair(world)
    choose_b_phone = [{"field": "phone", "customerId": gid("Customer", await Customer.get(id=b))}]
    result = await gql(RESOLVE, world.p(world.alice), input={
        "id": gid("DuplicateCandidate", candidate), "action": "MERGE",
        "survivorId": gid("Customer", await Customer.get(id=a)), "fieldChoices": choose_b_phone})
    payload = result.data["resolveDuplicateCandidate"]
    assert payload["errors"] == [] and payload["candidate"]["status"] == "MERGED"
    survivor = await Customer.get(id=a)
    assert survivor.phone == "+8613511112223" and survivor.address == "福田区"
    assert (await Customer.get(id=b)).merged_into_id == a

    again = await gql(RESOLVE, world.p(world.alice), input={"id": gid("DuplicateCandidate", candidate), "action": "MERGE"})
    assert again.data["resolveDuplicateCandidate"]["errors"][0]["code"] in ("CONFLICT", "NOT_FOUND")


async def test_not_the_same_person_is_remembered_through_the_api(world):
    a, b, candidate = await _near_pair(world)
    result = await gql(RESOLVE, world.p(world.alice), input={"id": gid("DuplicateCandidate", candidate), "action": "NOT_SAME_PERSON"})
    assert result.data["resolveDuplicateCandidate"]["candidate"]["status"] == "DISMISSED"
    assert (await Customer.get(id=b)).merged_into_id is None
    assert (await gql(CANDIDATES, world.p(world.alice))).data["duplicateCandidates"]["totalCount"] == 0


async def test_merge_and_split_by_hand(world):
    a, b, _ = await _near_pair(world)
    ids = {"survivorId": gid("Customer", await Customer.get(id=a)), "mergedIds": [gid("Customer", await Customer.get(id=b))]}
    merged = await gql(MERGE, world.p(world.alice), input=ids)
    assert merged.data["mergeCustomers"]["errors"] == []
    records = await SourceRecord.filter(customer_id=a).order_by("id")
    assert len(records) == 2
    split = await gql(UNMERGE, world.p(world.alice), id=gid("SourceRecord", records[1]))
    payload = split.data["unmergeSourceRecord"]
    assert payload["errors"] == [] and payload["customer"]["name"] == "孙八"
    assert (await SourceRecord.get(id=records[1].id)).customer_id != a


@pytest.mark.parametrize("who", ["amy", "bob", "bert"])
async def test_outsiders_cannot_merge_split_or_resolve(world, who):
    a, b, candidate = await _near_pair(world)
    p = world.p(getattr(world, who))
    customer_a, customer_b = await Customer.get(id=a), await Customer.get(id=b)
    merged = await gql(MERGE, p, input={"survivorId": gid("Customer", customer_a), "mergedIds": [gid("Customer", customer_b)]})
    assert merged.data["mergeCustomers"]["errors"]
    # into their own customer, too: the other side is not theirs
    own = {"amy": None, "bob": world.bobs_customer, "bert": world.bobs_customer}[who]
    if own is not None:
        grab = await gql(MERGE, p, input={"survivorId": gid("Customer", own), "mergedIds": [gid("Customer", customer_a)]})
        assert grab.data["mergeCustomers"]["errors"]
    resolved = await gql(RESOLVE, p, input={"id": gid("DuplicateCandidate", candidate), "action": "MERGE"})
    assert resolved.data["resolveDuplicateCandidate"]["errors"]
    dismissed = await gql(RESOLVE, p, input={"id": gid("DuplicateCandidate", candidate), "action": "NOT_SAME_PERSON"})
    assert dismissed.data["resolveDuplicateCandidate"]["errors"]
    record = await SourceRecord.filter(customer_id=b).first()
    split = await gql(UNMERGE, p, id=gid("SourceRecord", record))
    assert split.data["unmergeSourceRecord"]["errors"]
    assert (await Customer.get(id=b)).merged_into_id is None
    assert (await DuplicateCandidate.get(id=candidate.id)).status == "OPEN"

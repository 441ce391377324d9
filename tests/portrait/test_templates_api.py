"""messageTemplates, recommendedTemplates and the template mutations, through the real schema."""

from server.customers.models import Customer
from server.portrait.models import CustomerTag, MessageTemplate, Tag
from tests.world import gid, gql

CREATE = """mutation($input: CreateMessageTemplateInput!) { createMessageTemplate(input: $input) {
    messageTemplate { id title kind tagNames stages grades isActive } errors { field code message } } }"""
UPDATE = """mutation($input: UpdateMessageTemplateInput!) { updateMessageTemplate(input: $input) {
    messageTemplate { id title isActive grades } errors { field code } } }"""
LIST = "query($all: Boolean!) { messageTemplates(includeInactive: $all) { totalCount edges { node { title isActive } } } }"
RECOMMEND = """query($id: ID!) { recommendedTemplates(customerId: $id) { title body matchedTags score
    template { id title } } }"""


async def test_a_manager_creates_a_template_and_the_consultant_gets_it_rendered(world):
    await Customer.filter(id=world.alices_customer.id).update(gender="MALE", grade="B")
    tag = await Tag.create(name="潜在换车客户", category="PREDICTION")
    await CustomerTag.create(customer=world.alices_customer, tag=tag, source="RULE")
    created = await gql(CREATE, world.p(world.anna), input={
        "title": "换车关怀", "body": "{{ salutation }}，您的爱车开了几年了，店里有置换补贴。", "kind": "MESSAGE",
        "tagNames": ["潜在换车客户"], "grades": ["A", "B"]})
    assert created.errors is None, created.errors
    payload = created.data["createMessageTemplate"]
    assert payload["errors"] == []
    assert payload["messageTemplate"] | {"id": None} == {
        "id": None, "title": "换车关怀", "kind": "MESSAGE", "tagNames": ["潜在换车客户"], "stages": [],
        "grades": ["A", "B"], "isActive": True}
    seen = await gql(RECOMMEND, world.p(world.alice), id=gid("Customer", world.alices_customer))
    assert seen.data["recommendedTemplates"] == [{
        "title": "换车关怀", "body": "张先生，您的爱车开了几年了，店里有置换补贴。", "matchedTags": ["潜在换车客户"],
        "score": 4, "template": {"id": payload["messageTemplate"]["id"], "title": "换车关怀"}}]


async def test_a_body_reaching_into_python_is_refused_with_a_body_error(world):
    result = await gql(CREATE, world.p(world.anna), input={"title": "坏", "body": "{{ ''.__class__ }}"})
    payload = result.data["createMessageTemplate"]
    assert payload["messageTemplate"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("body", "INVALID")]
    assert not await MessageTemplate.exists()


async def test_a_consultant_may_not_create_or_edit(world):
    result = await gql(CREATE, world.p(world.alice), input={"title": "t", "body": "b"})
    assert result.data["createMessageTemplate"]["errors"] == [
        {"field": "title", "code": "FORBIDDEN", "message": "only managers and admins edit talking points"}]
    row = await MessageTemplate.create(title="原样", body="b")
    result = await gql(UPDATE, world.p(world.alice), input={"id": gid("MessageTemplate", row), "title": "改"})
    assert result.data["updateMessageTemplate"]["errors"] == [{"field": "id", "code": "FORBIDDEN"}]


async def test_retired_templates_leave_the_list_unless_asked_for(world):
    row = await MessageTemplate.create(title="旧话术", body="b")
    await MessageTemplate.create(title="新话术", body="b")
    result = await gql(UPDATE, world.p(world.root), input={"id": gid("MessageTemplate", row), "isActive": False, "grades": ["C"]})
    assert result.data["updateMessageTemplate"]["messageTemplate"] | {"id": None} == {
        "id": None, "title": "旧话术", "isActive": False, "grades": ["C"]}
    active = await gql(LIST, world.p(world.alice), all=False)
    assert [e["node"]["title"] for e in active.data["messageTemplates"]["edges"]] == ["新话术"]
    every = await gql(LIST, world.p(world.alice), all=True)
    assert [(e["node"]["title"], e["node"]["isActive"]) for e in every.data["messageTemplates"]["edges"]] == [
        ("新话术", True), ("旧话术", False)]


async def test_an_unknown_template_id_is_not_found(world):
    result = await gql(UPDATE, world.p(world.anna), input={"id": gid("MessageTemplate", world.alices_customer), "title": "x"})
    assert result.data["updateMessageTemplate"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]

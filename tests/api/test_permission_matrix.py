"""Every path to a record, tried by every kind of caller that must not see or change it.

The record is alice's customer in team A (with a contact and an interaction).
"""

import pytest

from server.activity.models import Task
from server.customers.models import Contact, Customer
from tests.world import gid, gql, token_principal

SEE = {
    "node customer": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Customer", w.alices_customer)}, "node"),
    "node contact": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Contact", w.alices_contact)}, "node"),
    "node interaction": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Interaction", w.alices_interaction)}, "node"),
    "node task": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Task", w.alices_task)}, "node"),
    "tasks": ("query { tasks { totalCount } }", lambda w: {}, "tasks"),
    "customer": ("query($id: ID!) { customer(id: $id) { name } }", lambda w: {"id": gid("Customer", w.alices_customer)}, "customer"),
    "connection": ('query { customers(filter: {search: "zhangsan"}) { totalCount edges { node { name } } } }', lambda w: {}, "customers"),
    "nested via interaction": (
        "query($id: ID!) { node(id: $id) { ... on Interaction { customer { name contacts { name } } } } }",
        lambda w: {"id": gid("Interaction", w.alices_interaction)}, "node"),
}

CHANGE = {
    "updateCustomer": (
        "mutation($id: ID!) { updateCustomer(input: {id: $id, version: 1, name: \"改名\"}) { customer { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "updateCustomer"),
    "addContact": (
        "mutation($id: ID!) { addContact(input: {customerId: $id, name: \"新联系人\"}) { contact { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "addContact"),
    "updateContact": (
        "mutation($id: ID!) { updateContact(input: {id: $id, version: 1, name: \"改名\"}) { contact { id } errors { code } } }",
        lambda w: {"id": gid("Contact", w.alices_contact)}, "updateContact"),
    "logInteraction": (
        "mutation($id: ID!) { logInteraction(input: {customerId: $id, kind: CALL, summary: \"x\"}) { interaction { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "logInteraction"),
    "completeTask": (
        "mutation($id: ID!) { completeTask(input: {id: $id}) { task { id } errors { code } } }",
        lambda w: {"id": gid("Task", w.alices_task)}, "completeTask"),
    "revealField": (
        "mutation($id: ID!) { revealField(input: {customerId: $id, field: PHONE}) { value errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "revealField"),
}


async def _caller(world, who):
    if who == "anonymous":
        return None
    if who.startswith("token"):
        scopes, team = {
            "token without read": (["ingest"], None),
            "token read-only": (["read"], None),
            "token of team B": (["read", "write", "reveal"], world.team_b),
            "token read+write": (["read", "write"], None),
            "token all": (["read", "write", "reveal"], None),
        }[who]
        return await token_principal(scopes, team)
    return world.p(getattr(world, who))


def _visible(result, key) -> bool:
    if result.errors:
        return False
    value = result.data[key]
    if key == "customers":
        return value["totalCount"] > 0
    if key == "tasks":
        return value["totalCount"] > 0
    if key == "node" and value is not None and "customer" in value:
        return value["customer"] is not None
    return value is not None


def _changed(result, key) -> bool:
    if result.errors or result.data is None:
        return False
    payload = result.data[key]
    return not payload["errors"]


MAY_NOT_SEE = ["anonymous", "amy", "bob", "bert", "token without read", "token of team B"]
MAY_SEE = ["alice", "anna", "root", "token read-only"]
MAY_NOT_CHANGE = ["anonymous", "amy", "bob", "bert", "token read-only", "token of team B", "token without read"]


@pytest.mark.parametrize("who", MAY_NOT_SEE)
@pytest.mark.parametrize("path", list(SEE))
async def test_callers_outside_the_scope_cannot_see(world, who, path):
    query, variables, key = SEE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert not _visible(result, key)


@pytest.mark.parametrize("who", MAY_SEE)
@pytest.mark.parametrize("path", list(SEE))
async def test_callers_inside_the_scope_can_see(world, who, path):
    query, variables, key = SEE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert _visible(result, key)


@pytest.mark.parametrize("who", MAY_NOT_CHANGE)
@pytest.mark.parametrize("path", list(CHANGE))
async def test_callers_outside_the_scope_cannot_change(world, who, path):
    query, variables, key = CHANGE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert not _changed(result, key)
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.name == "张三" and customer.version == 1
    assert await Contact.filter(customer_id=customer.id).count() == 1
    assert (await Contact.get(id=world.alices_contact.id)).name == "张太太"
    assert (await Task.get(id=world.alices_task.id)).status == "OPEN"


@pytest.mark.parametrize("who", ["alice", "anna", "root", "token all"])
@pytest.mark.parametrize("path", list(CHANGE))
async def test_callers_inside_the_scope_can_change(world, who, path):
    query, variables, key = CHANGE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert _changed(result, key), result


async def test_a_consultant_sees_the_pool_but_cannot_change_it_before_claiming(world):
    me = world.p(world.bob)
    pool_id = gid("Customer", world.pool_customer)
    seen = await gql("query($id: ID!) { customer(id: $id) { name phone inPool } }", me, id=pool_id)
    assert seen.data["customer"] == {"name": "王五", "phone": "137****7000", "inPool": True}
    change = await gql(CHANGE["updateCustomer"][0], me, id=pool_id)
    assert change.data["updateCustomer"]["errors"] == [{"code": "NOT_FOUND"}]
    reveal = await gql(CHANGE["revealField"][0], me, id=pool_id)
    assert reveal.data["revealField"]["value"] is None


async def test_reveal_shows_the_number_and_is_logged(world):
    from server.audit.models import AuditLog

    result = await gql(CHANGE["revealField"][0], world.p(world.alice), id=gid("Customer", world.alices_customer))
    assert result.data["revealField"]["value"] == "13800138000"
    entry = await AuditLog.get(action="reveal")
    assert entry.actor_user_id == world.alice.id and entry.changes == {"field": "PHONE"}

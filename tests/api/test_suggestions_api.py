"""Interaction.facts, Customer.suggestions and the accept/dismiss mutations through the real schema."""

from server.customers.models import Customer
from server.portrait import suggestions
from tests.world import gid, gql

LOG = """mutation($id: ID!, $s: String!) { logInteraction(input: {customerId: $id, kind: CALL, summary: $s}) {
  interaction { facts { kind value normalized start end confidence negated status } } errors { code } } }"""
SUGGESTIONS = "query($id: ID!) { customer(id: $id) { version suggestions { key label tag changes { field value } value } } }"
ACCEPT = """mutation($id: ID!, $k: String!, $v: Int) { acceptSuggestion(input: {customerId: $id, suggestionKey: $k, version: $v}) {
  customer { budgetMin budgetMax tags { tag { name } source } } errors { field code } } }"""
DISMISS = """mutation($id: ID!, $k: String!) { dismissSuggestion(input: {customerId: $id, suggestionKey: $k}) {
  customer { id } errors { field code } } }"""


async def test_a_logged_call_shows_its_facts_and_suggestions_and_one_is_accepted(world):
    suggestions.forget_catalog()
    alice, cid = world.p(world.alice), gid("Customer", world.alices_customer)
    logged = await gql(LOG, alice, id=cid, s="预算20-30万，不要SUV，分期")
    facts = logged.data["logInteraction"]["interaction"]["facts"]
    assert [(f["kind"], f["value"], f["negated"]) for f in facts] == [
        ("budget", "20-30万", False), ("body", "SUV", True), ("financing", "分期", False)]
    offered = (await gql(SUGGESTIONS, alice, id=cid)).data["customer"]["suggestions"]
    assert [(s["key"], s["label"]) for s in offered] == [("budget:200000-300000", "预算:20-30万"),
                                                        ("financing:LOAN", "贷款意向")]
    assert offered[0]["changes"] == [{"field": "budgetMin", "value": "200000"}, {"field": "budgetMax", "value": "300000"}]
    stale = await gql(ACCEPT, alice, id=cid, k="budget:200000-300000", v=99)
    assert stale.data["acceptSuggestion"]["errors"] == [{"field": "version", "code": "CONFLICT"}]
    version = (await Customer.get(id=world.alices_customer.id)).version
    accepted = (await gql(ACCEPT, alice, id=cid, k="budget:200000-300000", v=version)).data["acceptSuggestion"]
    assert accepted["errors"] == []
    assert (accepted["customer"]["budgetMin"], accepted["customer"]["budgetMax"]) == (200000, 300000)
    assert accepted["customer"]["tags"] == [{"tag": {"name": "预算:20-30万"}, "source": "EXTRACTOR"}]
    dismissed = await gql(DISMISS, alice, id=cid, k="financing:LOAN")
    assert dismissed.data["dismissSuggestion"]["errors"] == []
    assert (await gql(SUGGESTIONS, alice, id=cid)).data["customer"]["suggestions"] == []
    again = await gql(DISMISS, alice, id=cid, k="financing:LOAN")
    assert again.data["dismissSuggestion"]["errors"] == [{"field": "suggestionKey", "code": "NOT_FOUND"}]

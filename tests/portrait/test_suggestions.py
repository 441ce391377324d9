"""Facts from a logged note become suggestions the consultant accepts or dismisses in one tap."""

import pytest

from server.activity.services import log_interaction
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import InteractionKind, TagSource
from server.errors import UserError, UserErrors
from server.portrait import suggestions
from server.portrait.models import CustomerTag
from server.sales.models import VehicleModel


@pytest.fixture
async def catalog(db):
    suggestions.forget_catalog()
    await VehicleModel.create(brand="比亚迪", series="汉", trim="EV 冠军版", body_type="SEDAN", energy_type="BEV",
                              price="209800.00", aliases=["汉EV"])
    yield
    suggestions.forget_catalog()


async def test_a_logged_note_stores_its_facts_with_span_and_extractor_version(world, catalog):
    alice = world.p(world.alice)
    row = await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.CALL,
                                summary="预算20-30万，想看汉EV，不要SUV，分期")
    assert row.facts["extractor"] == suggestions.EXTRACTOR_VERSION
    facts = {(f["kind"], f["normalized"], f["negated"]) for f in row.facts["facts"]}
    assert facts == {("budget", "200000-300000", False), ("model", "比亚迪 汉", False), ("body", "SUV", True),
                     ("financing", "LOAN", False)}
    budget = next(f for f in row.facts["facts"] if f["kind"] == "budget")
    assert row.summary[budget["start"]:budget["end"]] == "20-30万"


async def test_suggestions_offer_tags_and_fields_but_not_what_the_customer_ruled_out(world, catalog):
    alice = world.p(world.alice)
    await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.CALL,
                          summary="预算20-30万，想看汉EV，不要SUV，分期，也看了小米SU7")
    offered = {s.key: s for s in await suggestions.suggestions_for(await Customer.get(id=world.alices_customer.id))}
    assert set(offered) == {"budget:200000-300000", "model:比亚迪 汉", "financing:LOAN", "competitor:小米 SU7"}
    assert offered["budget:200000-300000"].tag == "预算:20-30万"
    assert offered["budget:200000-300000"].fields == {"budget_min": 200000, "budget_max": 300000}
    assert offered["financing:LOAN"].tag == "贷款意向"
    assert offered["competitor:小米 SU7"].tag == "竞品:小米 SU7"


async def test_accepting_a_budget_updates_the_customer_tags_them_and_records_where_it_came_from(world, catalog):
    alice = world.p(world.alice)
    note = await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.CALL, summary="预算20-30万")
    customer = await suggestions.accept_suggestion(alice, world.alices_customer.id, "budget:200000-300000")
    assert (customer.budget_min, customer.budget_max) == (200000, 300000)
    assert customer.field_sources["budget_min"]["interaction"] == note.id
    link = await CustomerTag.get(customer_id=customer.id).prefetch_related("tag")
    assert (link.tag.name, link.source) == ("预算:20-30万", TagSource.EXTRACTOR)
    entry = await AuditLog.get(action="accept_suggestion", object_id=str(customer.id))
    assert entry.changes["interaction_id"] == note.id and entry.changes["span"] == [2, 8]
    assert await suggestions.suggestions_for(customer) == []


async def test_an_accepted_model_is_added_to_the_models_of_interest(world, catalog):
    alice = world.p(world.alice)
    await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.NOTE, summary="客户想看韩EV")
    customer = await suggestions.accept_suggestion(alice, world.alices_customer.id, "model:比亚迪 汉")
    assert customer.interested_models == ["比亚迪 汉"]


async def test_a_stale_version_is_a_conflict_and_changes_nothing(world, catalog):
    alice = world.p(world.alice)
    await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.CALL, summary="预算25万")
    with pytest.raises((UserError, UserErrors)):
        await suggestions.accept_suggestion(alice, world.alices_customer.id, "budget:250000-250000", version=99)
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.budget_min is None
    assert len(await suggestions.suggestions_for(customer)) == 1


async def test_a_dismissed_suggestion_is_not_offered_again_until_a_new_note_says_it(world, catalog):
    alice = world.p(world.alice)
    await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.CALL, summary="客户想要SUV")
    await suggestions.dismiss_suggestion(alice, world.alices_customer.id, "body:SUV")
    customer = await Customer.get(id=world.alices_customer.id)
    assert await suggestions.suggestions_for(customer) == []
    with pytest.raises(UserError):
        await suggestions.accept_suggestion(alice, customer.id, "body:SUV")
    await log_interaction(alice, customer.id, kind=InteractionKind.CALL, summary="还是想要SUV")
    assert [s.key for s in await suggestions.suggestions_for(customer)] == ["body:SUV"]


async def test_another_consultants_customer_has_no_suggestions_to_accept(world, catalog):
    bob = world.p(world.bob)
    await log_interaction(world.p(world.alice), world.alices_customer.id, kind=InteractionKind.CALL, summary="要SUV")
    with pytest.raises(UserError):
        await suggestions.accept_suggestion(bob, world.alices_customer.id, "body:SUV")


async def test_refreshing_facts_reads_old_notes_and_keeps_decisions(world, catalog):
    alice = world.p(world.alice)
    from server.activity.models import Interaction

    old = await Interaction.create(customer_id=world.alices_customer.id, kind=InteractionKind.NOTE, summary="要SUV，分期",
                                   occurred_at=world.alices_interaction.occurred_at)
    await log_interaction(alice, world.alices_customer.id, kind=InteractionKind.CALL, summary="预算25万")
    await suggestions.dismiss_suggestion(alice, world.alices_customer.id, "budget:250000-250000")
    assert await suggestions.refresh_facts(chunk=1) == await Interaction.filter().count()
    assert {f["normalized"] for f in (await Interaction.get(id=old.id)).facts["facts"]} == {"SUV", "LOAN"}
    keys = [s.key for s in await suggestions.suggestions_for(await Customer.get(id=world.alices_customer.id))]
    assert sorted(keys) == ["body:SUV", "financing:LOAN"]  # the dismissed budget stays dismissed

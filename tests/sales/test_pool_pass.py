"""The scheduled pass that returns customers nobody followed up, with its exemptions and reminders."""

from datetime import timedelta

from tortoise.timezone import now

from server.activity.models import Task
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import OpportunityStatus, OwnershipChangeKind, TaskKind
from server.sales.models import Opportunity, OwnershipChange
from server.sales.pool import run_pool_pass
from tests.sales.conftest import age
from tests.sql_statements import counting_statements
from workers import jobs

RULES = dict(pool_return_days={"A": 7, "B": 15, "C": 30, "D": 45, "*": 30}, pool_reminder_days=2,
             pool_no_opportunity_days=60, pool_recent_deal_days=180)


async def _held(world, name: str, **clock) -> Customer:
    customer = await Customer.create(name=name, owner_id=world.alice.id, team_id=world.team_a.id)
    await age(customer.id, **clock)
    return customer


async def _owner(customer: Customer) -> int | None:
    return (await Customer.get(id=customer.id)).owner_id


async def test_customers_not_followed_up_in_their_grades_time_go_back_to_the_pool(world, set_policy):
    set_policy(**RULES)
    stale_a = await _held(world, "A级八天", days_since_contact=8, days_since_assigned=20, grade="A")
    fresh_a = await _held(world, "A级三天", days_since_contact=3, days_since_assigned=20, grade="A")
    fresh_c = await _held(world, "C级八天", days_since_contact=8, days_since_assigned=20, grade="C")
    stale_ungraded = await _held(world, "未分级", days_since_contact=31, days_since_assigned=40)
    # Claimed last week after a long silence: the clock runs from the claim, not the old contact.
    reclaimed = await _held(world, "刚认领", days_since_contact=50, days_since_assigned=3, grade="A")
    result = await run_pool_pass()
    assert result.returned == 2
    assert await _owner(stale_a) is None and await _owner(stale_ungraded) is None
    for kept in (fresh_a, fresh_c, reclaimed):
        assert await _owner(kept) == world.alice.id
    returned = await Customer.get(id=stale_a.id)
    assert returned.previous_owner_id == world.alice.id and returned.pool_entered_at is not None
    move = await OwnershipChange.get(customer_id=stale_a.id)
    assert (move.kind, move.from_user_id, move.to_user_id, move.actor_user_id) == (
        OwnershipChangeKind.AUTO_RETURN, world.alice.id, None, None)
    entry = await AuditLog.get(action="auto_return", object_id=str(stale_a.id))
    assert entry.actor_user_id is None and entry.changes["owner_id"] == [world.alice.id, None]


async def test_an_open_opportunity_or_a_recent_deal_keeps_the_customer(world, set_policy):
    set_policy(**RULES)
    with_open_deal = await _held(world, "有商机", days_since_contact=100, grade="A")
    recent_buyer = await _held(world, "近期成交", days_since_contact=100, grade="A")
    old_buyer = await _held(world, "早年成交", days_since_contact=100, grade="A")
    await Opportunity.create(customer_id=with_open_deal.id, owner_id=world.alice.id, title="open")
    await Opportunity.create(customer_id=recent_buyer.id, owner_id=world.alice.id, title="won",
                             status=OpportunityStatus.WON, closed_at=now() - timedelta(days=30))
    won_long_ago = await Opportunity.create(customer_id=old_buyer.id, owner_id=world.alice.id, title="won",
                                            status=OpportunityStatus.WON, closed_at=now() - timedelta(days=400))
    await Opportunity.filter(id=won_long_ago.id).update(created_at=now() - timedelta(days=500))
    assert (await run_pool_pass()).returned == 1
    assert await _owner(with_open_deal) == world.alice.id
    assert await _owner(recent_buyer) == world.alice.id
    assert await _owner(old_buyer) is None


async def test_a_customer_held_too_long_without_any_opportunity_goes_back(world, set_policy):
    set_policy(**RULES)
    no_deal = await _held(world, "从未立项", days_since_contact=1, days_since_assigned=70, grade="A")
    lost_lately = await _held(world, "近期战败", days_since_contact=1, days_since_assigned=70, grade="A")
    await Opportunity.create(customer_id=lost_lately.id, owner_id=world.alice.id, title="lost",
                             status=OpportunityStatus.LOST, closed_at=now())
    set_policy(**{**RULES, "pool_no_opportunity_days": 0})
    assert (await run_pool_pass()).returned == 0
    set_policy(**RULES)
    assert (await run_pool_pass()).returned == 1
    assert await _owner(no_deal) is None and await _owner(lost_lately) == world.alice.id


async def test_the_owner_is_reminded_before_the_return_once(world, set_policy):
    set_policy(**RULES)
    soon = await _held(world, "快到期", days_since_contact=6, days_since_assigned=20, grade="A")
    later = await _held(world, "还早", days_since_contact=2, days_since_assigned=20, grade="A")
    first = await run_pool_pass()
    assert (first.returned, first.reminded) == (0, 1)
    reminder = await Task.get(customer_id=soon.id, kind=TaskKind.FOLLOW_UP)
    assert reminder.owner_id == world.alice.id and reminder.status == "OPEN" and "公海" in reminder.title
    assert not await Task.filter(customer_id=later.id).exists()
    # A pass that runs again (a retried job, the next hour) changes nothing.
    again = await run_pool_pass()
    assert (again.returned, again.reminded) == (0, 0)
    assert await Task.filter(customer_id=soon.id).count() == 1


async def test_a_returned_customers_open_tasks_are_cancelled(world, set_policy):
    set_policy(**RULES)
    stale = await _held(world, "过期", days_since_contact=6, days_since_assigned=20, grade="A")
    await run_pool_pass()
    await Customer.filter(id=stale.id).update(last_contact_at=now() - timedelta(days=8))
    assert (await run_pool_pass()).returned == 1
    assert await Task.filter(customer_id=stale.id, status="OPEN").count() == 0


async def _statements_for_a_pass() -> int:
    with counting_statements() as counter:
        await jobs.run_pool_pass({})
    return counter.count


async def test_the_pass_is_set_based_its_statements_do_not_grow_with_the_customers(world, set_policy):
    set_policy(**RULES)

    async def stale_and_soon(n: int, offset: int) -> None:
        for i in range(n):
            await _held(world, f"过期{offset + i}", days_since_contact=10, days_since_assigned=20, grade="A")
            await _held(world, f"将到期{offset + i}", days_since_contact=6, days_since_assigned=20, grade="A")

    await stale_and_soon(3, 0)
    few = await _statements_for_a_pass()
    await stale_and_soon(40, 100)
    many = await _statements_for_a_pass()
    assert await Customer.filter(name__startswith="过期", owner_id__isnull=True).count() == 43
    assert await Task.filter(title__contains="公海", status="OPEN").count() == 43
    assert many == few, (few, many)

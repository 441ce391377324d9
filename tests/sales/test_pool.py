"""Claiming from the public pool (公海) and giving customers back."""

from datetime import datetime, timedelta, timezone

import pytest
from tortoise.timezone import now

from server.activity.models import Task
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import Lifecycle, OwnershipChangeKind
from server.errors import UserError, UserErrors
from server.sales import pool
from server.sales.models import OwnershipChange
from server.sales.ownership import start_of_local_day
from tests.world import gid, gql, token_principal


async def _pool_customers(n: int, team=None) -> list[Customer]:
    rows = [await Customer.create(name=f"公海{i}", phone=f"+86137{i:08d}", pool_entered_at=now(),
                                  team_id=team.id if team else None) for i in range(n)]
    return rows


async def test_a_consultant_claims_a_pool_customer_and_the_move_is_logged_and_audited(world):
    me = world.p(world.bob)
    claimed = await pool.claim_from_pool(me, [world.pool_customer.id])
    assert claimed == [world.pool_customer.id]
    customer = await Customer.get(id=world.pool_customer.id)
    assert (customer.owner_id, customer.team_id, customer.pool_entered_at) == (world.bob.id, world.team_b.id, None)
    assert customer.previous_owner_id == world.amy.id and customer.version == 2
    move = await OwnershipChange.get(customer_id=customer.id)
    assert (move.kind, move.from_user_id, move.to_user_id) == (OwnershipChangeKind.CLAIM, None, world.bob.id)
    entry = await AuditLog.get(action="claim", object_id=str(customer.id))
    assert entry.actor_user_id == world.bob.id and entry.changes == {"owner_id": [None, world.bob.id]}


async def test_claiming_beyond_the_holding_cap_is_refused_and_changes_nothing(world, set_policy):
    set_policy(pool_holding_cap=3)
    customers = await _pool_customers(3)
    # alice holds one customer already; a buyer does not count against the cap.
    await Customer.create(name="老车主", owner_id=world.alice.id, lifecycle=Lifecycle.CUSTOMER)
    me = world.p(world.alice)
    with pytest.raises(UserErrors) as refused:
        await pool.claim_from_pool(me, [c.id for c in customers])
    assert [e.code for e in refused.value.errors] == ["LIMIT_EXCEEDED"]
    assert await Customer.filter(owner_id=world.alice.id).count() == 2
    assert await pool.claim_from_pool(me, [c.id for c in customers[:2]]) == [customers[0].id, customers[1].id]
    assert (await pool.allowance(world.alice.id)).remaining == 0


async def test_claiming_beyond_the_daily_cap_is_refused(world, set_policy):
    set_policy(pool_daily_claim_cap=2)
    customers = await _pool_customers(3)
    me = world.p(world.bob)
    await pool.claim_from_pool(me, [customers[0].id])
    await pool.claim_from_pool(me, [customers[1].id])
    with pytest.raises(UserErrors) as refused:
        await pool.claim_from_pool(me, [customers[2].id])
    assert refused.value.errors[0].code == "LIMIT_EXCEEDED" and "a day" in refused.value.errors[0].message
    assert (await Customer.get(id=customers[2].id)).owner_id is None
    # Yesterday's claims do not count today.
    await OwnershipChange.all().update(created_at=now() - timedelta(days=1, hours=1))
    assert await pool.claim_from_pool(me, [customers[2].id]) == [customers[2].id]


async def test_a_former_owner_cannot_reclaim_during_the_cooling_off_period(world, set_policy):
    set_policy(pool_cooling_off_days=15)
    alice = world.p(world.alice)
    customer_id = world.alices_customer.id
    await pool.return_to_pool(alice, [customer_id], "客户暂无购车计划")
    with pytest.raises(UserError) as refused:
        await pool.claim_from_pool(alice, [customer_id])
    assert refused.value.code == "FORBIDDEN" and refused.value.field == "customer_ids"
    # Someone else may claim it at once.
    await pool.claim_from_pool(world.p(world.amy), [customer_id])
    await pool.return_to_pool(world.p(world.amy), [customer_id])
    # Sixteen days after alice gave it back she may have it again, although amy gave it back just now.
    await OwnershipChange.filter(from_user_id=world.alice.id).update(created_at=now() - timedelta(days=16))
    assert await pool.claim_from_pool(alice, [customer_id]) == [customer_id]


async def test_two_consultants_claiming_the_same_customer_only_the_first_gets_it(world):
    await pool.claim_from_pool(world.p(world.alice), [world.pool_customer.id])
    with pytest.raises(UserError) as late:
        await pool.claim_from_pool(world.p(world.bob), [world.pool_customer.id])
    assert late.value.code == "NOT_FOUND"
    assert (await Customer.get(id=world.pool_customer.id)).owner_id == world.alice.id


async def test_a_claim_of_several_customers_is_all_or_nothing(world):
    with pytest.raises(UserError):
        await pool.claim_from_pool(world.p(world.bob), [world.pool_customer.id, world.alices_customer.id])
    assert (await Customer.get(id=world.pool_customer.id)).owner_id is None
    assert not await OwnershipChange.exists()


async def test_an_api_token_cannot_claim(world):
    token = await token_principal(["read", "write"])
    with pytest.raises(UserError) as refused:
        await pool.claim_from_pool(token, [world.pool_customer.id])
    assert refused.value.code == "FORBIDDEN"


POOL = "query { pool { totalCount edges { node { id name phone inPool } } } }"
CLAIM = "mutation($ids: [ID!]!) { claimFromPool(input: {customerIds: $ids}) { customers { name phone inPool owner { username } } errors { field code } } }"
REVEAL = "mutation($id: ID!) { revealField(input: {customerId: $id, field: PHONE}) { value errors { code } } }"


async def test_the_phone_stays_masked_in_the_pool_until_claimed(world):
    me = world.p(world.bob)
    listed = (await gql(POOL, me)).data["pool"]
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"] == {"id": gid("Customer", world.pool_customer), "name": "王五",
                                          "phone": "137****7000", "inPool": True}
    pool_id = gid("Customer", world.pool_customer)
    refused = await gql(REVEAL, me, id=pool_id)
    assert refused.data["revealField"] == {"value": None, "errors": [{"code": "FORBIDDEN"}]}
    claimed = await gql(CLAIM, me, ids=[pool_id])
    assert claimed.data["claimFromPool"] == {
        "customers": [{"name": "王五", "phone": "137****7000", "inPool": False, "owner": {"username": "bob"}}],
        "errors": []}
    assert (await gql(REVEAL, me, id=pool_id)).data["revealField"] == {"value": "13700137000", "errors": []}
    assert (await gql(POOL, me)).data["pool"]["totalCount"] == 0


async def test_the_claim_errors_come_back_as_user_errors(world, set_policy):
    set_policy(pool_daily_claim_cap=0)
    result = await gql(CLAIM, world.p(world.bob), ids=[gid("Customer", world.pool_customer)])
    assert result.data["claimFromPool"] == {"customers": [], "errors": [{"field": "customerIds", "code": "LIMIT_EXCEEDED"}]}
    allowance = await gql("query { poolAllowance { holding holdingCap claimedToday dailyClaimCap remaining } }",
                          world.p(world.bob))
    assert allowance.data["poolAllowance"] == {"holding": 1, "holdingCap": 200, "claimedToday": 0,
                                               "dailyClaimCap": 0, "remaining": 0}


async def test_a_manager_returns_a_team_customer_to_the_pool_and_its_open_tasks_are_cancelled(world):
    await pool.return_to_pool(world.p(world.anna), [world.alices_customer.id], "长期未联系")
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.owner_id is None and customer.previous_owner_id == world.alice.id
    assert customer.pool_entered_at is not None and customer.team_id == world.team_a.id
    assert (await Task.get(id=world.alices_task.id)).status == "CANCELLED"
    entry = await AuditLog.get(action="return", object_id=str(customer.id))
    assert entry.actor_user_id == world.anna.id
    assert entry.changes == {"owner_id": [world.alice.id, None], "reason": "长期未联系"}


async def test_nobody_returns_a_customer_outside_their_scope(world):
    for outsider in (world.amy, world.bob, world.bert):
        with pytest.raises(UserError) as refused:
            await pool.return_to_pool(world.p(outsider), [world.alices_customer.id])
        assert refused.value.code == "NOT_FOUND"
    assert (await Customer.get(id=world.alices_customer.id)).owner_id == world.alice.id


@pytest.mark.parametrize("utc_hour", [3, 19])
async def test_claims_count_toward_the_daily_cap_whatever_the_utc_hour(world, utc_hour):
    # 19:00 UTC is 03:00 the next day in Shanghai: the evening a SQLite text comparison lost the count.
    moment = datetime(2026, 12, 4, utc_hour, 30, tzinfo=timezone.utc)
    move = await OwnershipChange.create(customer_id=world.pool_customer.id, kind=OwnershipChangeKind.CLAIM,
                                        to_user_id=world.bob.id)
    await OwnershipChange.filter(id=move.id).update(created_at=moment)
    since = start_of_local_day(moment)
    assert since == datetime(2026, 12, 4 if utc_hour == 19 else 3, 16, 0, tzinfo=timezone.utc)
    assert await OwnershipChange.filter(to_user_id=world.bob.id, created_at__gte=since).count() == 1

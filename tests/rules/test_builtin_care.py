"""The after-sales and follow-up rules every dealership starts with: who each fires for, what it
does, and that a second pass in the same period does nothing."""

from datetime import date, timedelta

import pytest

from server.activity.models import Task
from server.customers.models import Customer, ServiceRecord, Vehicle
from server.enums import OwnershipChangeKind, ServiceKind, TaskKind, TaskStatus
from server.rules.builtin import seed_builtin_rules
from server.rules.engine import run_pass
from server.rules.models import Rule, RuleFiring
from server.sales import policy
from server.sales.models import OwnershipChange
from tests.rules.conftest import AT


async def _rule(key: str) -> Rule:
    await seed_builtin_rules()
    return await Rule.get(builtin_key=key)


async def _twice(key: str, at=AT) -> tuple[int, int]:
    rule = await _rule(key)
    first = (await run_pass(rule, at)).fired
    second = (await run_pass(rule, at + timedelta(hours=1))).fired
    return first, second


async def _tasks(kind: TaskKind) -> list[tuple[str, str]]:
    rows = await Task.filter(kind=kind).order_by("id").prefetch_related("customer")
    return [(t.customer.name, t.title) for t in rows]


async def test_purchase_anniversary_reminds_once_a_year(make_customer, consultant):
    soon = await make_customer("周年将至", owner_id=consultant.id)
    await Vehicle.create(customer=soon, purchase_date=date(2022, 6, 18))
    far = await make_customer("还早", owner_id=consultant.id)
    await Vehicle.create(customer=far, purchase_date=date(2022, 8, 1))
    new = await make_customer("今天提车", owner_id=consultant.id)
    await Vehicle.create(customer=new, purchase_date=date(2026, 6, 15))

    assert await _twice("purchase_anniversary") == (1, 0)
    assert await _tasks(TaskKind.PURCHASE_ANNIVERSARY) == [("周年将至", "周年将至的购车周年纪念日将至")]
    assert (await run_pass(await _rule("purchase_anniversary"), AT + timedelta(days=2))).fired == 0


async def test_maintenance_due_after_six_months_or_5000_km(make_customer, consultant):
    by_time = await make_customer("半年未保养", owner_id=consultant.id)
    car = await Vehicle.create(customer=by_time, purchase_date=date(2021, 1, 1), mileage_km=21000)
    await ServiceRecord.create(vehicle=car, customer=by_time, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2025, 12, 1), mileage_km=20000)
    by_km = await make_customer("跑了五千公里", owner_id=consultant.id)
    car = await Vehicle.create(customer=by_km, purchase_date=date(2023, 1, 1), mileage_km=35500)
    await ServiceRecord.create(vehicle=car, customer=by_km, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 4, 1), mileage_km=30000)
    fine = await make_customer("刚保养过", owner_id=consultant.id)
    car = await Vehicle.create(customer=fine, purchase_date=date(2023, 1, 1), mileage_km=31000)
    await ServiceRecord.create(vehicle=car, customer=fine, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 4, 1), mileage_km=30000)
    # A repair is not a maintenance: it does not restart the six months.
    await ServiceRecord.create(vehicle=await Vehicle.get(customer=by_time), customer=by_time, kind=ServiceKind.REPAIR,
                               service_date=date(2026, 6, 1))

    assert await _twice("maintenance_due") == (2, 0)
    assert {n for n, _ in await _tasks(TaskKind.MAINTENANCE_DUE)} == {"半年未保养", "跑了五千公里"}
    task = await Task.get(customer_id=by_km.id)
    assert task.title == "提醒跑了五千公里预约保养" and task.due_at == AT + timedelta(days=3)


async def test_insurance_renewal_60_days_before_expiry(make_customer, consultant):
    due = await make_customer("保险快到期", owner_id=consultant.id)
    await Vehicle.create(customer=due, purchase_date=date(2024, 8, 1), insurance_expiry=date(2026, 8, 1))
    later = await make_customer("保险还早", owner_id=consultant.id)
    await Vehicle.create(customer=later, purchase_date=date(2024, 10, 1), insurance_expiry=date(2026, 10, 1))
    lapsed = await make_customer("已过期", owner_id=consultant.id)
    await Vehicle.create(customer=lapsed, purchase_date=date(2024, 6, 1), insurance_expiry=date(2026, 6, 1))

    assert await _twice("insurance_renewal") == (1, 0)
    assert await _tasks(TaskKind.INSURANCE_RENEWAL) == [("保险快到期", "保险快到期的车险60天内到期，联系续保")]


async def test_follow_up_overdue_uses_the_grade_cadence(make_customer, consultant):
    cadence = policy.POLICY.follow_up_cadence_days
    await make_customer("A级超期", owner_id=consultant.id, lifecycle="PROSPECT", grade="A",
                        last_contact_at=AT - timedelta(days=cadence["A"] + 1))
    await make_customer("A级刚联系", owner_id=consultant.id, lifecycle="PROSPECT", grade="A",
                        last_contact_at=AT - timedelta(days=cadence["A"]))
    await make_customer("C级未超期", owner_id=consultant.id, lifecycle="PROSPECT", grade="C",
                        last_contact_at=AT - timedelta(days=cadence["A"] + 1))
    await make_customer("D级从未联系", owner_id=consultant.id, lifecycle="LEAD", grade="D",
                        created_at=AT - timedelta(days=cadence["D"] + 1))
    await make_customer("公海A级", lifecycle="PROSPECT", grade="A", last_contact_at=AT - timedelta(days=40))

    assert await _twice("follow_up_overdue") == (2, 0)
    assert sorted(await _tasks(TaskKind.FOLLOW_UP)) == [
        ("A级超期", "A级超期（A级）已超过跟进周期，请尽快跟进"),
        ("D级从未联系", "D级从未联系（D级）已超过跟进周期，请尽快跟进"),
    ]
    # A week on, still quiet: reminded again, and the one contacted on time is now overdue too.
    assert (await run_pass(await _rule("follow_up_overdue"), AT + timedelta(days=7))).fired == 3


async def test_follow_up_overdue_is_seeded_from_the_policy(db, monkeypatch):
    from server.rules import builtin

    monkeypatch.setattr(policy, "POLICY", policy.Policy(follow_up_cadence_days={"A": 1, "B": 3}))
    grades = builtin.follow_up_overdue_condition()["all"][2]["any"]
    assert [(g["all"][0]["value"], g["all"][1]["any"][0]["value"]) for g in grades] == [("A", 1), ("B", 3)]


async def test_lead_not_followed_up_in_3_days_goes_back_to_the_pool(make_customer, consultant):
    await Task.create(owner=consultant, kind=TaskKind.FOLLOW_UP, title="x", due_at=AT,
                      customer=await make_customer("三天没打电话", owner_id=consultant.id, lifecycle="LEAD",
                                                   assigned_at=AT - timedelta(days=3)))
    await make_customer("昨天分配", owner_id=consultant.id, lifecycle="LEAD", assigned_at=AT - timedelta(days=1))
    await make_customer("打过电话", owner_id=consultant.id, lifecycle="LEAD", assigned_at=AT - timedelta(days=5),
                        last_contact_at=AT - timedelta(days=1))
    # Followed up on its first day, quiet since: the pool's own return days govern it now, not this rule.
    await make_customer("当天就联系了", owner_id=consultant.id, lifecycle="LEAD", assigned_at=AT - timedelta(days=6),
                        last_contact_at=AT - timedelta(days=5, hours=20))
    # Contacted only by its former owner, before this consultant received it: not followed up.
    await make_customer("前任联系过", owner_id=consultant.id, lifecycle="LEAD", assigned_at=AT - timedelta(days=4),
                        last_contact_at=AT - timedelta(days=20))
    await make_customer("意向客户", owner_id=consultant.id, lifecycle="PROSPECT", assigned_at=AT - timedelta(days=9))

    assert await _twice("lead_not_followed_3_days") == (2, 0)
    assert (await Customer.get(name="前任联系过")).owner_id is None
    returned = await Customer.get(name="三天没打电话")
    assert (returned.owner_id, returned.previous_owner_id) == (None, consultant.id)
    assert await Customer.filter(owner_id__isnull=True).count() == 2
    move = await OwnershipChange.get(customer_id=returned.id)
    assert (move.kind, move.from_user_id) == (OwnershipChangeKind.AUTO_RETURN, consultant.id)
    # Its open task went with it; the firing records what happened.
    assert (await Task.get(customer_id=returned.id)).status == TaskStatus.CANCELLED
    assert (await RuleFiring.get(customer_id=returned.id)).effects == ["return_to_pool"]


@pytest.mark.parametrize("key", ["purchase_anniversary", "maintenance_due", "insurance_renewal", "follow_up_overdue",
                                 "lead_not_followed_3_days"])
async def test_each_new_builtin_can_be_switched_off(make_customer, consultant, key):
    from server.rules.engine import run_scheduled

    lead = await make_customer("x", owner_id=consultant.id, lifecycle="LEAD", grade="A",
                               created_at=AT - timedelta(days=60))
    car = await Vehicle.create(customer=lead, purchase_date=date(2020, 6, 16), insurance_expiry=date(2026, 7, 1))
    await ServiceRecord.create(vehicle=car, customer=lead, kind=ServiceKind.MAINTENANCE, service_date=date(2025, 6, 1))
    await seed_builtin_rules()
    await Rule.exclude(builtin_key=key).update(enabled=False)
    await Rule.filter(builtin_key=key).update(enabled=False)
    assert await run_scheduled(AT) == {}
    await Rule.filter(builtin_key=key).update(enabled=True)
    fired = await run_scheduled(AT)
    assert list(fired.values()) == [1]

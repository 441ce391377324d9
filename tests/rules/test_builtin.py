"""The rules every dealership starts with: seeded once, can be disabled, select what they say."""

from datetime import date, timedelta

from server.activity.models import Task
from server.customers.models import Customer, ServiceRecord, Vehicle
from server.enums import Lifecycle, ServiceKind, TaskKind
from server.portrait.models import CustomerTag
from server.rules.builtin import BUILTIN_RULES, REPLACEMENT_TAG, seed_builtin_rules
from server.rules.engine import run_pass, run_scheduled
from server.rules.models import Rule, RuleFiring
from tests.rules.conftest import AT


async def _rule(key: str) -> Rule:
    await seed_builtin_rules()
    return await Rule.get(builtin_key=key)


async def test_seeding_twice_creates_each_rule_once_and_keeps_a_disabled_one_disabled(db):
    assert await seed_builtin_rules() == len(BUILTIN_RULES)
    await Rule.filter(builtin_key="birthday_within_7_days").update(enabled=False)
    assert await seed_builtin_rules() == 0
    assert await Rule.filter(builtin_key__isnull=False).count() == len(BUILTIN_RULES)
    assert not (await Rule.get(builtin_key="birthday_within_7_days")).enabled


async def test_dormant_after_90_days_without_contact(make_customer, consultant):
    quiet = await make_customer("久未联系", owner_id=consultant.id, lifecycle="PROSPECT",
                                last_contact_at=AT - timedelta(days=91))
    await make_customer("never-called", lifecycle="LEAD", created_at=AT - timedelta(days=120))
    await make_customer("new-lead", lifecycle="LEAD", created_at=AT - timedelta(days=10))
    await make_customer("recent", owner_id=consultant.id, lifecycle="CUSTOMER", last_contact_at=AT - timedelta(days=5))
    await make_customer("lost", lifecycle="LOST", last_contact_at=AT - timedelta(days=200))

    result = await run_pass(await _rule("dormant_90_days"), AT)
    assert result.fired == 2
    assert set(await Customer.filter(lifecycle=Lifecycle.DORMANT).values_list("name", flat=True)) \
        == {"久未联系", "never-called"}
    task = await Task.get()
    assert (task.customer_id, task.kind, task.title) == (quiet.id, TaskKind.DORMANT_WAKE_UP, "唤醒沉睡客户久未联系")
    # Dormant customers no longer match, so later passes neither re-mark nor re-remind them.
    assert (await run_pass(await _rule("dormant_90_days"), AT + timedelta(days=1))).fired == 0


async def test_birthday_greeting_once_a_year(make_customer, consultant):
    await make_customer("soon", owner_id=consultant.id, birthday=date(1990, 6, 20))
    await make_customer("later", owner_id=consultant.id, birthday=date(1990, 7, 20))
    rule = await _rule("birthday_within_7_days")

    for day in range(5):  # hourly passes over the week before the birthday
        await run_pass(rule, AT + timedelta(days=day))
    assert await Task.filter(kind=TaskKind.BIRTHDAY).count() == 1
    assert (await Task.get()).title == "soon生日将至，送上祝福"
    assert (await RuleFiring.get()).dedup_key.endswith(":2026")
    await run_pass(rule, AT + timedelta(days=365))
    assert await Task.filter(kind=TaskKind.BIRTHDAY).count() == 2


async def test_likely_replacement_tags_old_cars_with_repeated_repairs(make_customer):
    def repairs(vehicle, customer, dates):
        return [ServiceRecord.create(vehicle=vehicle, customer=customer, kind=ServiceKind.REPAIR, service_date=d)
                for d in dates]

    recent = [date(2026, 5, 1), date(2026, 1, 10), date(2025, 8, 1)]
    old_and_broken = await make_customer("old-and-broken")
    car = await Vehicle.create(customer=old_and_broken, purchase_date=date(2020, 3, 1))
    old_but_fine = await make_customer("old-but-fine")
    fine = await Vehicle.create(customer=old_but_fine, purchase_date=date(2018, 3, 1))
    new_but_broken = await make_customer("new-but-broken")
    lemon = await Vehicle.create(customer=new_but_broken, purchase_date=date(2024, 3, 1))
    for created in [*repairs(car, old_and_broken, recent),
                    *repairs(fine, old_but_fine, recent[:2] + [date(2024, 1, 1)]),
                    *repairs(lemon, new_but_broken, recent)]:
        await created

    await run_pass(await _rule("likely_replacement"), AT)
    await run_pass(await _rule("likely_replacement"), AT + timedelta(days=30))
    tagged = await CustomerTag.filter(tag__name=REPLACEMENT_TAG).prefetch_related("customer")
    assert [t.customer.name for t in tagged] == ["old-and-broken"]
    assert await RuleFiring.all().count() == 1


async def test_a_disabled_builtin_rule_does_not_fire(make_customer, consultant):
    await make_customer("soon", owner_id=consultant.id, birthday=date(1990, 6, 20))
    await seed_builtin_rules()
    await Rule.filter(builtin_key="birthday_within_7_days").update(enabled=False)
    await run_scheduled(AT)
    assert await Task.filter(kind=TaskKind.BIRTHDAY).count() == 0
    await Rule.filter(builtin_key="birthday_within_7_days").update(enabled=True)
    await run_scheduled(AT)
    assert await Task.filter(kind=TaskKind.BIRTHDAY).count() == 1

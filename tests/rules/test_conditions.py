"""Each kind of leaf selects the right customers, in one query over Customer."""

from datetime import date, timedelta

import pytest

from server.activity.models import Interaction
from server.customers.models import ServiceRecord, Vehicle
from server import enums
from server.enums import InteractionKind, ServiceKind, TagCategory
from server.portrait.models import CustomerTag, Tag
from server.rules.conditions import ConditionError, compile_condition, validate
from server.sales import models as sales
from tests.rules.conftest import AT, selected


async def test_field_leaves_and_branches(make_customer):
    await make_customer("lead-a", lifecycle="LEAD", grade="A")
    await make_customer("prospect", lifecycle="PROSPECT")
    await make_customer("customer-b", lifecycle="CUSTOMER", grade="B")

    assert await selected(compile_condition({"field": "lifecycle", "op": "in", "value": ["LEAD", "PROSPECT"]}, AT)) \
        == {"lead-a", "prospect"}
    # An ungraded customer is "not grade A": leaves never turn unknown under "not".
    assert await selected(compile_condition({"not": {"field": "grade", "op": "=", "value": "A"}}, AT)) \
        == {"prospect", "customer-b"}
    assert await selected(compile_condition({"field": "grade", "op": "!=", "value": "A"}, AT)) \
        == {"prospect", "customer-b"}
    assert await selected(compile_condition({"any": [
        {"field": "grade", "op": "=", "value": "A"},
        {"all": [{"field": "lifecycle", "op": "=", "value": "CUSTOMER"},
                 {"field": "grade", "op": "is_null", "value": False}]},
    ]}, AT)) == {"lead-a", "customer-b"}
    assert await selected(compile_condition({}, AT)) == {"lead-a", "prospect", "customer-b"}


async def test_days_since_counts_whole_days(make_customer):
    await make_customer("90-days", last_contact_at=AT - timedelta(days=90))
    await make_customer("89-days", last_contact_at=AT - timedelta(days=89, hours=23))
    await make_customer("never")

    cond = {"days_since": "last_contact_at", "op": ">=", "value": 90}
    assert await selected(compile_condition(cond, AT)) == {"90-days"}
    assert await selected(compile_condition({**cond, "op": "<"}, AT)) == {"89-days"}
    assert await selected(compile_condition({"not": cond}, AT)) == {"89-days", "never"}


async def test_before_compares_two_moments_of_the_same_customer(make_customer):
    await make_customer("called-after", assigned_at=AT - timedelta(days=5), last_contact_at=AT - timedelta(days=4))
    await make_customer("called-before", assigned_at=AT - timedelta(days=5), last_contact_at=AT - timedelta(days=9))
    await make_customer("never-called", assigned_at=AT - timedelta(days=5))

    cond = {"before": "last_contact_at", "than": "assigned_at"}
    assert await selected(compile_condition(cond, AT)) == {"called-before"}
    for bad, key in [({"before": "birthday", "than": "assigned_at"}, "before"),
                     ({"before": "assigned_at", "than": "assigned_at"}, "than")]:
        with pytest.raises(ConditionError) as error:
            validate(bad)
        assert error.value.key == key


async def test_days_until_birthday_is_annual(make_customer):
    await make_customer("in-3-days", birthday=date(1990, 6, 18))
    await make_customer("today", birthday=date(1985, 6, 15))
    await make_customer("yesterday", birthday=date(1985, 6, 14))
    await make_customer("in-8-days", birthday=date(2000, 6, 23))
    await make_customer("no-birthday")

    cond = {"days_until": "birthday", "op": "<=", "value": 7}
    assert await selected(compile_condition(cond, AT)) == {"in-3-days", "today"}
    assert await selected(compile_condition({**cond, "op": "=", "value": 364}, AT)) == {"yesterday"}


async def test_count_interactions_within_days(make_customer):
    busy = await make_customer("busy")
    quiet = await make_customer("quiet")
    await make_customer("silent")
    for days in (1, 5, 20):
        await Interaction.create(customer=busy, kind=InteractionKind.CALL, occurred_at=AT - timedelta(days=days))
    await Interaction.create(customer=quiet, kind=InteractionKind.CALL, occurred_at=AT - timedelta(days=2))
    await Interaction.create(customer=quiet, kind=InteractionKind.VISIT, occurred_at=AT - timedelta(days=40))

    cond = {"count": "interactions", "within_days": 30, "op": ">=", "value": 3}
    assert await selected(compile_condition(cond, AT)) == {"busy"}
    # Zero satisfies "< 2", so customers with no interactions at all are included.
    assert await selected(compile_condition({**cond, "op": "<", "value": 2}, AT)) == {"quiet", "silent"}
    assert await selected(compile_condition({"count": "interactions", "kind": "VISIT", "op": "=", "value": 1}, AT)) \
        == {"quiet"}


async def test_count_service_records_and_test_drives(make_customer):
    owner = await make_customer("repairs")
    other = await make_customer("one-repair")
    car = await Vehicle.create(customer=owner, purchase_date=date(2019, 1, 1))
    other_car = await Vehicle.create(customer=other, purchase_date=date(2019, 1, 1))
    for months in (1, 4, 11):
        await ServiceRecord.create(vehicle=car, customer=owner, kind=ServiceKind.REPAIR,
                                   service_date=date(2026, 6, 15) - timedelta(days=30 * months))
    await ServiceRecord.create(vehicle=car, customer=owner, kind=ServiceKind.REPAIR, service_date=date(2025, 1, 1))
    await ServiceRecord.create(vehicle=other_car, customer=other, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 6, 1))
    await sales.TestDrive.create(customer=other, scheduled_at=AT - timedelta(days=3),
                                 status=enums.TestDriveStatus.DONE)

    repairs = {"count": "service_records", "kind": "REPAIR", "within_days": 365, "op": ">=", "value": 3}
    assert await selected(compile_condition(repairs, AT)) == {"repairs"}
    drives = {"count": "test_drives", "status": "DONE", "within_days": 7, "op": ">=", "value": 1}
    assert await selected(compile_condition(drives, AT)) == {"one-repair"}


async def test_vehicle_age_uses_any_vehicle(make_customer):
    old = await make_customer("old-car")
    new = await make_customer("new-car")
    await make_customer("no-car")
    await Vehicle.create(customer=old, purchase_date=date(2021, 6, 15))  # five years old today
    await Vehicle.create(customer=new, purchase_date=date(2021, 6, 16))
    await Vehicle.create(customer=new, purchase_date=None)

    assert await selected(compile_condition({"vehicle_age_years": ">=", "value": 5}, AT)) == {"old-car"}
    assert await selected(compile_condition({"vehicle_age_years": "<", "value": 5}, AT)) == {"new-car"}


async def test_tag_present_and_absent(make_customer):
    tagged = await make_customer("tagged")
    await make_customer("untagged")
    tag = await Tag.create(name="潜在换车客户", category=TagCategory.PREDICTION)
    await CustomerTag.create(customer=tagged, tag=tag)

    assert await selected(compile_condition({"tag": "潜在换车客户"}, AT)) == {"tagged"}
    assert await selected(compile_condition({"tag": "潜在换车客户", "present": False}, AT)) == {"untagged"}
    assert await selected(compile_condition({"tag": "不存在", "present": False}, AT)) == {"tagged", "untagged"}


@pytest.mark.parametrize(("condition", "path", "words"), [
    ([], "condition", "object"),
    ({"all": []}, "condition", "non-empty list"),
    ({"all": [{"field": "lifecycle", "op": "in", "value": ["LEAD"]},
              {"not": {"field": "nope", "op": "=", "value": 1}}]},
     "condition.all[1].not", "unknown field 'nope'"),
    ({"any": [{"field": "grade", "op": "=", "value": "Z"}]}, "condition.any[0]", "'Z' is not a grade"),
    ({"days_since": "last_contact_at", "op": "~", "value": 3}, "condition", "op must be one of"),
    ({"days_since": "last_contact_at", "op": ">=", "value": -1}, "condition", "whole number"),
    ({"count": "emails", "op": ">=", "value": 1}, "condition", "count takes one of"),
    ({"count": "interactions", "kind": "FAX", "op": ">=", "value": 1}, "condition", "'FAX'"),
    ({"all": [{"tag": ""}]}, "condition.all[0]", "tag name"),
    ({"field": "grade", "op": "=", "value": "A", "days_since": "created_at"}, "condition", "exactly one"),
    ({"any": [{"vehicle_age_years": "about", "value": 5}]}, "condition.any[0]", "comparison"),
])
def test_invalid_conditions_name_the_bad_node(condition, path, words):
    with pytest.raises(ConditionError) as error:
        validate(condition)
    assert error.value.path == path
    assert words in error.value.message


async def test_showroom_visits_count_visit_interactions(make_customer):
    walker = await make_customer("walk-in-twice")
    caller = await make_customer("calls-only")
    for days in (3, 10):
        await Interaction.create(customer=walker, kind=InteractionKind.VISIT, occurred_at=AT - timedelta(days=days))
    await Interaction.create(customer=walker, kind=InteractionKind.VISIT, occurred_at=AT - timedelta(days=60))
    await Interaction.create(customer=caller, kind=InteractionKind.CALL, occurred_at=AT - timedelta(days=1))

    cond = {"count": "showroom_visits", "within_days": 30, "op": ">=", "value": 2}
    assert await selected(compile_condition(cond, AT)) == {"walk-in-twice"}
    assert await selected(compile_condition({**cond, "op": "=", "value": 0}, AT)) == {"calls-only"}
    with pytest.raises(ConditionError) as error:
        validate({**cond, "kind": "CALL"})  # the kind is the name's: it cannot be changed
    assert "unexpected key 'kind'" in error.value.message


async def test_service_spend_sums_amounts_in_the_window(make_customer):
    big = await make_customer("big-spender")
    small = await make_customer("small-spender")
    await make_customer("never-serviced")
    car = await Vehicle.create(customer=big, purchase_date=date(2020, 1, 1))
    other = await Vehicle.create(customer=small, purchase_date=date(2020, 1, 1))
    for amount, day in (("3000.00", date(2026, 5, 1)), ("2500.50", date(2025, 9, 1)), ("9000", date(2024, 1, 1))):
        await ServiceRecord.create(vehicle=car, customer=big, kind=ServiceKind.REPAIR, service_date=day, amount=amount)
    await ServiceRecord.create(vehicle=other, customer=small, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 6, 1), amount="800")

    cond = {"sum": "service_spend", "within_days": 365, "op": ">=", "value": 5000}
    assert await selected(compile_condition(cond, AT)) == {"big-spender"}
    # Nobody's 2024 bill counts inside the window; without it the old one does.
    assert await selected(compile_condition({**cond, "value": 10000}, AT)) == set()
    assert await selected(compile_condition({"sum": "service_spend", "op": ">=", "value": 10000}, AT)) \
        == {"big-spender"}
    assert await selected(compile_condition({**cond, "op": "<", "value": 1000}, AT)) \
        == {"small-spender", "never-serviced"}
    assert await selected(compile_condition({**cond, "kind": "MAINTENANCE", "op": ">", "value": 0}, AT)) \
        == {"small-spender"}


async def test_days_since_last_service_of_a_kind(make_customer):
    due = await make_customer("due")
    fresh = await make_customer("fresh")
    await make_customer("no-history")
    car = await Vehicle.create(customer=due, purchase_date=date(2020, 1, 1))
    other = await Vehicle.create(customer=fresh, purchase_date=date(2020, 1, 1))
    await ServiceRecord.create(vehicle=car, customer=due, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 6, 15) - timedelta(days=180))
    await ServiceRecord.create(vehicle=car, customer=due, kind=ServiceKind.REPAIR, service_date=date(2026, 6, 1))
    await ServiceRecord.create(vehicle=other, customer=fresh, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 6, 15) - timedelta(days=179))

    cond = {"days_since_last": "service_records", "kind": "MAINTENANCE", "op": ">=", "value": 180}
    assert await selected(compile_condition(cond, AT)) == {"due"}
    assert await selected(compile_condition({**cond, "op": "<"}, AT)) == {"fresh"}
    # Any kind: the repair two weeks ago is the latest service.
    assert await selected(compile_condition({"days_since_last": "service_records", "op": "<=", "value": 14}, AT)) \
        == {"due"}
    last_call = {"days_since_last": "interactions", "op": ">=", "value": 1}
    await Interaction.create(customer=fresh, kind=InteractionKind.CALL, occurred_at=AT - timedelta(days=2))
    assert await selected(compile_condition(last_call, AT)) == {"fresh"}


async def test_km_since_last_service_per_vehicle(make_customer):
    far = await make_customer("6000-km")
    near = await make_customer("4000-km")
    unknown = await make_customer("no-mileage")
    car = await Vehicle.create(customer=far, purchase_date=date(2020, 1, 1), mileage_km=36000)
    await ServiceRecord.create(vehicle=car, customer=far, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 1, 1), mileage_km=30000)
    await ServiceRecord.create(vehicle=car, customer=far, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2025, 1, 1), mileage_km=20000)
    other = await Vehicle.create(customer=near, purchase_date=date(2020, 1, 1), mileage_km=14000)
    await ServiceRecord.create(vehicle=other, customer=near, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2026, 1, 1), mileage_km=10000)
    await Vehicle.create(customer=unknown, purchase_date=date(2020, 1, 1), mileage_km=50000)

    assert await selected(compile_condition({"km_since_last_service": ">=", "value": 5000}, AT)) == {"6000-km"}
    assert await selected(compile_condition({"km_since_last_service": "<", "value": 5000}, AT)) == {"4000-km"}


async def test_days_until_purchase_anniversary_and_insurance_expiry(make_customer):
    soon = await make_customer("anniversary-soon")
    bought_today = await make_customer("bought-today")
    insured = await make_customer("insurance-in-30")
    lapsed = await make_customer("insurance-lapsed")
    await Vehicle.create(customer=soon, purchase_date=date(2023, 6, 20), insurance_expiry=date(2026, 12, 1))
    await Vehicle.create(customer=bought_today, purchase_date=date(2026, 6, 15))
    await Vehicle.create(customer=insured, purchase_date=date(2025, 1, 1), insurance_expiry=date(2026, 7, 15))
    await Vehicle.create(customer=lapsed, purchase_date=date(2025, 1, 1), insurance_expiry=date(2026, 6, 1))

    anniversary = {"days_until": "purchase_anniversary", "op": "<=", "value": 7}
    assert await selected(compile_condition(anniversary, AT)) == {"anniversary-soon"}
    renewal = {"all": [{"days_until": "insurance_expiry", "op": "<=", "value": 60},
                       {"days_until": "insurance_expiry", "op": ">=", "value": 0}]}
    assert await selected(compile_condition(renewal, AT)) == {"insurance-in-30"}
    assert await selected(compile_condition({"days_until": "insurance_expiry", "op": "=", "value": 30}, AT)) \
        == {"insurance-in-30"}
    assert await selected(compile_condition({"days_until": "insurance_expiry", "op": "<", "value": 0}, AT)) \
        == {"insurance-lapsed"}


async def test_grade_and_lifecycle_fields_combine(make_customer):
    await make_customer("a-prospect", lifecycle="PROSPECT", grade="A")
    await make_customer("a-dormant", lifecycle="DORMANT", grade="A")
    await make_customer("b-prospect", lifecycle="PROSPECT", grade="B")
    cond = {"all": [{"field": "grade", "op": "in", "value": ["A"]},
                    {"field": "lifecycle", "op": "!=", "value": "DORMANT"}]}
    assert await selected(compile_condition(cond, AT)) == {"a-prospect"}


@pytest.mark.parametrize(("condition", "path", "key"), [
    ({"all": [{"tag": "x"}, {"days_since": "last_contact_at", "op": ">=", "value": "3"}]}, "condition.all[1]", "value"),
    ({"count": "interactions", "within_days": 0, "op": ">=", "value": 1}, "condition", "within_days"),
    ({"sum": "service_spend", "op": "about", "value": 1}, "condition", "op"),
    ({"days_until": "insurance", "op": "<=", "value": 1}, "condition", "days_until"),
    ({"days_until": "purchase_anniversary", "op": "<=", "value": 400}, "condition", "value"),
    ({"days_since_last": "service_records", "within_days": 3, "op": ">=", "value": 1}, "condition", None),
    ({"km_since_last_service": ">=", "value": -5}, "condition", "value"),
])
def test_errors_name_the_key_at_fault(condition, path, key):
    with pytest.raises(ConditionError) as error:
        validate(condition)
    assert (error.value.path, error.value.key) == (path, key)

from datetime import date, timedelta
from decimal import Decimal

from server.activity.models import Interaction
from server.customers.models import Customer, ServiceRecord, Vehicle
from server import enums
from server.enums import (BodyType, Channel, EnergyType, Gender, InteractionKind, ServiceKind, TagCategory,
                          TagSource)
from server.portrait import sql, tagging
from server.portrait.models import CustomerTag, Tag
from server.sales import models as sales
from tests.portrait.conftest import AT, tags_of

OLD = AT - timedelta(days=400)


async def _visit(customer, days_ago: int, kind=InteractionKind.VISIT, channel=None):
    await Interaction.create(customer=customer, kind=kind, channel=channel, occurred_at=AT - timedelta(days=days_ago))


async def test_basic_tags_come_from_birthday_gender_region_occupation(make_customer):
    woman = await make_customer("王芳", birthday=date(1996, 6, 15), gender=Gender.FEMALE, city="杭州",
                                province="浙江", occupation="教师", channel=Channel.WECHAT,
                                last_contact_at=AT - timedelta(days=3))
    firm = await make_customer("杭州某公司", province="浙江", company_size="50-200人", channel=Channel.OTHER,
                               birthday=date(2010, 1, 1))
    await tagging.refresh_tags(AT)

    assert await tags_of(woman) == {"年龄:25-34", "性别:女", "地区:杭州", "职业:教师", "渠道:微信", "近30天有联系"}
    # A minor gets no age band; a province stands in for a missing city; OTHER is no channel.
    assert await tags_of(firm) == {"地区:浙江", "企业规模:50-200人"}
    assert (await Tag.get(name="年龄:25-34")).category == TagCategory.BASIC
    assert set(await CustomerTag.filter(customer_id=woman.id).values_list("source", flat=True)) == {TagSource.GENERATED}


async def test_behavior_tags_count_visits_test_drives_and_contact(make_customer):
    regular = await make_customer("常客", last_contact_at=AT - timedelta(days=1))
    for days in (2, 10, 20, 25, 29):
        await _visit(regular, days, channel=Channel.SHOWROOM)
    await sales.TestDrive.create(customer=regular, scheduled_at=AT - timedelta(days=5), status=enums.TestDriveStatus.DONE)
    once = await make_customer("来过一次", last_contact_at=AT - timedelta(days=45))
    await _visit(once, 5)
    await _visit(once, 100)  # outside the 90 days
    await sales.TestDrive.create(customer=once, scheduled_at=AT, status=enums.TestDriveStatus.BOOKED)
    quiet = await make_customer("沉默", created_at=OLD)
    await tagging.refresh_tags(AT)

    assert await tags_of(regular) == {"多次到店", "已试驾", "近30天有联系", "高互动", "渠道:门店"}
    assert await tags_of(once) == set()
    assert await tags_of(quiet) == {"超过90天未联系"}


async def test_consumption_tags_brand_service_spend_budget_and_models(make_customer):
    bmw = await sales.VehicleModel.create(brand="宝马", series="3系", body_type=BodyType.SEDAN, energy_type=EnergyType.ICE,
                                    price=Decimal("300000"))
    owner = await make_customer("车主", budget_min=200000, budget_max=300000,
                                interested_models=["宝马X3", "宝马X3", " 奥迪Q5 "], last_contact_at=AT)
    car = await Vehicle.create(customer=owner, vehicle_model=bmw, model_name="宝马3系", purchase_date=date(2024, 1, 1))
    await ServiceRecord.create(vehicle=car, customer=owner, kind=ServiceKind.REPAIR, service_date=date(2026, 3, 1),
                               amount=Decimal("8000"))
    await ServiceRecord.create(vehicle=car, customer=owner, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2024, 3, 1), amount=Decimal("9000"))  # older than 24 months
    thrifty = await make_customer("预算低", budget_max=80000, last_contact_at=AT)
    await tagging.refresh_tags(AT)

    assert await tags_of(owner) == {"车主:宝马", "售后消费:中", "预算:20-30万", "意向车型:宝马X3", "意向车型:奥迪Q5",
                                    "近30天有联系"}
    assert await tags_of(thrifty) == {"预算:10万以下", "近30天有联系"}


async def test_prediction_tags_churn_risk_and_extended_warranty(make_customer):
    lapsed = await make_customer("流失", created_at=OLD, last_contact_at=AT - timedelta(days=200))
    old_car = await Vehicle.create(customer=lapsed, model_name="老车", purchase_date=date(2019, 1, 1))
    await ServiceRecord.create(vehicle=old_car, customer=lapsed, kind=ServiceKind.MAINTENANCE,
                               service_date=date(2025, 5, 1), amount=Decimal("500"))
    warranty = await make_customer("延保", last_contact_at=AT)
    await Vehicle.create(customer=warranty, model_name="车", purchase_date=date(2023, 9, 1))  # 33 months old
    bought = await make_customer("已买延保", last_contact_at=AT)
    await Vehicle.create(customer=bought, model_name="车", purchase_date=date(2023, 9, 1))
    manual = await Tag.create(name=tagging.EXTENDED_WARRANTY_BOUGHT, category=TagCategory.MANUAL)
    await CustomerTag.create(customer=bought, tag=manual, source=TagSource.MANUAL)
    await tagging.refresh_tags(AT)

    assert await tags_of(lapsed) >= {"流失风险", "超过90天未联系"}
    assert "延保潜力" not in await tags_of(lapsed)
    assert await tags_of(warranty) == {"延保潜力", "近30天有联系"}
    assert await tags_of(bought) == {tagging.EXTENDED_WARRANTY_BOUGHT, "近30天有联系"}


async def test_refresh_twice_changes_nothing_and_keeps_first_time(make_customer):
    customer = await make_customer("两次", gender=Gender.MALE, city="上海")
    first = await tagging.refresh_tags(AT)
    created = dict(await CustomerTag.filter(customer_id=customer.id).values_list("tag__name", "created_at"))
    again = await tagging.refresh_tags(AT + timedelta(hours=1))

    assert first.added == 2 and (again.added, again.removed) == (0, 0)
    assert dict(await CustomerTag.filter(customer_id=customer.id).values_list("tag__name", "created_at")) == created


async def test_stale_generated_tags_go_and_manual_tags_stay(make_customer):
    customer = await make_customer("搬家", city="上海", last_contact_at=AT - timedelta(days=1))
    vip = await Tag.create(name="VIP", category=TagCategory.MANUAL)
    await CustomerTag.create(customer=customer, tag=vip, source=TagSource.MANUAL)
    await tagging.refresh_tags(AT)
    assert await tags_of(customer) == {"VIP", "地区:上海", "近30天有联系"}

    await Customer.filter(id=customer.id).update(city="苏州")
    result = await tagging.refresh_tags(AT + timedelta(days=40))

    assert await tags_of(customer) == {"VIP", "地区:苏州"}
    assert result.removed == 2
    assert await tags_of(customer, TagSource.MANUAL) == {"VIP"}


async def test_a_manual_tag_with_a_generated_name_is_left_manual(make_customer):
    customer = await make_customer("手工", gender=Gender.FEMALE)
    tag = await Tag.create(name="性别:女", category=TagCategory.BASIC)
    await CustomerTag.create(customer=customer, tag=tag, source=TagSource.MANUAL)
    await tagging.refresh_tags(AT)
    await Customer.filter(id=customer.id).update(gender=Gender.MALE)
    await tagging.refresh_tags(AT)

    assert await tags_of(customer, TagSource.MANUAL) == {"性别:女"}
    assert await tags_of(customer, TagSource.GENERATED) == {"性别:男"}


async def test_merged_customers_lose_their_generated_tags(make_customer):
    survivor = await make_customer("留下", city="上海")
    merged = await make_customer("并入", city="上海")
    await tagging.refresh_tags(AT)
    await Customer.filter(id=merged.id).update(merged_into_id=survivor.id)
    await tagging.refresh_tags(AT)

    assert await tags_of(merged) == set()
    assert await tags_of(survivor) == {"地区:上海"}


async def test_refresh_walks_every_chunk(make_customer, monkeypatch):
    monkeypatch.setattr(tagging, "CHUNK", 2)
    people = [await make_customer(f"客户{n}", city="南京") for n in range(5)]
    result = await tagging.refresh_tags(AT)

    assert result.added == 5
    assert all([await tags_of(p) == {"地区:南京"} for p in people])


def test_day_arithmetic_survives_month_ends_and_leap_days():
    assert sql.years_before(date(2028, 2, 29), 18) == date(2010, 2, 28)
    assert sql.months_before(date(2026, 8, 31), 30) == date(2024, 2, 29)
    assert sql.months_before(date(2026, 6, 15), 36) == date(2023, 6, 15)

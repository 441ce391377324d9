"""Booking test drives with their feedback, and objections on an opportunity."""

from datetime import timedelta

import pytest
from tortoise.timezone import now

from server.activity.models import Task
from server import enums
from server.errors import UserError, UserErrors
from server.sales.objections import add_objection, resolve_objection
from server.sales.opportunities import create_opportunity
from server.sales.testdrives import book_test_drive, record_test_drive_feedback


@pytest.fixture
async def deal(world):
    return await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "汉"})


async def test_a_booked_test_drive_is_on_the_consultants_today_until_feedback_is_in(world, deal, han):
    when = now() + timedelta(days=1)
    drive = await book_test_drive(world.p(world.alice), opportunity_id=deal.id, vehicle_model_id=han.id, scheduled_at=when)
    assert (drive.customer_id, drive.consultant_id, drive.status) == (world.alices_customer.id, world.alice.id, "BOOKED")
    task = await Task.get(dedup_key=f"test-drive:{drive.id}")
    assert task.due_at == when and task.title == "试驾：张三 比亚迪 汉 EV 冠军版"
    done = await record_test_drive_feedback(world.p(world.alice), drive.id, status=enums.TestDriveStatus.DONE,
                                            feedback="底盘扎实", rating=5)
    assert (done.status, done.feedback, done.rating) == ("DONE", "底盘扎实", 5)
    assert (await Task.get(id=task.id)).status == "DONE"


async def test_test_drive_input_is_checked(world, deal):
    with pytest.raises(UserErrors) as past:
        await book_test_drive(world.p(world.alice), customer_id=world.alices_customer.id,
                              scheduled_at=now() - timedelta(days=2), vehicle_model_id=999)
    assert sorted(e.field for e in past.value.errors) == ["scheduled_at", "vehicle_model_id"]
    drive = await book_test_drive(world.p(world.alice), customer_id=world.alices_customer.id, scheduled_at=now())
    with pytest.raises(UserErrors) as bad:
        await record_test_drive_feedback(world.p(world.alice), drive.id, status=enums.TestDriveStatus.NO_SHOW, rating=3)
    assert [e.field for e in bad.value.errors] == ["rating"]
    with pytest.raises(UserError) as outsider:
        await record_test_drive_feedback(world.p(world.bob), drive.id, status=enums.TestDriveStatus.DONE)
    assert outsider.value.code == "NOT_FOUND"


async def test_objections_are_added_and_resolved_once(world, deal):
    objection = await add_objection(world.p(world.alice), deal.id, category="价格", text="落地价超预算两万")
    assert not objection.resolved
    assert (await resolve_objection(world.p(world.alice), objection.id)).resolved
    assert (await resolve_objection(world.p(world.alice), objection.id)).resolved
    with pytest.raises(UserErrors):
        await add_objection(world.p(world.alice), deal.id, category="", text="")
    with pytest.raises(UserError):
        await resolve_objection(world.p(world.amy), objection.id, False)

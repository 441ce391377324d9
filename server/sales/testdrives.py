"""Test drives (试驾): booking one, and recording how it went."""

from datetime import datetime, timedelta

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Task
from server.activity.tasks import create_task
from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.customers.services import get_visible_customer
from server.enums import OpportunityStatus, TaskKind, TaskStatus, TestDriveStatus
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.sales.models import TestDrive, VehicleModel
from server.sales.opportunities import get_visible_opportunity

MAX_FEEDBACK = 5000
# A walk-in customer's drive is booked as it starts: allow a little slack into the past.
PAST_SLACK = timedelta(hours=1)


def _task_key(test_drive_id: int) -> str:
    return f"test-drive:{test_drive_id}"


async def book_test_drive(principal: Principal, *, scheduled_at: datetime, vehicle_model_id: int | None = None,
                          customer_id: int | None = None, opportunity_id: int | None = None) -> TestDrive:
    """Book a test drive for a customer, or for an opportunity (then its customer)."""
    if opportunity_id is not None:
        opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
        if opportunity.status is not OpportunityStatus.OPEN:
            raise UserError(ErrorCode.INVALID, "the opportunity is closed", "opportunity_id")
        if customer_id is not None and customer_id != opportunity.customer_id:
            raise UserError(ErrorCode.INVALID, "the opportunity belongs to another customer", "customer_id")
        customer_id = opportunity.customer_id
    elif customer_id is None:
        raise UserError(ErrorCode.REQUIRED, "name the customer or the opportunity", "customer_id")
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    errors = []
    if scheduled_at < now() - PAST_SLACK:
        errors.append(UserError(ErrorCode.INVALID, "a test drive is booked for now or later", "scheduled_at"))
    model = await VehicleModel.get_or_none(id=vehicle_model_id) if vehicle_model_id is not None else None
    if vehicle_model_id is not None and model is None:
        errors.append(UserError(ErrorCode.NOT_FOUND, "no such vehicle model", "vehicle_model_id"))
    if errors:
        raise UserErrors(errors)
    consultant_id = customer.owner_id or principal.user_id
    async with in_transaction():
        drive = await TestDrive.create(customer_id=customer.id, opportunity_id=opportunity_id,
                                       vehicle_model_id=vehicle_model_id, consultant_id=consultant_id,
                                       scheduled_at=scheduled_at)
        if consultant_id is not None:
            what = model.display_name if model else ""
            await create_task(consultant_id, TaskKind.OTHER, f"试驾：{customer.name} {what}".strip(), scheduled_at,
                              customer_id=customer.id, dedup_key=_task_key(drive.id))
        await audit.record(principal, "create", "TestDrive", drive.id, {
            "customer_id": customer.id, "opportunity_id": opportunity_id, "vehicle_model_id": vehicle_model_id,
            "scheduled_at": scheduled_at.isoformat(),
        })
        await emit("test_drive.booked", {"test_drive_id": drive.id, "customer_id": customer.id})
    return drive


async def record_test_drive_feedback(principal: Principal, test_drive_id: int, *, status: TestDriveStatus,
                                     feedback: str = "", rating: int | None = None) -> TestDrive:
    """Say how a booked drive went (done, no-show, cancelled); may be corrected later."""
    drive = await scoped(TestDrive, principal, "customer__", for_write=True).filter(id=test_drive_id).first()
    if drive is None:
        raise UserError(ErrorCode.NOT_FOUND, "test drive not found or not yours", "id")
    status = TestDriveStatus(status)
    errors = []
    if status is TestDriveStatus.BOOKED:
        errors.append(UserError(ErrorCode.INVALID, "say whether it took place: DONE, NO_SHOW or CANCELLED", "status"))
    if rating is not None and (status is not TestDriveStatus.DONE or not 1 <= rating <= 5):
        errors.append(UserError(ErrorCode.INVALID, "a rating from 1 to 5, for a drive that took place", "rating"))
    if len(feedback) > MAX_FEEDBACK:
        errors.append(UserError(ErrorCode.INVALID, f"feedback is longer than {MAX_FEEDBACK} characters", "feedback"))
    if errors:
        raise UserErrors(errors)
    values = {"status": status, "feedback": feedback.strip(), "rating": rating}
    before = {k: getattr(drive, k) for k in values}
    async with in_transaction():
        await TestDrive.filter(id=drive.id).update(**values)
        await Task.filter(dedup_key=_task_key(drive.id), status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE if status is TestDriveStatus.DONE else TaskStatus.CANCELLED, completed_at=now()
        )
        await audit.record(principal, "feedback", "TestDrive", drive.id, audit.diff(before, values))
        await emit("test_drive.recorded", {"test_drive_id": drive.id, "customer_id": drive.customer_id})
    return await TestDrive.get(id=drive.id)

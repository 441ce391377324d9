from datetime import datetime

import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import TestDrive
from server.sales import testdrives


@strawberry.input(description="A test drive to book, for a customer or one of their opportunities.")
class BookTestDriveInput:
    scheduled_at: datetime = strawberry.field(description="When.")
    opportunity_id: strawberry.ID | None = strawberry.field(default=None, description="The opportunity it belongs to.")
    customer_id: strawberry.ID | None = strawberry.field(default=None, description="The customer, when no opportunity is named.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=None, description="The car to drive.")


@strawberry.type(description="The result of bookTestDrive.")
class BookTestDrivePayload:
    test_drive: TestDrive | None = strawberry.field(description="The booking; the consultant gets it on their 今日.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def book_test_drive(info: Info, input: BookTestDriveInput) -> BookTestDrivePayload:
    try:
        row = await testdrives.book_test_drive(
            info.context.principal, scheduled_at=input.scheduled_at,
            opportunity_id=decode_id(input.opportunity_id, "Opportunity", "opportunity_id") if input.opportunity_id else None,
            customer_id=decode_id(input.customer_id, "Customer", "customer_id") if input.customer_id else None,
            vehicle_model_id=decode_id(input.vehicle_model_id, "VehicleModel", "vehicle_model_id")
            if input.vehicle_model_id else None,
        )
    except USER_ERRORS as exc:
        return BookTestDrivePayload(test_drive=None, errors=to_user_errors(exc))
    return BookTestDrivePayload(test_drive=TestDrive.from_model(row), errors=[])


field = strawberry.mutation(resolver=book_test_drive, description="Book a test drive.", permission_classes=[CanWrite])

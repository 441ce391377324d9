import strawberry
from strawberry.types import Info

from server.api.enums import TestDriveStatus
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import TestDrive
from server.sales import testdrives


@strawberry.input(description="How a booked test drive went.")
class RecordTestDriveFeedbackInput:
    id: strawberry.ID = strawberry.field(description="The test drive.")
    status: TestDriveStatus = strawberry.field(description="DONE, NO_SHOW or CANCELLED.")
    feedback: str = strawberry.field(default="", description="What the customer said about the car.")
    rating: int | None = strawberry.field(default=None, description="The customer's rating, 1 to 5, for a drive that took place.")


@strawberry.type(description="The result of recordTestDriveFeedback.")
class RecordTestDriveFeedbackPayload:
    test_drive: TestDrive | None = strawberry.field(description="The test drive as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def record_test_drive_feedback(info: Info, input: RecordTestDriveFeedbackInput) -> RecordTestDriveFeedbackPayload:
    try:
        row = await testdrives.record_test_drive_feedback(
            info.context.principal, decode_id(input.id, "TestDrive"), status=input.status,
            feedback=input.feedback, rating=input.rating,
        )
    except USER_ERRORS as exc:
        return RecordTestDriveFeedbackPayload(test_drive=None, errors=to_user_errors(exc))
    return RecordTestDriveFeedbackPayload(test_drive=TestDrive.from_model(row), errors=[])


field = strawberry.mutation(resolver=record_test_drive_feedback,
                            description="Record whether a test drive took place and what the customer thought.",
                            permission_classes=[CanWrite])

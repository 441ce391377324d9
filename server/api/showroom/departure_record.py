from datetime import datetime

import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.showroom.types import ShowroomVisit
from server.sales import showroom


@strawberry.input(description="When a walk-in left the showroom.")
class RecordShowroomDepartureInput:
    id: strawberry.ID = strawberry.field(description="The showroom visit.")
    left_at: datetime | None = strawberry.field(default=None, description="When they left; now if left out. Given again, it corrects the time.")


@strawberry.type(description="The result of recordShowroomDeparture.")
class RecordShowroomDeparturePayload:
    showroom_visit: ShowroomVisit | None = strawberry.field(description="The visit, with its departure.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def record_showroom_departure(info: Info, input: RecordShowroomDepartureInput) -> RecordShowroomDeparturePayload:
    try:
        visit = await showroom.record_departure(info.context.principal, decode_id(input.id, "ShowroomVisit"),
                                                input.left_at)
    except USER_ERRORS as exc:
        return RecordShowroomDeparturePayload(showroom_visit=None, errors=to_user_errors(exc))
    return RecordShowroomDeparturePayload(showroom_visit=ShowroomVisit.from_model(visit), errors=[])


field = strawberry.mutation(resolver=record_showroom_departure, permission_classes=[CanWrite],
                            description="Record that a walk-in left the showroom (离店).")

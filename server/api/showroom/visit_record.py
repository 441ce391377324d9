from datetime import datetime

import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.showroom.types import ShowroomVisit
from server.sales import showroom


@strawberry.input(description="A walk-in at the showroom, as the desk takes it down.")
class RecordShowroomVisitInput:
    phone: str | None = strawberry.field(default=None, description="The mobile number: matches the customer, or makes a new lead. Leave out for a walk-in who gives none.")
    name: str = strawberry.field(default="", description="The visitor's name, or a description when they give none.")
    party_size: int = strawberry.field(default=1, description="How many people came together (1 to 50).")
    arrived_at: datetime | None = strawberry.field(default=None, description="When they came in; now if left out.")
    consultant_id: strawberry.ID | None = strawberry.field(default=None, description="The consultant who receives them; owner of a new or pool customer.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=None, description="The car they came to see.")
    is_first_visit: bool | None = strawberry.field(default=None, description="First visit or not; left out, it follows from the customer's earlier visits.")
    note: str = strawberry.field(default="", description="Anything else worth noting.")


@strawberry.type(description="The result of recordShowroomVisit.")
class RecordShowroomVisitPayload:
    showroom_visit: ShowroomVisit | None = strawberry.field(description="The visit logged.")
    new_lead: bool = strawberry.field(description="Whether the phone matched no customer and the walk-in became a new lead.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def record_showroom_visit(info: Info, input: RecordShowroomVisitInput) -> RecordShowroomVisitPayload:
    try:
        walk_in = await showroom.record_walk_in(
            info.context.principal, phone=input.phone, name=input.name, party_size=input.party_size,
            arrived_at=input.arrived_at, is_first_visit=input.is_first_visit, note=input.note,
            consultant_id=decode_id(input.consultant_id, "User", "consultant_id") if input.consultant_id else None,
            vehicle_model_id=decode_id(input.vehicle_model_id, "VehicleModel", "vehicle_model_id")
            if input.vehicle_model_id else None,
        )
    except USER_ERRORS as exc:
        return RecordShowroomVisitPayload(showroom_visit=None, new_lead=False, errors=to_user_errors(exc))
    return RecordShowroomVisitPayload(showroom_visit=ShowroomVisit.from_model(walk_in.visit), new_lead=walk_in.new_lead,
                                      errors=[])


field = strawberry.mutation(resolver=record_showroom_visit, permission_classes=[CanWrite],
                            description="Log a walk-in (展厅客流): matched to their customer by phone, or a new lead.")

from datetime import datetime

import strawberry
from strawberry.types import Info

from server.activity import services
from server.api.activity.types import Interaction
from server.api.enums import Channel, Direction, InteractionKind
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.enums import Direction as DirectionEnum


@strawberry.input(description="A call, visit, test drive, message or note to log on a customer.")
class LogInteractionInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer it concerns.")
    kind: InteractionKind = strawberry.field(description="What kind of contact.")
    summary: str = strawberry.field(default="", description="What was said or done.")
    channel: Channel | None = strawberry.field(default=None, description="Through which channel.")
    direction: Direction = strawberry.field(default=DirectionEnum.OUTBOUND, description="Who reached out.")
    occurred_at: datetime | None = strawberry.field(default=None, description="When; now if left out.")
    next_step: str = strawberry.field(default="", description="The agreed next step.")
    next_follow_up_at: datetime | None = strawberry.field(
        default=None, description="When to follow up next; becomes a follow-up task for the customer's owner."
    )
    contact_id: strawberry.ID | None = strawberry.field(default=None, description="The contact spoken to.")


@strawberry.type(description="The result of logInteraction.")
class LogInteractionPayload:
    interaction: Interaction | None = strawberry.field(description="The logged interaction.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def log_interaction(info: Info, input: LogInteractionInput) -> LogInteractionPayload:
    try:
        row = await services.log_interaction(
            info.context.principal,
            decode_id(input.customer_id, "Customer", "customer_id"),
            kind=input.kind,
            summary=input.summary,
            channel=input.channel,
            direction=input.direction,
            occurred_at=input.occurred_at,
            next_step=input.next_step,
            next_follow_up_at=input.next_follow_up_at,
            contact_id=decode_id(input.contact_id, "Contact", "contact_id") if input.contact_id else None,
        )
    except USER_ERRORS as exc:
        return LogInteractionPayload(interaction=None, errors=to_user_errors(exc))
    return LogInteractionPayload(interaction=Interaction.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=log_interaction,
    description="Log a contact with a customer as it happens; a contact (not a note) closes the open follow-ups.",
    permission_classes=[CanWrite],
)

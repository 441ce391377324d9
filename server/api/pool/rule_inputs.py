import strawberry

from server.api.enums import AssignmentStrategy, Channel

UNSET = strawberry.UNSET


@strawberry.input(description="Assignment rule fields; those left out are not touched.")
class AssignmentRuleFields:
    name: str | None = strawberry.field(default=UNSET, description="What the rule is for.")
    strategy: AssignmentStrategy | None = strawberry.field(default=UNSET, description="How the team shares the leads.")
    channel: Channel | None = strawberry.field(default=UNSET, description="Only leads from this channel; null for any.")
    province: str | None = strawberry.field(default=UNSET, description="Only leads from this province; empty for any.")
    city: str | None = strawberry.field(default=UNSET, description="Only leads from this city; empty for any.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=UNSET, description="Only leads interested in this model; null for any.")
    position: int | None = strawberry.field(default=UNSET, description="Rules are tried lowest first.")
    is_active: bool | None = strawberry.field(default=UNSET, description="Whether the rule is in use.")

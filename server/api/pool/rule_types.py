from datetime import datetime

import strawberry
from strawberry.types import Info

from server.api.auth.types import Team
from server.api.enums import AssignmentStrategy, Channel
from server.api.relay import Node, to_global_id
from server.api.sales.catalog_types import VehicleModel
from server.sales.models import AssignmentRule as AssignmentRuleModel


@strawberry.type(description="A rule that routes new pool leads to a team (线索分配规则); empty conditions match any lead.")
class AssignmentRule(Node):
    name: str = strawberry.field(description="What the rule is for.")
    strategy: AssignmentStrategy = strawberry.field(description="How the team shares the leads.")
    channel: Channel | None = strawberry.field(description="Only leads from this channel.")
    province: str = strawberry.field(description="Only leads from this province.")
    city: str = strawberry.field(description="Only leads from this city.")
    position: int = strawberry.field(description="Rules are tried lowest first; the first that matches wins.")
    is_active: bool = strawberry.field(description="Whether the rule is in use.")
    created_at: datetime = strawberry.field(description="When it was made.")
    team_pk: strawberry.Private[int]
    vehicle_model_pk: strawberry.Private[int | None]

    @strawberry.field(description="The team the leads go to.")
    async def team(self, info: Info) -> Team | None:
        team = await info.context.loaders.team.load(self.team_pk)
        return Team.from_model(team) if team else None

    @strawberry.field(description="Only leads interested in this model.")
    async def vehicle_model(self, info: Info) -> VehicleModel | None:
        if self.vehicle_model_pk is None:
            return None
        row = await info.context.loaders.vehicle_model.load(self.vehicle_model_pk)
        return VehicleModel.from_model(row) if row else None

    @classmethod
    def from_model(cls, r: AssignmentRuleModel) -> "AssignmentRule":
        return cls(id=to_global_id("AssignmentRule", r.id), name=r.name, strategy=r.strategy, channel=r.channel,
                   province=r.province, city=r.city, position=r.position, is_active=r.is_active,
                   created_at=r.created_at, team_pk=r.team_id, vehicle_model_pk=r.vehicle_model_id)

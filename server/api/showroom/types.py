from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from server.api.auth.types import User
from server.api.relay import Node, to_global_id
from server.api.sales.catalog_types import VehicleModel
from server.sales.models import ShowroomVisit as ShowroomVisitModel

if TYPE_CHECKING:
    from server.api.customers.types import Customer

CustomerRef = Annotated["Customer", strawberry.lazy("server.api.customers.types")]


@strawberry.type(description="One walk-in at the showroom (展厅客流), as reception logged it.")
class ShowroomVisit(Node):
    visitor_name: str = strawberry.field(description="The name or description given at the desk.")
    arrived_at: datetime = strawberry.field(description="When the party came in.")
    left_at: datetime | None = strawberry.field(description="When they left; null while still in the showroom.")
    party_size: int = strawberry.field(description="How many people came together.")
    is_first_visit: bool = strawberry.field(description="Whether this was the customer's first visit (首次到店).")
    note: str = strawberry.field(description="What the desk noted.")
    created_at: datetime = strawberry.field(description="When it was logged.")
    customer_pk: strawberry.Private[int | None]
    consultant_pk: strawberry.Private[int | None]
    vehicle_model_pk: strawberry.Private[int | None]
    recorded_by_pk: strawberry.Private[int | None]

    @strawberry.field(description="The customer the walk-in is, if they left a phone and the viewer may see them.")
    async def customer(self, info: Info) -> CustomerRef | None:
        from server.api.customers.types import Customer

        if self.customer_pk is None:
            return None
        # A visit is visible to whoever received it, its customer only within the customer scope.
        row = await info.context.loaders.visible_customers(info.context.principal).load(self.customer_pk)
        return Customer.from_model(row) if row else None

    @strawberry.field(description="The consultant who received them.")
    async def consultant(self, info: Info) -> User | None:
        return await _user(info, self.consultant_pk)

    @strawberry.field(description="Who logged the walk-in.")
    async def recorded_by(self, info: Info) -> User | None:
        return await _user(info, self.recorded_by_pk)

    @strawberry.field(description="The car they came to see.")
    async def vehicle_model(self, info: Info) -> VehicleModel | None:
        if self.vehicle_model_pk is None:
            return None
        row = await info.context.loaders.vehicle_model.load(self.vehicle_model_pk)
        return VehicleModel.from_model(row) if row else None

    @classmethod
    def from_model(cls, v: ShowroomVisitModel) -> "ShowroomVisit":
        return cls(
            id=to_global_id("ShowroomVisit", v.id), visitor_name=v.visitor_name, arrived_at=v.arrived_at,
            left_at=v.left_at, party_size=v.party_size, is_first_visit=v.is_first_visit, note=v.note,
            created_at=v.created_at, customer_pk=v.customer_id, consultant_pk=v.consultant_id,
            vehicle_model_pk=v.vehicle_model_id, recorded_by_pk=v.recorded_by_id,
        )


async def _user(info: Info, pk: int | None) -> User | None:
    if pk is None:
        return None
    user = await info.context.loaders.user.load(pk)
    return User.from_model(user) if user else None

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from server.analytics.period import start_of
from server.api.enums import Channel, CloseReasonKind, OpportunityStage, OpportunityStatus
from server.api.permissions import CanRead
from server.api.relay import Connection, decode_id, paginate
from server.api.sales.catalog_types import CloseReason, VehicleModel
from server.api.sales.types import Opportunity, StageTotal
from server.auth.scope import scoped
from server.enums import OpportunityStatus as OpportunityStatusModel
from server.sales import close_reasons, pipeline
from server.sales.models import Opportunity as OpportunityModel
from server.sales.models import VehicleModel as VehicleModelModel


@strawberry.input(description="Which opportunities to list; every condition given must hold.")
class OpportunityFilter:
    stage: list[OpportunityStage] | None = strawberry.field(default=None, description="Any of these stages.")
    status: list[OpportunityStatus] | None = strawberry.field(default=None, description="Any of these statuses.")
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Worked by this user.")
    customer_id: strawberry.ID | None = strawberry.field(default=None, description="With this customer.")
    loss_pending: bool | None = strawberry.field(default=None, description="Only those whose loss waits for approval (true) or not.")
    closed_after: datetime | None = strawberry.field(default=None, description="Closed at or after this moment.")
    closed_before: datetime | None = strawberry.field(default=None, description="Closed before this moment.")
    closed_from: date | None = strawberry.field(default=None, description="Closed on or after this day, in the dealership's time zone.")
    closed_to: date | None = strawberry.field(default=None, description="Closed before this day, in the dealership's time zone.")
    close_reason_id: strawberry.ID | None = strawberry.field(default=None, description="Closed (or a loss requested) with this reason.")
    competitor_brand: str | None = strawberry.field(default=None, description="Lost to this brand, exactly; an empty string: no competitor named.")
    competitor_model: str | None = strawberry.field(default=None, description="Lost to this model, exactly; an empty string: no competitor named.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=None, description="For this catalog model.")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="On customers of this team.")
    channel: Channel | None = strawberry.field(default=None, description="On customers from this source channel.")


def apply_filter(query, flt: OpportunityFilter | None):
    if flt is None:
        return query
    if flt.stage:
        query = query.filter(stage__in=[s.value for s in flt.stage])
    if flt.status:
        query = query.filter(status__in=[s.value for s in flt.status])
    if flt.owner_id:
        query = query.filter(owner_id=decode_id(flt.owner_id, "User", "ownerId"))
    if flt.customer_id:
        query = query.filter(customer_id=decode_id(flt.customer_id, "Customer", "customerId"))
    if flt.loss_pending is not None:
        query = query.filter(loss_pending=flt.loss_pending)
    if flt.closed_after is not None:
        query = query.filter(closed_at__gte=flt.closed_after)
    if flt.closed_before is not None:
        query = query.filter(closed_at__lt=flt.closed_before)
    # The win/loss analysis drills down with these (server/analytics): local days, its dimensions.
    if flt.closed_from is not None:
        query = query.filter(closed_at__gte=start_of(flt.closed_from))
    if flt.closed_to is not None:
        query = query.filter(closed_at__lt=start_of(flt.closed_to))
    if flt.close_reason_id:
        query = query.filter(close_reason_id=decode_id(flt.close_reason_id, "CloseReason", "closeReasonId"))
    if flt.competitor_brand is not None:
        query = query.filter(competitor_brand=flt.competitor_brand.strip())
    if flt.competitor_model is not None:
        query = query.filter(competitor_model=flt.competitor_model.strip())
    if flt.vehicle_model_id:
        query = query.filter(vehicle_model_id=decode_id(flt.vehicle_model_id, "VehicleModel", "vehicleModelId"))
    if flt.team_id:
        query = query.filter(customer__team_id=decode_id(flt.team_id, "Team", "teamId"))
    if flt.channel is not None:
        query = query.filter(customer__channel=flt.channel.value)
    return query


@strawberry.type
class SalesQuery:
    @strawberry.field(description="Opportunities on customers the viewer may see, most recently changed first.",
                      permission_classes=[CanRead])
    async def opportunities(
        self, info: Info, filter: OpportunityFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Opportunity]:
        query = apply_filter(scoped(OpportunityModel, info.context.principal, "customer__"), filter)
        return await paginate(query.order_by("-updated_at", "-id"), first, after, Opportunity.from_model)

    @strawberry.field(description="Open opportunities the viewer may see, counted and summed per stage, in stage order.",
                      permission_classes=[CanRead])
    async def pipeline(self, info: Info, filter: OpportunityFilter | None = None) -> list[StageTotal]:
        query = apply_filter(scoped(OpportunityModel, info.context.principal, "customer__"), filter)
        rows = await pipeline.stage_totals(query.filter(status=OpportunityStatusModel.OPEN))
        return [StageTotal(stage=stage, count=n, amount=amount) for stage, n, amount in rows]

    @strawberry.field(description="One opportunity by id, if the viewer may see it.", permission_classes=[CanRead])
    async def opportunity(self, info: Info, id: strawberry.ID) -> Opportunity | None:
        pk = decode_id(id, "Opportunity")
        row = await scoped(OpportunityModel, info.context.principal, "customer__").filter(id=pk).first()
        return Opportunity.from_model(row) if row else None

    @strawberry.field(description="The managed win and loss reasons, in list order.", permission_classes=[CanRead])
    async def close_reasons(
        self, kind: CloseReasonKind | None = None, include_inactive: bool = False
    ) -> list[CloseReason]:
        rows = await close_reasons.list_close_reasons(kind, include_inactive=include_inactive)
        return [CloseReason.from_model(r) for r in rows]

    @strawberry.field(description="The vehicle catalog, by brand and series.", permission_classes=[CanRead])
    async def vehicle_models(
        self, include_inactive: bool = False, first: int | None = None, after: str | None = None
    ) -> Connection[VehicleModel]:
        query = VehicleModelModel.all() if include_inactive else VehicleModelModel.filter(is_active=True)
        return await paginate(query.order_by("brand", "series", "trim", "id"), first, after, VehicleModel.from_model)

from datetime import datetime

import strawberry
from strawberry.types import Info

from server.api.auth.types import User
from server.api.permissions import CanRead
from server.api.relay import Connection, decode_id, paginate
from server.api.showroom.types import ShowroomVisit
from server.auth.models import User as UserModel
from server.auth.scope import showroom_visit_q
from server.enums import Role
from server.sales.models import ShowroomVisit as ShowroomVisitModel


@strawberry.input(description="Which showroom visits to list; every condition given must hold.")
class ShowroomVisitFilter:
    from_: datetime | None = strawberry.field(default=None, name="from", description="Arrived at or after this moment.")
    to: datetime | None = strawberry.field(default=None, description="Arrived before this moment.")
    consultant_id: strawberry.ID | None = strawberry.field(default=None, description="Received by this user.")
    customer_id: strawberry.ID | None = strawberry.field(default=None, description="Visits of this customer.")
    is_first_visit: bool | None = strawberry.field(default=None, description="Only first visits (true) or return visits (false).")
    in_showroom: bool | None = strawberry.field(
        default=None, description="Only parties still in the showroom, with no departure (true), or those who left (false).")


def apply_filter(query, flt: ShowroomVisitFilter | None):
    if flt is None:
        return query
    if flt.from_ is not None:
        query = query.filter(arrived_at__gte=flt.from_)
    if flt.to is not None:
        query = query.filter(arrived_at__lt=flt.to)
    if flt.consultant_id:
        query = query.filter(consultant_id=decode_id(flt.consultant_id, "User", "consultantId"))
    if flt.customer_id:
        query = query.filter(customer_id=decode_id(flt.customer_id, "Customer", "customerId"))
    if flt.is_first_visit is not None:
        query = query.filter(is_first_visit=flt.is_first_visit)
    if flt.in_showroom is not None:
        query = query.filter(left_at__isnull=flt.in_showroom)
    return query


@strawberry.type
class ShowroomQuery:
    @strawberry.field(description="Walk-ins the viewer may see (of their customers, or received or logged by them), newest first.",
                      permission_classes=[CanRead])
    async def showroom_visits(
        self, info: Info, filter: ShowroomVisitFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[ShowroomVisit]:
        query = apply_filter(ShowroomVisitModel.filter(showroom_visit_q(info.context.principal)), filter)
        return await paginate(query.order_by("-arrived_at", "-id"), first, after, ShowroomVisit.from_model)

    @strawberry.field(description="Staff who may receive a walk-in: active consultants and managers, by team and name.",
                      permission_classes=[CanRead])
    async def showroom_consultants(self) -> list[User]:
        rows = await UserModel.filter(is_active=True, role__in=[Role.CONSULTANT, Role.MANAGER]).order_by(
            "team_id", "display_name", "id")
        return [User.from_model(u) for u in rows]

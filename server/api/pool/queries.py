import strawberry
from strawberry.types import Info

from server.api.customers.filters import CustomerFilter, apply_filter
from server.api.customers.types import Customer
from server.api.permissions import CanRead
from server.api.pool.rule_types import AssignmentRule
from server.api.pool.types import PoolAllowance
from server.api.relay import Connection, paginate
from server.auth.scope import scoped
from server.customers.models import Customer as CustomerModel
from server.sales import assignment, pool
from server.sales.models import AssignmentRule as AssignmentRuleModel


@strawberry.type
class PoolQuery:
    @strawberry.field(description="Customers in the public pool (公海) the viewer may see, latest returned first; phones masked.",
                      permission_classes=[CanRead])
    async def pool(
        self, info: Info, filter: CustomerFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Customer]:
        query = apply_filter(scoped(CustomerModel, info.context.principal).filter(owner_id__isnull=True), filter)
        return await paginate(query.order_by("-pool_entered_at", "-id"), first, after, Customer.from_model)

    @strawberry.field(description="The viewer's claim caps and how much of them is used; null for API tokens.",
                      permission_classes=[CanRead])
    async def pool_allowance(self, info: Info) -> PoolAllowance | None:
        principal = info.context.principal
        if principal.user_id is None:
            return None
        return PoolAllowance.from_allowance(await pool.allowance(principal.user_id))

    @strawberry.field(description="Rules routing new leads: every team's for admins, the viewer's team's for staff; in the order tried.",
                      permission_classes=[CanRead])
    async def assignment_rules(self, info: Info) -> list[AssignmentRule]:
        rows = await AssignmentRuleModel.filter(assignment.visible_rules(info.context.principal)).order_by("position", "id")
        return [AssignmentRule.from_model(r) for r in rows]

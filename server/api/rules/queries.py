import strawberry
from strawberry.types import Info

from server.api.permissions import CanRead
from server.api.relay import Connection, decode_id, paginate
from server.api.rules.types import Rule, RuleFiring
from server.rules.models import Rule as RuleModel
from server.rules.models import RuleFiring as RuleFiringModel
from server.rules.services import visible_firings


@strawberry.type
class RulesQuery:
    @strawberry.field(description="Trigger rules by name; every staff member may read them.",
                      permission_classes=[CanRead])
    async def rules(self, info: Info, enabled: bool | None = None, first: int | None = None,
                    after: str | None = None) -> Connection[Rule]:
        query = RuleModel.all()
        if enabled is not None:
            query = query.filter(enabled=enabled)
        return await paginate(query.order_by("name", "id"), first, after, Rule.from_model)

    @strawberry.field(description="One trigger rule by id.", permission_classes=[CanRead])
    async def rule(self, info: Info, id: strawberry.ID) -> Rule | None:
        row = await RuleModel.get_or_none(id=decode_id(id, "Rule"))
        return Rule.from_model(row) if row else None

    @strawberry.field(description="Firings, latest first, on customers the viewer may see; of one rule and/or one customer.",
                      permission_classes=[CanRead])
    async def rule_firings(self, info: Info, rule_id: strawberry.ID | None = None,
                           customer_id: strawberry.ID | None = None, first: int | None = None,
                           after: str | None = None) -> Connection[RuleFiring]:
        query = RuleFiringModel.filter(visible_firings(info.context.principal))
        if rule_id is not None:
            query = query.filter(rule_id=decode_id(rule_id, "Rule", "rule_id"))
        if customer_id is not None:
            query = query.filter(customer_id=decode_id(customer_id, "Customer", "customer_id"))
        return await paginate(query.order_by("-fired_at", "-id"), first, after, RuleFiring.from_model)

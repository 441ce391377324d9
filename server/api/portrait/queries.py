import strawberry
from strawberry.types import Info

from server.api.enums import TagCategory, TemplateKind
from server.api.permissions import CanRead
from server.api.portrait.types import MessageTemplate, RecommendedTemplate, Tag
from server.api.relay import Connection, decode_id, paginate
from server.portrait import templates
from server.portrait.models import Tag as TagModel


@strawberry.type
class PortraitQuery:
    @strawberry.field(description="Every tag, optionally of one category.", permission_classes=[CanRead])
    async def tags(self, category: TagCategory | None = None) -> list[Tag]:
        query = TagModel.all().order_by("category", "name")
        if category is not None:
            query = query.filter(category=category)
        return [Tag.from_model(t) for t in await query]

    @strawberry.field(description="Talking points and message templates, active first, by kind and title; every staff member may read them.",
                      permission_classes=[CanRead])
    async def message_templates(self, kind: TemplateKind | None = None, include_inactive: bool = False,
                                first: int | None = None, after: str | None = None) -> Connection[MessageTemplate]:
        query = templates.list_templates(include_inactive=include_inactive, kind=kind.value if kind else None)
        return await paginate(query, first, after, MessageTemplate.from_model)

    @strawberry.field(description="The talking points that fit a customer best, rendered for them; empty for a customer the viewer may not see.",
                      permission_classes=[CanRead])
    async def recommended_templates(self, info: Info, customer_id: strawberry.ID, limit: int = 3) -> list[RecommendedTemplate]:
        pk = decode_id(customer_id, "Customer", "customer_id")
        found = await templates.recommend(info.context.principal, pk, max(0, min(limit, 10)))
        return [RecommendedTemplate.from_service(r) for r in found]

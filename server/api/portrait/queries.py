import strawberry

from server.api.enums import TagCategory
from server.api.permissions import CanRead
from server.api.portrait.types import Tag
from server.portrait.models import Tag as TagModel


@strawberry.type
class PortraitQuery:
    @strawberry.field(description="Every tag, optionally of one category.", permission_classes=[CanRead])
    async def tags(self, category: TagCategory | None = None) -> list[Tag]:
        query = TagModel.all().order_by("category", "name")
        if category is not None:
            query = query.filter(category=category)
        return [Tag.from_model(t) for t in await query]

from datetime import datetime

import strawberry

from server.api.enums import TagCategory, TagSource
from server.api.relay import Node, to_global_id


@strawberry.type(description="A label in the customer portrait (标签).")
class Tag(Node):
    name: str = strawberry.field(description="The tag's name, e.g. 潜在换车客户.")
    category: TagCategory = strawberry.field(description="The portrait dimension.")
    description: str = strawberry.field(description="What the tag means.")

    @classmethod
    def from_model(cls, tag) -> "Tag":
        return cls(id=to_global_id("Tag", tag.id), name=tag.name, category=tag.category, description=tag.description)


@strawberry.type(description="A tag on one customer, with where it came from.")
class CustomerTag:
    tag: Tag = strawberry.field(description="The tag.")
    source: TagSource = strawberry.field(description="Manual, by a rule, by the extractor or from an import.")
    assigned_at: datetime = strawberry.field(description="When the tag was put on the customer.")

    @classmethod
    def from_model(cls, link) -> "CustomerTag":
        return cls(tag=Tag.from_model(link.tag), source=link.source, assigned_at=link.created_at)

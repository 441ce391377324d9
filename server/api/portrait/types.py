from datetime import datetime

import strawberry

from server.api.enums import Grade, OpportunityStage, TagCategory, TagSource, TemplateKind
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


@strawberry.type(description="A talking point (话术) or message template, with the tags, stages and grades it fits.")
class MessageTemplate(Node):
    title: str = strawberry.field(description="Its title; may name customer fields like the body.")
    body: str = strawberry.field(description="The text, a sandboxed Jinja2 template such as 「{{ salutation }}您好」.")
    kind: TemplateKind = strawberry.field(description="A talking point or a message to send.")
    tag_names: list[str] = strawberry.field(description="Tags it fits; when set, the customer needs at least one.")
    stages: list[OpportunityStage] = strawberry.field(description="Stages it fits; when set, the customer's most advanced open deal must be in one.")
    grades: list[Grade] = strawberry.field(description="Grades it fits; when set, the customer's grade must be one.")
    is_active: bool = strawberry.field(description="Whether it is recommended; retired templates stay listed.")

    @classmethod
    def from_model(cls, t) -> "MessageTemplate":
        return cls(id=to_global_id("MessageTemplate", t.id), title=t.title, body=t.body, kind=t.kind,
                   tag_names=list(t.tag_names or []), stages=list(t.stages or []), grades=list(t.grades or []),
                   is_active=t.is_active)


@strawberry.type(description="A template recommended for one customer, rendered with the customer's details.")
class RecommendedTemplate:
    template: MessageTemplate = strawberry.field(description="The template as saved.")
    title: str = strawberry.field(description="The title rendered for the customer.")
    body: str = strawberry.field(description="The text rendered for the customer, ready to copy.")
    matched_tags: list[str] = strawberry.field(description="The template's tags the customer has.")
    score: int = strawberry.field(description="How well it fits: 3 per shared tag, 2 for the stage, 1 for the grade.")

    @classmethod
    def from_service(cls, r) -> "RecommendedTemplate":
        return cls(template=MessageTemplate.from_model(r.template), title=r.title, body=r.body,
                   matched_tags=list(r.matched_tags), score=r.score)

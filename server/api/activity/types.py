from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from server.activity.models import Interaction as InteractionModel
from server.api.auth.types import User
from server.api.enums import Channel, Direction, InteractionKind
from server.api.portrait.suggestion_types import InteractionFact
from server.api.relay import Node, to_global_id

if TYPE_CHECKING:
    from server.api.customers.types import Customer


@strawberry.type(description="A logged contact with a customer (跟进记录): call, visit, test drive, message …")
class Interaction(Node):
    kind: InteractionKind = strawberry.field(description="What kind of contact.")
    channel: Channel | None = strawberry.field(description="Through which channel.")
    direction: Direction = strawberry.field(description="Who reached out.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    summary: str = strawberry.field(description="What was said or done.")
    next_step: str = strawberry.field(description="The agreed next step.")
    next_follow_up_at: datetime | None = strawberry.field(description="When to follow up next.")
    customer_pk: strawberry.Private[int]
    user_pk: strawberry.Private[int | None]
    facts_document: strawberry.Private[dict | None] = None

    @strawberry.field(description="Facts the extractor read in the summary (budget, models, timeframe …), with spans.")
    def facts(self) -> list[InteractionFact]:
        return [InteractionFact.from_dict(f) for f in (self.facts_document or {}).get("facts", [])]

    @strawberry.field(description="Who logged it.")
    async def author(self, info: Info) -> User | None:
        if self.user_pk is None:
            return None
        user = await info.context.loaders.user.load(self.user_pk)
        return User.from_model(user) if user else None

    @strawberry.field(description="The customer it concerns.")
    async def customer(self, info: Info) -> Annotated["Customer", strawberry.lazy("server.api.customers.types")]:
        from server.api.customers.types import Customer
        from server.customers.models import Customer as CustomerModel

        # Reached only through an interaction that passed the scope, so its customer is visible.
        return Customer.from_model(await CustomerModel.get(id=self.customer_pk))

    @classmethod
    def from_model(cls, i: InteractionModel) -> "Interaction":
        return cls(
            id=to_global_id("Interaction", i.id), kind=i.kind, channel=i.channel, direction=i.direction,
            occurred_at=i.occurred_at, summary=i.summary, next_step=i.next_step,
            next_follow_up_at=i.next_follow_up_at, customer_pk=i.customer_id, user_pk=i.user_id,
            facts_document=i.facts,
        )

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.relay import Node, to_global_id
from server.api.rules.inputs import RulePeriod
from server.rules.engine import split_period
from server.rules.models import Rule as RuleModel
from server.rules.models import RuleFiring as RuleFiringModel


@strawberry.type(description="A trigger rule (触发规则): a condition over customer facts, actions, and when it runs.")
class Rule(Node):
    name: str = strawberry.field(description="What the rule is for.")
    description: str = strawberry.field(description="A longer explanation.")
    condition: JSON = strawberry.field(description="Which customers it fires for, as stored (all/any/not over facts).")
    once_per: RulePeriod = strawberry.field(description="How often it may fire for one customer.")
    actions: JSON = strawberry.field(description="What it does, in order, as stored.")
    schedule: str | None = strawberry.field(description="When it runs: cron or hourly; null for events only.")
    events: list[str] = strawberry.field(description="Event topics it runs on.")
    enabled: bool = strawberry.field(description="Whether it runs.")
    builtin_key: str | None = strawberry.field(description="Set on the rules every dealership starts with.")
    version: int = strawberry.field(description="Pass back with an update; a stale one is a CONFLICT.")
    created_at: datetime = strawberry.field(description="When it was made.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    pk: strawberry.Private[int]

    @strawberry.field(description="When it last fired for a customer the viewer may see.")
    async def last_fired_at(self, info: Info) -> datetime | None:
        return (await info.context.rule_firing_stats.load((self.pk, None)))[1]

    @strawberry.field(description="How often it fired for customers the viewer may see, optionally since a moment.")
    async def firing_count(self, info: Info, since: datetime | None = None) -> int:
        return (await info.context.rule_firing_stats.load((self.pk, since)))[0]

    @classmethod
    def from_model(cls, r: RuleModel) -> "Rule":
        period, node = split_period(r.condition)
        return cls(id=to_global_id("Rule", r.id), name=r.name, description=r.description, condition=node,
                   once_per=RulePeriod(period), actions=r.actions, schedule=r.schedule, events=list(r.events or []),
                   enabled=r.enabled, builtin_key=r.builtin_key, version=r.version, created_at=r.created_at,
                   updated_at=r.updated_at, pk=r.id)


@strawberry.type(description="One time a rule fired for a customer, and what it did.")
class RuleFiring(Node):
    fired_at: datetime = strawberry.field(description="When it fired.")
    effects: list[str] = strawberry.field(description="What it did, e.g. create_task:BIRTHDAY.")
    rule_pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int]

    @strawberry.field(description="The rule that fired.")
    async def rule(self, info: Info) -> Rule | None:
        row = await info.context.loaders.rule.load(self.rule_pk)
        return Rule.from_model(row) if row else None

    @strawberry.field(description="The customer it fired for.")
    async def customer(self, info: Info) -> Customer | None:
        row = await info.context.loaders.customer.load(self.customer_pk)
        return Customer.from_model(row) if row else None

    @classmethod
    def from_model(cls, f: RuleFiringModel) -> "RuleFiring":
        return cls(id=to_global_id("RuleFiring", f.id), fired_at=f.fired_at, effects=[str(e) for e in f.effects or []],
                   rule_pk=f.rule_id, customer_pk=f.customer_id)


@strawberry.type(description="What a condition selects now.")
class RulePreview:
    match_count: int = strawberry.field(description="How many customers the viewer may see match now.")
    sample: list[Customer] = strawberry.field(description="The first matching customers, at most 10.")

"""The per-request context: who is asking, and DataLoaders that cache for this request only."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from server.auth.models import Team, User
from server.auth.principal import Principal
from server.customers.models import Contact, Customer, Vehicle
from server.portrait.models import CustomerTag
from server.rules.models import Rule
from server.auth.scope import scoped
from server.sales.models import (Campaign, CloseReason, Objection, Quote, QuoteItem, ShowroomVisit, TestDrive,
                                 VehicleModel)


async def _by_id(model, keys: list[int]) -> list:
    """`model` may be a model or a queryset already restricted by a scope."""
    rows = {row.id: row for row in await model.filter(id__in=set(keys))}
    return [rows.get(key) for key in keys]


async def _grouped(queryset, key_attr: str, keys: list[int]) -> list[list]:
    groups: dict[int, list] = defaultdict(list)
    for row in await queryset:
        groups[getattr(row, key_attr)].append(row)
    return [groups.get(key, []) for key in keys]


async def _counted(queryset, key_attr: str, keys: list[int]) -> list[int]:
    counts = dict(await queryset.annotate(n=Count("id")).group_by(key_attr).values_list(key_attr, "n"))
    return [counts.get(key, 0) for key in keys]


class Loaders:
    """Batch loads for fields that hang off a page of records (avoids N+1 queries).

    Callers reach these only through objects that already passed the scope, so the
    loaders themselves do not filter by owner.
    """

    def __init__(self) -> None:
        self.user = DataLoader(lambda keys: _by_id(User, keys))
        self.team = DataLoader(lambda keys: _by_id(Team, keys))
        self.contacts = DataLoader(
            lambda keys: _grouped(Contact.filter(customer_id__in=set(keys)).order_by("id"), "customer_id", keys)
        )
        self.customer_tags = DataLoader(
            lambda keys: _grouped(
                CustomerTag.filter(customer_id__in=set(keys)).select_related("tag").order_by("id"),
                "customer_id",
                keys,
            )
        )
        self.vehicles = DataLoader(
            lambda keys: _grouped(Vehicle.filter(customer_id__in=set(keys)).order_by("id"), "customer_id", keys)
        )
        self.customer = DataLoader(lambda keys: _by_id(Customer, keys))
        self.vehicle_model = DataLoader(lambda keys: _by_id(VehicleModel, keys))
        self.close_reason = DataLoader(lambda keys: _by_id(CloseReason, keys))
        self.quotes = DataLoader(
            lambda keys: _grouped(Quote.filter(opportunity_id__in=set(keys)).order_by("-created_at", "-id"),
                                  "opportunity_id", keys)
        )
        self.quote_items = DataLoader(
            lambda keys: _grouped(QuoteItem.filter(quote_id__in=set(keys)).order_by("id"), "quote_id", keys)
        )
        self.test_drives = DataLoader(
            lambda keys: _grouped(TestDrive.filter(opportunity_id__in=set(keys)).order_by("scheduled_at", "id"),
                                  "opportunity_id", keys)
        )
        self.campaign = DataLoader(lambda keys: _by_id(Campaign, keys))
        self.rule = DataLoader(lambda keys: _by_id(Rule, keys))
        self.objections = DataLoader(
            lambda keys: _grouped(Objection.filter(opportunity_id__in=set(keys)).order_by("id"), "opportunity_id", keys)
        )
        self.showroom_visit_counts = DataLoader(
            lambda keys: _counted(ShowroomVisit.filter(customer_id__in=set(keys)), "customer_id", keys)
        )
        self._visible_customers: DataLoader | None = None

    def visible_customers(self, principal) -> DataLoader:
        """Customers by id, only those `principal` may see: for records visible without their customer
        (a walk-in someone received for another consultant's customer)."""
        if self._visible_customers is None:
            self._visible_customers = DataLoader(lambda keys: _by_id(scoped(Customer, principal), keys))
        return self._visible_customers


@dataclass
class Context:
    principal: Principal | None
    request: object | None = None
    loaders: Loaders = field(default_factory=Loaders)

    @cached_property
    def campaign_stats(self) -> DataLoader:
        """Campaign numbers for every campaign on a page at once, counted as this principal may."""
        from server.sales.campaigns import campaign_stats

        return DataLoader(lambda keys: campaign_stats(self.principal, keys))

    @cached_property
    def rule_firing_stats(self) -> DataLoader:
        """(count, last fired) per (rule id, since), over the firings this principal may see."""
        from server.rules.services import firing_stats

        return DataLoader(lambda keys: firing_stats(self.principal, keys))

"""客户画像分析: how the customers the viewer may see spread over age bands, regions, budget
bands, interested models, value tiers and tags.

Age, region, budget and model come from the generated tags (server/portrait/tagging.py), so a
bar's count is exactly what the customer list shows when filtered by that tag. Numbers are as
fresh as the last portrait refresh (daily, or `crm portrait refresh`). A customer interested in
two models counts once for each.
"""

from dataclasses import dataclass

from tortoise.functions import Count

from server.auth.principal import Principal
from server.auth.scope import scoped
from server.customers.models import Customer
from server.enums import TagCategory, ValueTier
from server.portrait import tagging
from server.portrait.models import CustomerTag

AGE_ORDER = ["18-24", "25-34", "35-44", "45-54", "55+"]
BUDGET_ORDER = ["10万以下", "10-20万", "20-30万", "30-50万", "50万以上"]
TIER_ORDER = [ValueTier.HIGH.value, ValueTier.MEDIUM.value, ValueTier.POTENTIAL.value, None]


@dataclass(frozen=True)
class Bucket:
    key: str | None  # the tag name or the tier; None for customers without a tier yet
    label: str
    count: int
    category: TagCategory | None = None


@dataclass(frozen=True)
class Portrait:
    customers: int
    tag_counts: list[Bucket]  # every tag, most customers first
    tiers: list[Bucket]

    def prefixed(self, prefix: str, order: list[str] | None = None) -> list[Bucket]:
        rows = [Bucket(b.key, b.label[len(prefix):], b.count, b.category)
                for b in self.tag_counts if b.label.startswith(prefix)]
        if order:
            rows.sort(key=lambda b: order.index(b.label) if b.label in order else len(order))
        return rows

    def tags(self, category: TagCategory | None, first: int) -> list[Bucket]:
        return [b for b in self.tag_counts if category is None or b.category == category][:first]


async def portrait(principal: Principal) -> Portrait:
    links = (scoped(CustomerTag, principal, "customer__").annotate(count=Count("id"))
             .group_by("tag__name", "tag__category").values("tag__name", "tag__category", "count"))
    tag_counts = sorted(
        (Bucket(r["tag__name"], r["tag__name"], r["count"], TagCategory(r["tag__category"])) for r in await links),
        key=lambda b: (-b.count, b.label))
    tier_rows = {r["value_tier"]: r["count"] for r in await scoped(Customer, principal)
                 .annotate(count=Count("id")).group_by("value_tier").values("value_tier", "count")}
    tiers = [Bucket(t, t or "", tier_rows[t]) for t in TIER_ORDER if tier_rows.get(t)]
    return Portrait(customers=sum(tier_rows.values()), tag_counts=tag_counts, tiers=tiers)


DIMENSIONS = {
    "age": (tagging.AGE, AGE_ORDER),
    "region": (tagging.REGION, None),
    "budget": (tagging.BUDGET, BUDGET_ORDER),
    "model": (tagging.MODEL, None),
}

"""The portrait refresh the daily job, `crm portrait refresh` and the demo loader run."""

from dataclasses import dataclass
from datetime import datetime

from tortoise.timezone import now as utc_now

from server.portrait import tagging, tiers


@dataclass(frozen=True)
class PortraitRefresh:
    tags_added: int
    tags_removed: int
    tiers_changed: int
    by_tier: dict[str, int]

    def __str__(self) -> str:
        spread = ", ".join(f"{k} {v}" for k, v in sorted(self.by_tier.items()))
        return (f"tags: {self.tags_added} added, {self.tags_removed} removed; "
                f"value tiers: {self.tiers_changed} changed ({spread or 'no customers'})")


async def refresh_portrait(at: datetime | None = None) -> PortraitRefresh:
    """Generated tags first, then value tiers; both idempotent, so a rerun changes nothing."""
    at = at or utc_now()
    tags = await tagging.refresh_tags(at)
    tier = await tiers.refresh_tiers(at)
    return PortraitRefresh(tags.added, tags.removed, tier.changed, dict(tier.by_tier))

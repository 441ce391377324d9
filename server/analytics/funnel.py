"""The sales funnel (销售漏斗): of the deals opened in a period, how many reached each stage, and won.

Kept simple: a deal has reached the stage it stands in (or closed in) and every stage before it;
a won deal has reached them all. A deal moved back counts at the stage it stands in now. One
GROUP BY (stage, status) query, restricted by the one ownership scope.
"""

from dataclasses import dataclass

from tortoise.functions import Count

from server.analytics.filters import Filters, narrow
from server.analytics.period import Period
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.enums import OpportunityStage, OpportunityStatus
from server.sales.models import Opportunity

STAGES = list(OpportunityStage)  # the order of server/enums.py is the order of the process
WON = "WON"


@dataclass
class Step:
    key: str  # a stage, or WON for the last step
    count: int
    # Of the previous step's deals, the share that got this far (None for the first step or after an empty one).
    conversion: float | None
    # Of every deal opened in the period, the share that got this far.
    share: float | None


@dataclass
class Funnel:
    period: Period
    opened: int
    steps: list[Step]


async def funnel(principal: Principal, period: Period, filters: Filters = Filters()) -> Funnel:
    start, end = period.moments
    query = narrow(scoped(Opportunity, principal, "customer__").filter(created_at__gte=start, created_at__lt=end),
                   filters)
    grouped = await query.annotate(n=Count("id")).group_by("stage", "status").values("stage", "status", "n")
    reached = [0] * len(STAGES)
    won = 0
    for group in grouped:  # at most stages × statuses groups
        status = OpportunityStatus(group["status"])
        furthest = len(STAGES) - 1 if status is OpportunityStatus.WON else STAGES.index(OpportunityStage(group["stage"]))
        for i in range(furthest + 1):
            reached[i] += group["n"]
        if status is OpportunityStatus.WON:
            won += group["n"]
    counts = [*zip([s.value for s in STAGES], reached), (WON, won)]
    opened = reached[0]
    steps, previous = [], None
    for key, count in counts:
        steps.append(Step(key=key, count=count,
                          conversion=(count / previous) if previous else None,
                          share=(count / opened) if opened else None))
        previous = count
    return Funnel(period=period, opened=opened, steps=steps)

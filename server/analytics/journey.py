"""The customer journey (客户漏斗): of the customers first created in a period, how many came to
the showroom, test-drove, got an opportunity, a quote, and bought; and the same per source channel.

The period picks the cohort (Customer.created_at); each later step counts the cohort's customers
who have that fact on record, whenever it happened, so last month's leads who buy this week
raise last month's 成交. Steps are facts, not forced nested: a lead who bought without a logged
visit counts as 成交 but not as 到店, and a step may exceed the one before it — which tells a
manager what the team does not log.

One GROUP BY channel query, restricted by the one ownership scope: every step is a COUNT of the
cohort's customers filtered by an IN (subquery) over the table that records the step; the
journey is the sum of the channel rows (a customer has exactly one source channel).
"""

from dataclasses import dataclass, field

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from server.activity.models import Interaction
from server.analytics.filters import Filters
from server.analytics.period import Period
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.customers.models import Customer
from server.enums import Channel, InteractionKind, OpportunityStatus, TestDriveStatus
from server.sales.models import Opportunity, Quote, ShowroomVisit, TestDrive

STEP_KEYS = ("LEAD", "VISITED", "TEST_DROVE", "OPPORTUNITY", "QUOTED", "WON")
# What the showroom calls each step (the API's label; pages translate the key through the catalog).
STEP_NAMES = {"LEAD": "线索", "VISITED": "到店", "TEST_DROVE": "试驾", "OPPORTUNITY": "商机", "QUOTED": "报价", "WON": "成交"}


def _step_conditions(cohort_query) -> dict[str, Q | None]:
    """For each step, the condition on Customer that marks a customer as having taken it.

    Each inner query is narrowed to the cohort first, so the database walks the customer_id
    indexes of the period's leads instead of reading every interaction ever logged.
    """
    def ids():
        return Subquery(cohort_query.values("id"))

    def having(model, **conditions) -> Q:
        return Q(id__in=Subquery(model.filter(customer_id__in=ids(), **conditions).values("customer_id")))

    quoted = Subquery(Quote.all().values("opportunity_id"))
    return {
        "LEAD": None,  # every customer of the cohort
        "VISITED": having(ShowroomVisit) | having(Interaction, kind=InteractionKind.VISIT.value),
        "TEST_DROVE": having(TestDrive, status=TestDriveStatus.DONE.value)
        | having(Interaction, kind=InteractionKind.TEST_DRIVE.value),
        "OPPORTUNITY": having(Opportunity),
        "QUOTED": having(Opportunity, id__in=quoted),
        "WON": having(Opportunity, status=OpportunityStatus.WON.value),
    }


@dataclass
class Step:
    key: str  # one of STEP_KEYS
    count: int
    # Of the previous step's customers, this step's count as a share (None first, or after an empty step).
    from_previous: float | None
    # Of the period's leads, this step's count as a share (None with no leads).
    from_first: float | None


@dataclass
class ChannelRow:
    channel: str  # a Channel value
    leads: int
    visited: int
    opportunities: int  # customers with at least one opportunity
    won: int  # customers with a won deal

    @property
    def conversion(self) -> float | None:
        """Lead → won: the share of this channel's leads who bought."""
        return self.won / self.leads if self.leads else None


@dataclass
class Journey:
    period: Period
    steps: list[Step] = field(default_factory=list)
    by_channel: list[ChannelRow] = field(default_factory=list)


def cohort(principal: Principal, period: Period, filters: Filters = Filters()):
    """The scoped queryset of the customers first created in the period that meet the filters.

    The vehicle model filter is about deals, not customers: the journey ignores it.
    """
    start, end = period.moments
    query = scoped(Customer, principal).filter(created_at__gte=start, created_at__lt=end)
    if filters.team_id is not None:
        query = query.filter(team_id=filters.team_id)
    if filters.owner_id is not None:
        query = query.filter(owner_id=filters.owner_id)
    if filters.channel is not None:
        query = query.filter(channel=Channel(filters.channel).value)
    return query


async def _grouped(query) -> list[dict]:
    counts = {key.lower(): Count("id", _filter=condition) if condition is not None else Count("id")
              for key, condition in _step_conditions(query).items()}
    return await query.annotate(**counts).group_by("channel").values("channel", *counts)


def _steps(totals: dict[str, int]) -> list[Step]:
    leads = totals["LEAD"]
    steps, previous = [], None
    for key in STEP_KEYS:
        count = totals[key]
        steps.append(Step(key=key, count=count,
                          from_previous=(count / previous) if previous else None,
                          from_first=(count / leads) if leads else None))
        previous = count
    return steps


async def journey(principal: Principal, period: Period, filters: Filters = Filters()) -> Journey:
    """The period's leads step by step, and per source channel (most leads first)."""
    grouped = await _grouped(cohort(principal, period, filters))
    totals = {key: sum(int(g[key.lower()] or 0) for g in grouped) for key in STEP_KEYS}  # at most one row per channel
    rows = [ChannelRow(channel=Channel(g["channel"]).value, leads=int(g["lead"] or 0), visited=int(g["visited"] or 0),
                       opportunities=int(g["opportunity"] or 0), won=int(g["won"] or 0)) for g in grouped]
    rows.sort(key=lambda r: (-r.leads, -r.won, r.channel))
    return Journey(period=period, steps=_steps(totals), by_channel=rows)

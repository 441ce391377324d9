"""The pipeline by stage: how many open deals stand in each stage and what they are worth."""

from decimal import Decimal

from tortoise.functions import Count, Sum

from server.enums import OpportunityStage


async def stage_totals(opportunities) -> list[tuple[OpportunityStage, int, Decimal]]:
    """(stage, count, amount sum) for every stage in order, over an already scoped queryset; one query."""
    rows = await (opportunities.annotate(n=Count("id"), total=Sum("amount")).group_by("stage")
                  .values_list("stage", "n", "total"))
    found = {OpportunityStage(stage): (n, Decimal(str(total or 0))) for stage, n, total in rows}
    return [(stage, *found.get(stage, (0, Decimal("0")))) for stage in OpportunityStage]

import strawberry
from strawberry.types import Info

from server.analytics import funnel as funnel_service
from server.analytics import journey as journey_service
from server.analytics import portrait as portrait_service
from server.analytics import winloss
from server.api.analytics.types import AnalyticsFilter, Funnel, Portrait, WinLossDimension, WinLossFilter, WinLossReport
from server.api.permissions import CanRead


@strawberry.type(description="Reports for managers over the deals the viewer may see (the one ownership scope).")
class Analytics:
    @strawberry.field(description="Deals closed in the period, grouped by one dimension, with counts, rates and amounts.")
    async def win_loss(self, info: Info, filter: WinLossFilter, group_by: WinLossDimension) -> WinLossReport:
        report = await winloss.win_loss(info.context.principal, filter.period(), group_by, filter.filters(),
                                        filter.status)
        return WinLossReport.from_report(report)

    @strawberry.field(description="Deals opened in the period: how many reached each stage, and won; and the "
                                  "customer journey of the customers first created in it.")
    async def funnel(self, info: Info, filter: AnalyticsFilter) -> Funnel:
        principal, period, filters = info.context.principal, filter.period(), filter.filters()
        result = await funnel_service.funnel(principal, period, filters)
        return Funnel.from_funnel(result, lambda: journey_service.journey(principal, period, filters))

    @strawberry.field(description="The customer portrait: customers by age band, region, budget, model, tier and tag.")
    async def portrait(self, info: Info) -> Portrait:
        result = await portrait_service.portrait(info.context.principal)
        return Portrait(customers=result.customers, result=result)


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="Win/loss analysis and the funnel.", permission_classes=[CanRead])
    def analytics(self) -> Analytics:
        return Analytics()

"""Win/loss analysis (赢单/战败分析): closed deals of a period grouped by one dimension.

One GROUP BY query per report (counts and amounts are summed by the database, never by a loop
over opportunities), restricted by the one ownership scope; labels for the few keys found are
read afterwards in one query per kind.

The period is whole local days of the dealership (see period.py), matched against `closed_at`.
A loss still waiting for a manager's approval is not closed and is not counted.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from tortoise.expressions import Case, Q, When
from tortoise.functions import Count, Sum

from server.analytics.filters import Filters, narrow
from server.analytics.period import Period
from server.auth.models import Team, User
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.enums import OpportunityStatus
from server.errors import ErrorCode, UserError
from server.sales.models import CloseReason, Opportunity, VehicleModel

CENT = Decimal("0.01")
CLOSED = (OpportunityStatus.WON, OpportunityStatus.LOST)


class Dimension(StrEnum):
    REASON = "REASON"
    COMPETITOR = "COMPETITOR"
    VEHICLE_MODEL = "VEHICLE_MODEL"
    CONSULTANT = "CONSULTANT"
    TEAM = "TEAM"
    CHANNEL = "CHANNEL"
    MONTH = "MONTH"


@dataclass
class Row:
    """One group. `key` identifies it (a primary key, a channel, '2026-11'; None: not recorded)."""

    key: str | int | None
    label: str
    won: int = 0
    lost: int = 0
    won_amount: Decimal = Decimal("0.00")
    lost_amount: Decimal = Decimal("0.00")
    competitor_brand: str | None = None
    competitor_model: str | None = None
    # Set by the report: this row's losses as a share of all losses in the report.
    lost_share: float | None = None

    @property
    def total(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return self.won / self.total if self.total else None


@dataclass
class Report:
    dimension: Dimension
    period: Period
    rows: list[Row] = field(default_factory=list)
    totals: Row = field(default_factory=lambda: Row(key=None, label=""))


def closed_deals(principal: Principal, period: Period, filters: Filters = Filters(),
                 status: OpportunityStatus | None = None):
    """The scoped queryset of deals closed in the period (WON or LOST, or only `status`) that meet the filters."""
    if status is not None and OpportunityStatus(status) not in CLOSED:
        raise UserError(ErrorCode.INVALID, "a closed deal is WON or LOST", "status")
    start, end = period.moments
    statuses = [OpportunityStatus(status).value] if status is not None else [s.value for s in CLOSED]
    query = scoped(Opportunity, principal, "customer__").filter(
        status__in=statuses, closed_at__gte=start, closed_at__lt=end
    )
    return narrow(query, filters)


_GROUP_FIELDS = {
    Dimension.REASON: ("close_reason_id",),
    Dimension.COMPETITOR: ("competitor_brand", "competitor_model"),
    Dimension.VEHICLE_MODEL: ("vehicle_model_id",),
    Dimension.CONSULTANT: ("owner_id",),
    # The customer's team and channel: the scope and lead routing follow the customer.
    Dimension.TEAM: ("customer__team_id",),
    Dimension.CHANNEL: ("customer__channel",),
    Dimension.MONTH: ("month",),
}


def _month_case(period: Period) -> Case:
    """The local calendar month of closed_at, as '2026-11', computed in SQL from UTC bounds.

    Portable: no date functions (which differ between SQLite and PostgreSQL and know no time zones).
    """
    return Case(*[When(closed_at__gte=lo, closed_at__lt=hi, then=name) for name, lo, hi in period.months()])


def _money(value) -> Decimal:
    # SQLite sums decimals as floats: round back to the fen.
    return Decimal(str(value or 0)).quantize(CENT)


async def _grouped(query, dimension: Dimension, period: Period) -> list[dict]:
    if dimension is Dimension.MONTH:
        query = query.annotate(month=_month_case(period))
    fields = _GROUP_FIELDS[dimension]
    won, lost = Q(status=OpportunityStatus.WON.value), Q(status=OpportunityStatus.LOST.value)
    query = query.annotate(
        won=Count("id", _filter=won), lost=Count("id", _filter=lost),
        won_amount=Sum("amount", _filter=won), lost_amount=Sum("amount", _filter=lost),
    )
    return await query.group_by(*fields).values(*fields, "won", "lost", "won_amount", "lost_amount")


async def _labels(dimension: Dimension, keys: set) -> dict:
    keys = {k for k in keys if k is not None}
    if not keys:
        return {}
    if dimension is Dimension.REASON:
        return {r.id: r.label for r in await CloseReason.filter(id__in=keys)}
    if dimension is Dimension.VEHICLE_MODEL:
        return {m.id: m.display_name for m in await VehicleModel.filter(id__in=keys)}
    if dimension is Dimension.CONSULTANT:
        return {u.id: u.display_name for u in await User.filter(id__in=keys)}
    if dimension is Dimension.TEAM:
        return {t.id: t.name for t in await Team.filter(id__in=keys)}
    return {k: str(k) for k in keys}


def _row(dimension: Dimension, values: dict, labels: dict) -> Row:
    if dimension is Dimension.COMPETITOR:
        brand, model = values["competitor_brand"] or "", values["competitor_model"] or ""
        label = " ".join(part for part in (brand, model) if part)
        row = Row(key=label or None, label=label, competitor_brand=brand, competitor_model=model)
    else:
        key = values[_GROUP_FIELDS[dimension][0]]
        if isinstance(key, StrEnum):  # the channel comes back as the enum
            key = key.value
        row = Row(key=key, label=labels.get(key, "") if key is not None else "")
    row.won, row.lost = int(values["won"] or 0), int(values["lost"] or 0)
    row.won_amount, row.lost_amount = _money(values["won_amount"]), _money(values["lost_amount"])
    return row


def _order(dimension: Dimension, rows: list[Row], period: Period) -> list[Row]:
    if dimension is Dimension.MONTH:
        # Every month of the period, empty ones too, so a chart shows the gaps.
        found = {r.key: r for r in rows}
        return [found.get(name) or Row(key=name, label=name) for name, _, _ in period.months()]
    # Most deals first; the losses break ties (this is a page about why we lose); unrecorded last.
    return sorted(rows, key=lambda r: (r.key is None, -r.total, -r.lost, r.label))


async def win_loss(principal: Principal, period: Period, dimension: Dimension,
                   filters: Filters = Filters(), status: OpportunityStatus | None = None) -> Report:
    """Counts, rates and amounts of the deals closed in `period`, one row per value of `dimension`."""
    dimension = Dimension(dimension)
    grouped = await _grouped(closed_deals(principal, period, filters, status), dimension, period)
    first_field = _GROUP_FIELDS[dimension][0]
    labels = await _labels(dimension, {g[first_field] for g in grouped}) if dimension is not Dimension.COMPETITOR else {}
    rows = _order(dimension, [_row(dimension, g, labels) for g in grouped], period)
    totals = Row(key=None, label="",
                 won=sum(r.won for r in rows), lost=sum(r.lost for r in rows),
                 won_amount=sum((r.won_amount for r in rows), Decimal("0.00")),
                 lost_amount=sum((r.lost_amount for r in rows), Decimal("0.00")))
    for row in rows:
        row.lost_share = row.lost / totals.lost if totals.lost else None
    totals.lost_share = 1.0 if totals.lost else None
    return Report(dimension=dimension, period=period, rows=rows, totals=totals)

"""Marketing campaigns (营销活动): editing them, attributing leads by hand, and their numbers.

Leads reach a campaign on ingestion (a campaign code on the record) or by hand here. What
the numbers count:

- leads: customers attributed to the campaign (live files, not merge tombstones);
- opportunities: opportunities attributed to the campaign. An opportunity takes its
  customer's campaign when it is opened, and attributing a customer by hand moves the
  customer's opportunities along (those that had the old campaign or none), so in practice
  these are the deals of the campaign's leads;
- won deals and won amount: those opportunities closed WON, and the sum of their amounts;
- conversion rate: won deals / leads; cost per lead: budget / leads; cost per won deal:
  budget / won deals; each None when it would divide by zero.

Managers and admins see the whole campaign's numbers; anyone else counts only the customers
they may see (server/auth/scope.py decides which), and gets no costs: a budget divided by
one consultant's share of the leads means nothing.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from server import config
from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import campaign_totals_q
from server.customers.models import Customer
from server.customers.services import get_visible_customer
from server.enums import Channel, OpportunityStatus
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.sales.models import Campaign, Opportunity

EDITABLE = ("name", "code", "channel", "starts_on", "ends_on", "budget")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
MAX_BUDGET = Decimal("1e12")
CENT = Decimal("0.01")


def today() -> date:
    """The dealership's date, which decides whether a campaign is running."""
    return datetime.now(ZoneInfo(config.settings.timezone)).date()


def _conflict() -> UserError:
    return UserError(ErrorCode.CONFLICT, "someone else saved this record first: reload and try again", "version")


def _forbidden(field: str | None) -> UserError:
    return UserError(ErrorCode.FORBIDDEN, "only managers and admins edit campaigns", field)


def _clean(data: dict, current: Campaign | None = None) -> dict:
    """Column values from raw input; every bad field reported at once, each naming its field."""
    values: dict = {}
    errors: list[UserError] = []
    for key, raw in data.items():
        if key == "name":
            name = " ".join(str(raw or "").split())
            if not name:
                errors.append(UserError(ErrorCode.REQUIRED, "name is required", "name"))
            elif len(name) > 150:
                errors.append(UserError(ErrorCode.INVALID, "name is longer than 150 characters", "name"))
            values["name"] = name
        elif key == "code":
            code = str(raw or "").strip()
            if not code:
                errors.append(UserError(ErrorCode.REQUIRED, "code is required", "code"))
            elif len(code) > 40 or not CODE.match(code):
                errors.append(UserError(ErrorCode.INVALID,
                                        "code must be up to 40 letters, digits, '-' or '_', starting with a letter or digit",
                                        "code"))
            values["code"] = code
        elif key == "channel":
            try:
                values["channel"] = Channel(raw)
            except ValueError:
                errors.append(UserError(ErrorCode.INVALID, "not a channel", "channel"))
        elif key in ("starts_on", "ends_on"):
            if raw is None and key == "starts_on":
                errors.append(UserError(ErrorCode.REQUIRED, "start date is required", key))
            elif raw is not None and (not isinstance(raw, date) or isinstance(raw, datetime)):
                errors.append(UserError(ErrorCode.INVALID, "not a date", key))
            values[key] = raw
        elif key == "budget":
            if raw is None:
                errors.append(UserError(ErrorCode.REQUIRED, "budget is required (0 for none)", "budget"))
                continue
            try:
                budget = Decimal(str(raw))
            except InvalidOperation:
                errors.append(UserError(ErrorCode.INVALID, "not an amount", "budget"))
                continue
            if not budget.is_finite() or budget < 0 or budget >= MAX_BUDGET:
                errors.append(UserError(ErrorCode.INVALID, "budget must be between 0 and 999,999,999,999.99", "budget"))
                continue
            values["budget"] = budget.quantize(CENT)
        else:
            errors.append(UserError(ErrorCode.INVALID, f"unknown field {key}", key))
    starts = values.get("starts_on", current.starts_on if current else None)
    ends = values.get("ends_on", current.ends_on if current else None)
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts and not any(
            e.field in ("starts_on", "ends_on") for e in errors):
        errors.append(UserError(ErrorCode.INVALID, "the campaign ends before it starts", "ends_on"))
    if errors:
        raise UserErrors(errors)
    return values


async def _check_code_free(code: str | None, exclude_id: int | None = None) -> None:
    if not code:
        return
    query = Campaign.filter(code=code)
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    if await query.exists():
        raise UserError(ErrorCode.DUPLICATE, "another campaign already has this code", "code")


async def create_campaign(principal: Principal, data: dict) -> Campaign:
    if not principal.manages:
        raise _forbidden(None)
    values = _clean({"name": "", "code": "", "channel": None, "starts_on": None, **data})
    await _check_code_free(values["code"])
    async with in_transaction():
        try:
            campaign = await Campaign.create(**values)
        except IntegrityError:  # lost a race for the code
            raise UserError(ErrorCode.DUPLICATE, "another campaign already has this code", "code") from None
        await audit.record(principal, "create", "Campaign", campaign.id, audit.diff({}, values))
    return campaign


async def update_campaign(principal: Principal, campaign_id: int, version: int, data: dict) -> Campaign:
    if not principal.manages:
        raise _forbidden("id")
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None:
        raise UserError(ErrorCode.NOT_FOUND, "no such campaign", "id")
    values = _clean(dict(data), campaign)
    if "code" in values:
        await _check_code_free(values["code"], exclude_id=campaign.id)
    if campaign.version != version:
        raise _conflict()
    before = {k: getattr(campaign, k) for k in values}
    async with in_transaction():
        try:
            updated = await Campaign.filter(id=campaign.id, version=version).update(**values, version=version + 1)
        except IntegrityError:
            raise UserError(ErrorCode.DUPLICATE, "another campaign already has this code", "code") from None
        if not updated:
            raise _conflict()
        changes = audit.diff(before, values)
        if changes:
            await audit.record(principal, "update", "Campaign", campaign.id, changes)
    return await Campaign.get(id=campaign.id)


async def set_customer_campaign(principal: Principal, customer_id: int, version: int,
                                campaign_id: int | None) -> Customer:
    """Attribute a customer to a campaign by hand (None clears it); whoever may change the
    customer may do it. The customer's opportunities that had the old campaign (or none)
    follow, so the campaign's deals stay the deals of its leads."""
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    if campaign_id is not None and not await Campaign.filter(id=campaign_id).exists():
        raise UserError(ErrorCode.NOT_FOUND, "no such campaign", "campaign_id")
    if customer.version != version:
        raise _conflict()
    old = customer.campaign_id
    if old == campaign_id:
        return customer
    async with in_transaction():
        if not await Customer.filter(id=customer.id, version=version).update(campaign_id=campaign_id,
                                                                                version=version + 1):
            raise _conflict()
        following = Q(campaign_id__isnull=True) if old is None else Q(campaign_id__isnull=True) | Q(campaign_id=old)
        moved = await Opportunity.filter(following, customer_id=customer.id).update(campaign_id=campaign_id)
        await audit.record(principal, "update", "Customer", customer.id,
                           {"campaign_id": [old, campaign_id], "opportunities_moved": moved})
        await emit("customer.updated", {"customer_id": customer.id, "fields": ["campaign_id"]})
    return await Customer.get(id=customer.id)


def running_q(day: date) -> Q:
    """Campaigns running on `day`: started (or no start) and not yet ended (or no end)."""
    started = Q(starts_on__isnull=True) | Q(starts_on__lte=day)
    not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    return started & not_ended


def list_campaigns(*, active: bool | None = None, channel: Channel | None = None, search: str | None = None):
    """Every campaign (staff-wide, like the catalog), latest start first."""
    query = Campaign.all()
    if active is not None:
        running = running_q(today())
        query = query.filter(running if active else ~running)
    if channel is not None:
        query = query.filter(channel=Channel(channel))
    text = " ".join((search or "").split())
    if text:
        query = query.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return query.order_by("-starts_on", "-id")


@dataclass(frozen=True)
class CampaignStats:
    campaign_id: int
    budget: Decimal
    leads: int
    opportunities: int
    won_deals: int
    won_amount: Decimal
    # True: the whole campaign (managers, admins); False: only the customers the viewer may see.
    whole_campaign: bool

    @property
    def conversion_rate(self) -> Decimal | None:
        """Won deals per lead, as a fraction rounded to 4 places (0.2500 is 25 %)."""
        if not self.leads:
            return None
        return (Decimal(self.won_deals) / self.leads).quantize(Decimal("0.0001"))

    @property
    def cost_per_lead(self) -> Decimal | None:
        if not self.whole_campaign or not self.leads:
            return None
        return (self.budget / self.leads).quantize(CENT)

    @property
    def cost_per_won_deal(self) -> Decimal | None:
        if not self.whole_campaign or not self.won_deals:
            return None
        return (self.budget / self.won_deals).quantize(CENT)


def _money(value) -> Decimal:
    # SQLite sums decimal columns as floating point: back to cents.
    return Decimal(str(value or 0)).quantize(CENT)


async def campaign_stats(principal: Principal, campaign_ids: list[int]) -> list[CampaignStats | None]:
    """The numbers of several campaigns, in the order asked, in three queries whatever their
    number: the campaigns, their leads grouped, and their deals grouped (counts and the won
    sum in one pass). None for an id that is no campaign."""
    ids = set(campaign_ids)
    budgets = dict(await Campaign.filter(id__in=ids).values_list("id", "budget"))
    leads = dict(
        await Customer.filter(campaign_totals_q(principal), campaign_id__in=ids)
        .annotate(n=Count("id")).group_by("campaign_id").values_list("campaign_id", "n")
    )
    won = Q(status=OpportunityStatus.WON)
    deals = {
        row["campaign_id"]: row
        for row in await Opportunity.filter(campaign_totals_q(principal, "customer__"), campaign_id__in=ids)
        .annotate(n=Count("id"), won=Count("id", _filter=won), won_amount=Sum("amount", _filter=won))
        .group_by("campaign_id").values("campaign_id", "n", "won", "won_amount")
    }
    whole = principal.manages
    out: list[CampaignStats | None] = []
    for cid in campaign_ids:
        if cid not in budgets:
            out.append(None)
            continue
        row = deals.get(cid, {})
        out.append(CampaignStats(
            campaign_id=cid, budget=_money(budgets[cid]), leads=leads.get(cid, 0), opportunities=row.get("n", 0),
            won_deals=row.get("won", 0), won_amount=_money(row.get("won_amount")), whole_campaign=whole,
        ))
    return out


"""The sales pipeline: managed win/loss reasons, opportunities in every stage, and the quotes,
test drives and objections along the way."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from server.demo import phrases
from server.demo.catalog import CatalogEntry
from server.demo.clock import Clock
from server.demo.customers import Persona
from server.demo.world import World
from server.enums import CloseReasonKind, OpportunityStage, OpportunityStatus, TestDriveStatus
from server.sales.models import (
    CloseReason,
    Objection,
    Opportunity,
    Quote,
    QuoteItem,
    TestDrive,
    VehicleModel,
)

WIN_REASONS = ("价格优势", "服务好", "品牌认可", "产品力强", "交车快", "置换补贴")
LOSS_REASONS = ("价格太高", "选择竞品", "预算不足", "暂缓购买", "联系不上", "提车周期长")
WIN_REASON_WEIGHTS = (30, 25, 20, 12, 8, 5)

STAGES = list(OpportunityStage)
PROBABILITY = {
    OpportunityStage.INITIAL_CONTACT: 10, OpportunityStage.NEEDS_CONFIRMED: 20, OpportunityStage.PRESENTATION: 30,
    OpportunityStage.TEST_DRIVE: 50, OpportunityStage.NEGOTIATION: 70, OpportunityStage.CONTRACT: 90,
}
# Losses that name the car the customer bought instead (always for 选择竞品, sometimes otherwise).
COMPETITOR_SHARE = {"选择竞品": 1.0, "价格太高": 0.5, "提车周期长": 0.5}


@dataclass
class Deal:
    """An opportunity and the dates the activity generator tells its story with."""

    row: Opportunity
    entry: CatalogEntry
    opened: date
    stage: OpportunityStage
    status: OpportunityStatus
    closed: date | None = None
    reason: str = ""  # the close reason's label
    test_drive: TestDrive | None = None
    test_drive_day: date | None = None
    quote_day: date | None = None

    def reached(self, stage: OpportunityStage) -> bool:
        return STAGES.index(self.stage) >= STAGES.index(stage)


@dataclass
class Reasons:
    win: dict[str, CloseReason]
    loss: dict[str, CloseReason]


def build_close_reasons(world: World) -> Reasons:
    win = {label: world.add(CloseReason(kind=CloseReasonKind.WIN, label=label, position=i))
           for i, label in enumerate(WIN_REASONS)}
    loss = {label: world.add(CloseReason(kind=CloseReasonKind.LOSS, label=label, position=i,
                                         requires_competitor=COMPETITOR_SHARE.get(label) == 1.0))
            for i, label in enumerate(LOSS_REASONS)}
    return Reasons(win, loss)


def _between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _title(persona: Persona, entry: CatalogEntry, suffix: str = "") -> str:
    quantity = f" {persona.quantity}台" if persona.company else ""
    return f"{persona.name} · {entry.display_name}{quantity}{suffix}"[:200]


class PipelineBuilder:
    def __init__(self, world: World, clock: Clock, rng: random.Random, reasons: Reasons,
                 models: dict[CatalogEntry, VehicleModel]):
        self.world, self.clock, self.rng, self.reasons, self.models = world, clock, rng, reasons, models

    def build(self, personas: list[Persona]) -> None:
        for persona in personas:
            plan = persona.plan
            if plan.earlier_loss:
                self._earlier_loss(persona)
            if plan.won_on:
                self._won(persona)
            if plan.lost_on:
                self._lost(persona)
            if plan.open_stage:
                self._open(persona)

    def _opportunity(self, persona: Persona, entry: CatalogEntry, opened: date, stage: OpportunityStage,
                     status: OpportunityStatus, suffix: str = "") -> Deal:
        row = Opportunity(
            title=_title(persona, entry, suffix),
            stage=stage,
            status=status,
            probability={OpportunityStatus.WON: 100, OpportunityStatus.LOST: 0}.get(status, PROBABILITY[stage]),
            amount=Decimal(entry.price * persona.quantity),
            created_at=self.clock.business_time(self.rng, opened),
        )
        self.world.add(row, customer=persona.customer, owner=persona.handler, vehicle_model=self.models[entry],
                       campaign=persona.campaign)
        deal = Deal(row=row, entry=entry, opened=opened, stage=stage, status=status)
        persona.deals.append(deal)
        return deal

    def _close(self, persona: Persona, deal: Deal, day: date, reason: CloseReason, note: str) -> None:
        deal.closed, deal.reason = day, reason.label
        deal.row.closed_at = self.clock.business_time(self.rng, day)
        deal.row.expected_close_date = day
        deal.row.close_note = note
        self.world.set_parent(deal.row, "close_reason", reason)

    def _won(self, persona: Persona) -> None:
        rng, won_on = self.rng, persona.plan.won_on
        opened = max(persona.created, won_on - timedelta(days=rng.randint(10, 90)))
        deal = self._opportunity(persona, persona.favourite, opened, OpportunityStage.CONTRACT, OpportunityStatus.WON)
        label = rng.choices(WIN_REASONS, weights=WIN_REASON_WEIGHTS)[0]
        self._close(persona, deal, won_on, self.reasons.win[label], phrases.close_note_won(rng, persona.story))
        if not persona.company and rng.random() < 0.85:
            self._test_drive(persona, deal, _between(rng, opened, won_on - timedelta(days=1)), TestDriveStatus.DONE)
        if rng.random() < 0.7:
            self._quote(persona, deal, _between(rng, max(opened, won_on - timedelta(days=10)), won_on))
        self._objections(persona, deal, resolved=True)

    def _lost(self, persona: Persona) -> None:
        rng, plan = self.rng, persona.plan
        opened = max(persona.created, plan.lost_on - timedelta(days=rng.randint(7, 90)))
        stage = rng.choices(STAGES, weights=(15, 20, 20, 20, 18, 7))[0]
        self._lose(persona, persona.favourite, opened, stage, plan.lost_on, plan.lost_reason)

    def _earlier_loss(self, persona: Persona) -> None:
        rng = self.rng
        entry = persona.models[1] if len(persona.models) > 1 else persona.favourite
        opened = persona.created
        # Within the last twelve months, and well before the deal the customer is working on now.
        closed = min(max(opened + timedelta(days=rng.randint(10, 60)), self.clock.day(360)), self.clock.day(90))
        stage = rng.choice(STAGES[:4])
        reason = rng.choice(("暂缓购买", "价格太高", "预算不足"))
        suffix = "（首次洽谈）" if entry is persona.favourite else ""
        self._lose(persona, entry, opened, stage, closed, reason, suffix)

    def _lose(self, persona: Persona, entry: CatalogEntry, opened: date, stage: OpportunityStage, closed: date,
              reason: str, suffix: str = "") -> None:
        rng, story = self.rng, persona.story
        deal = self._opportunity(persona, entry, opened, stage, OpportunityStatus.LOST, suffix)
        self._close(persona, deal, closed, self.reasons.loss[reason], phrases.close_note_lost(rng, story, reason))
        if rng.random() < COMPETITOR_SHARE.get(reason, 0):
            deal.row.competitor_brand, deal.row.competitor_model = story.competitor_brand, story.competitor_model
        if deal.reached(OpportunityStage.TEST_DRIVE) and not persona.company:
            self._test_drive(persona, deal, _between(rng, opened, closed), TestDriveStatus.DONE)
        if deal.reached(OpportunityStage.NEGOTIATION) and rng.random() < 0.5:
            self._quote(persona, deal, _between(rng, opened, closed))
        self._objections(persona, deal, resolved=False, reason=reason)

    def _open(self, persona: Persona) -> None:
        rng, clock, plan = self.rng, self.clock, persona.plan
        yesterday = clock.day(1)
        opened = min(persona.created + timedelta(days=rng.randint(0, 14)), yesterday)
        deal = self._opportunity(persona, persona.favourite, opened, plan.open_stage, OpportunityStatus.OPEN)
        # Some deals are past their expected date: the pipeline report shows them as slipping.
        deal.row.expected_close_date = clock.day(-rng.randint(-10, 90))
        if plan.loss_pending:
            deal.row.loss_pending = True
            deal.row.close_note = "申请战败：" + phrases.close_note_lost(rng, persona.story, plan.lost_reason)
            deal.row.competitor_brand = persona.story.competitor_brand
            deal.row.competitor_model = persona.story.competitor_model
            self.world.set_parent(deal.row, "close_reason", self.reasons.loss[plan.lost_reason])
        if deal.reached(OpportunityStage.TEST_DRIVE) and not persona.company:
            if plan.open_stage is OpportunityStage.TEST_DRIVE and rng.random() < 0.4:
                self._test_drive(persona, deal, clock.day(-rng.randint(0, 7)), TestDriveStatus.BOOKED)
            else:
                if rng.random() < 0.15:  # a first booking that did not happen
                    self._test_drive(persona, deal, _between(rng, opened, yesterday),
                                     rng.choice((TestDriveStatus.CANCELLED, TestDriveStatus.NO_SHOW)))
                self._test_drive(persona, deal, _between(rng, opened, yesterday), TestDriveStatus.DONE)
        if deal.reached(OpportunityStage.NEGOTIATION) and rng.random() < 0.9:
            self._quote(persona, deal, _between(rng, opened, yesterday))
        self._objections(persona, deal, resolved=None)

    def _test_drive(self, persona: Persona, deal: Deal, day: date, status: TestDriveStatus) -> None:
        rng = self.rng
        scheduled_at = self.clock.at(day, rng.choice((10, 11, 14, 15, 16, 17)), rng.choice((0, 30)))
        done = status is TestDriveStatus.DONE
        row = TestDrive(
            scheduled_at=scheduled_at,
            status=status,
            feedback=rng.choice(phrases.TEST_DRIVE_FEEDBACK) if done else "",
            rating=rng.choices((3, 4, 5), weights=(15, 45, 40))[0] if done else None,
            created_at=min(scheduled_at - timedelta(days=rng.randint(1, 5)), self._booked_by(scheduled_at)),
        )
        self.world.add(row, customer=persona.customer, opportunity=deal.row, vehicle_model=self.models[deal.entry],
                       consultant=persona.handler)
        if done:
            deal.test_drive, deal.test_drive_day = row, day

    def _booked_by(self, scheduled_at: datetime) -> datetime:
        # A booking is made before it happens and never in the future.
        return min(scheduled_at, self.clock.at(self.clock.day(1), 20))

    def _quote(self, persona: Persona, deal: Deal, day: date) -> None:
        rng, entry, quantity = self.rng, deal.entry, persona.quantity
        items = [QuoteItem(description=entry.display_name, quantity=quantity, unit_price=Decimal(entry.price))]
        if rng.random() < 0.5:
            items.append(QuoteItem(description="精品套装（贴膜+脚垫+行车记录仪）", quantity=quantity,
                                   unit_price=Decimal(rng.choice((2800, 3600, 4500, 5800)))))
        if rng.random() < 0.6:
            items.append(QuoteItem(description="首年商业保险", quantity=quantity,
                                   unit_price=Decimal(int(round(entry.price * rng.uniform(0.025, 0.04), -1)))))
        if rng.random() < 0.5:
            items.append(QuoteItem(description="上牌服务", quantity=quantity, unit_price=Decimal(500)))
        discount = Decimal(int(round(entry.price * rng.uniform(0.01, 0.08), -2)) * quantity)
        total = sum(item.unit_price * item.quantity for item in items) - discount
        loan = persona.story.financing == "LOAN"
        term = rng.choice((12, 24, 36, 60)) if loan else None
        quote = Quote(
            discount=discount,
            down_payment=(total * Decimal("0.003")).quantize(Decimal(1)) * 100 if loan else None,
            term_months=term,
            annual_rate=(Decimal("0") if term and term <= 24 and rng.random() < 0.5
                         else Decimal(rng.choice(("0.0299", "0.0399", "0.0499")))) if loan else None,
            valid_until=day + timedelta(days=rng.choice((7, 10, 15))),
            total=total,
            created_at=self.clock.business_time(rng, day),
        )
        self.world.add(quote, opportunity=deal.row, created_by=persona.handler)
        for item in items:
            self.world.add(item, quote=quote, vehicle_model=self.models[entry] if item.description == entry.display_name else None)
        deal.row.amount = total
        deal.quote_day = day

    def _objections(self, persona: Persona, deal: Deal, resolved: bool | None, reason: str | None = None) -> None:
        rng = self.rng
        if not deal.reached(OpportunityStage.PRESENTATION) or rng.random() > 0.4:
            return
        categories = list(phrases.OBJECTIONS)
        if not deal.entry.new_energy:
            categories = [c for c in categories if c not in ("续航", "充电")]
        preferred = {"价格太高": "价格", "选择竞品": "品牌", "提车周期长": "交车周期", "预算不足": "金融方案"}.get(reason or "")
        chosen = rng.sample(categories, k=rng.choice((1, 1, 2)))
        if preferred and preferred not in chosen:
            chosen[0] = preferred
        for category in chosen:
            row = Objection(
                category=category,
                text=rng.choice(phrases.OBJECTIONS[category]),
                resolved=resolved if resolved is not None else rng.random() < 0.5,
                created_at=self.clock.business_time(rng, _between(rng, deal.opened, deal.closed or self.clock.day(1))),
            )
            self.world.add(row, opportunity=deal.row)

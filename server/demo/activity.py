"""Interactions over the last eighteen months, told from each customer's plan and deals.

The customer's last_contact_at and next_follow_up_at are derived from the interactions written
here, the way logging an interaction keeps them (server.activity.services.log_interaction).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from server.activity.models import Interaction
from server.auth.models import User
from server.demo import phrases
from server.demo.clock import Clock
from server.demo.customers import Persona
from server.demo.sales import Deal
from server.demo.staff import Staff
from server.demo.world import World
from server.enums import Channel, Direction, InteractionKind, Lifecycle, OpportunityStatus

K = InteractionKind
KIND_CHANNEL = {
    K.CALL: Channel.PHONE, K.MESSAGE: Channel.WECHAT, K.VISIT: Channel.SHOWROOM, K.TEST_DRIVE: Channel.SHOWROOM,
    K.EMAIL: Channel.EMAIL, K.SURVEY: Channel.PHONE, K.NOTE: None,
}
# How a customer who reached us through a channel made first contact.
FIRST_CONTACT = {
    Channel.SHOWROOM: (K.VISIT, Direction.INBOUND), Channel.PHONE: (K.CALL, Direction.INBOUND),
    Channel.WECHAT: (K.MESSAGE, Direction.INBOUND), Channel.WEIBO: (K.MESSAGE, Direction.INBOUND),
    Channel.EMAIL: (K.EMAIL, Direction.INBOUND), Channel.AUTO_SHOW: (K.VISIT, Direction.INBOUND),
    Channel.IMPORT: (K.NOTE, Direction.OUTBOUND),
}
RANDOM_TOUCHES = {
    # lifecycle: (fewest, most) everyday touches before the deal is decided
    Lifecycle.LEAD: (0, 3), Lifecycle.PROSPECT: (2, 7), Lifecycle.CUSTOMER: (1, 4),
    Lifecycle.DORMANT: (1, 5), Lifecycle.LOST: (1, 4),
}
ACTIVE = (Lifecycle.LEAD, Lifecycle.PROSPECT)


@dataclass
class Touch:
    day: date
    kind: InteractionKind
    summary: str
    direction: Direction = Direction.OUTBOUND
    channel: Channel | None = None
    moment: datetime | None = None
    selling: bool = True  # before the deal was decided: may ask for a follow-up
    user: User | None = None


class ActivityBuilder:
    def __init__(self, world: World, clock: Clock, rng: random.Random, staff: Staff):
        self.world, self.clock, self.rng, self.staff = world, clock, rng, staff

    def build(self, personas: list[Persona]) -> None:
        for persona in personas:
            if persona.handler is None:
                continue  # a fresh lead in the pool: nobody has spoken to them yet
            self._write(persona, self._touches(persona))

    # -- what happened --------------------------------------------------------

    def _touches(self, persona: Persona) -> list[Touch]:
        rng, clock, story = self.rng, self.clock, persona.story
        won = next((d for d in persona.deals if d.status is OpportunityStatus.WON), None)
        imported = persona.lifecycle is Lifecycle.CUSTOMER and won is None
        selling_until = won.closed if won else persona.last_day

        kind, direction = FIRST_CONTACT.get(persona.customer.channel, (K.CALL, Direction.OUTBOUND))
        first = phrases.first_contact(rng, story, persona.customer.channel)
        if imported:
            first = "从旧系统导入客户档案，" + first.removeprefix("旧系统导入，")
        touches = [Touch(persona.created, kind, first, direction, moment=persona.customer.created_at,
                         channel=persona.customer.channel if kind is not K.NOTE else None, selling=not imported)]

        if not imported:
            low, high = RANDOM_TOUCHES[persona.lifecycle]
            for _ in range(rng.randint(low, high) + (2 if persona.company else 0)):
                touches.append(self._everyday(persona, _between(rng, persona.created, selling_until)))
            if persona.lifecycle in ACTIVE and persona.owner and selling_until == clock.day(1):
                # Somebody is working on the customer: the last touch is recent.
                recent = max(persona.created, clock.day(rng.randint(1, 21)))
                if max(t.day for t in touches) < recent:
                    touches.append(Touch(recent, K.CALL, phrases.follow_up_call(rng, story), channel=Channel.PHONE))
        for deal in persona.deals:
            touches += self._deal_touches(persona, deal)
        if persona.lifecycle is Lifecycle.CUSTOMER:
            touches += self._after_sales(persona, won)
        return [t for t in touches if persona.created <= t.day <= persona.last_day]

    def _everyday(self, persona: Persona, day: date) -> Touch:
        rng, story = self.rng, persona.story
        kinds = [K.CALL, K.MESSAGE, K.NOTE, K.VISIT] + ([K.EMAIL] if persona.company else [])
        kind = rng.choices(kinds, weights=[40, 30, 12, 10] + ([12] if persona.company else []))[0]
        if kind is K.CALL and rng.random() < 0.2:
            return Touch(day, kind, phrases.inbound_call(rng, story), Direction.INBOUND, Channel.PHONE)
        text = {
            K.CALL: lambda: phrases.follow_up_call(rng, story),
            K.MESSAGE: lambda: phrases.wechat(rng, story),
            K.NOTE: lambda: phrases.note(rng, story),
            K.VISIT: lambda: phrases.visit(rng, story),
            K.EMAIL: lambda: phrases.company_email(rng, story, persona.quantity),
        }[kind]()
        direction = Direction.INBOUND if kind is K.VISIT or (kind is K.MESSAGE and rng.random() < 0.3) else Direction.OUTBOUND
        return Touch(day, kind, text, direction, KIND_CHANNEL[kind])

    def _deal_touches(self, persona: Persona, deal: Deal) -> list[Touch]:
        rng, story = self.rng, persona.story
        touches = []
        if deal.test_drive is not None:
            touches.append(Touch(deal.test_drive_day, K.TEST_DRIVE, phrases.test_drive(rng, story), Direction.INBOUND,
                                 Channel.SHOWROOM, moment=deal.test_drive.scheduled_at + timedelta(minutes=50)))
        if deal.quote_day is not None:
            touch = Touch(deal.quote_day, K.VISIT, phrases.negotiation(rng, story), Direction.INBOUND, Channel.SHOWROOM)
            team = self.staff.team(persona.handler)
            if team is not None and rng.random() < 0.25:
                touch.user = self.staff.manager_of[team.name]
                touch.summary = "经理协助谈价：" + touch.summary
            touches.append(touch)
        if deal.status is OpportunityStatus.WON:
            touches.append(Touch(deal.closed, K.VISIT, phrases.deal_won(rng, story), Direction.INBOUND,
                                 Channel.SHOWROOM, moment=deal.row.closed_at, selling=False))
        elif deal.status is OpportunityStatus.LOST:
            kind = rng.choice((K.CALL, K.NOTE))
            touches.append(Touch(deal.closed, kind, phrases.deal_lost(rng, story, deal.reason), channel=KIND_CHANNEL[kind],
                                 moment=deal.row.closed_at - timedelta(minutes=30), selling=False))
        return touches

    def _after_sales(self, persona: Persona, won: Deal | None) -> list[Touch]:
        rng, clock = self.rng, self.clock
        touches = []
        if won is not None:
            survey_day = won.closed + timedelta(days=rng.randint(3, 7))
            if survey_day < clock.today:
                touches.append(Touch(survey_day, K.SURVEY, phrases.survey(rng), channel=Channel.PHONE, selling=False))
        for car in persona.vehicles[:2]:
            day = max(car.purchased, persona.created) + timedelta(days=rng.randint(60, 200))
            while day < clock.today:
                kind = rng.choice((K.CALL, K.MESSAGE))
                mileage = int((day - car.purchased).days * (car.row.mileage_km or 0) / max((clock.today - car.purchased).days, 1))
                touches.append(Touch(day, kind, phrases.after_sales(rng, car.label, mileage), channel=KIND_CHANNEL[kind],
                                     selling=False))
                day += timedelta(days=rng.randint(90, 240))
        if persona.replacing:
            old = min(persona.vehicles, key=lambda car: car.purchased)
            touches.append(Touch(clock.day(rng.randint(1, 45)), rng.choice((K.CALL, K.VISIT)),
                                 phrases.replacement_talk(rng, old.label, persona.story), Direction.INBOUND,
                                 Channel.PHONE))
        return touches

    # -- how it was written down ----------------------------------------------

    def _write(self, persona: Persona, touches: list[Touch]) -> None:
        rng, clock, customer = self.rng, self.clock, persona.customer
        for touch in touches:
            if touch.moment is None:
                touch.moment = clock.business_time(rng, touch.day)
            touch.moment = max(touch.moment, customer.created_at)
        touches.sort(key=lambda t: t.moment)
        rows = []
        for touch in touches:
            follow_up = None
            if touch.selling and rng.random() < 0.55:
                follow_up = clock.business_time(rng, touch.day + timedelta(days=rng.randint(1, 10)))
            row = Interaction(
                kind=touch.kind,
                channel=touch.channel,
                direction=touch.direction,
                occurred_at=touch.moment,
                summary=touch.summary,
                next_follow_up_at=follow_up,
                next_step=rng.choice(phrases.NEXT_STEPS) if follow_up else "",
                created_at=touch.moment + timedelta(minutes=rng.randint(1, 90)),
            )
            contact = None
            if persona.contacts and (persona.company and rng.random() < 0.7 or rng.random() < 0.15):
                contact = rng.choice(persona.contacts)
            self.world.add(row, customer=customer, user=touch.user or persona.handler, contact=contact)
            rows.append(row)
        if not rows:
            return
        last = rows[-1]
        if persona.lifecycle in ACTIVE and persona.owner:
            last.next_follow_up_at = self._next_follow_up(last.occurred_at)
            last.next_step = last.next_step or rng.choice(phrases.NEXT_STEPS)
        elif persona.lifecycle is Lifecycle.CUSTOMER and rng.random() < 0.3:
            last.next_follow_up_at = clock.business_time(rng, clock.day(-rng.randint(10, 120)))
            last.next_step = "回访用车情况，邀约保养"
        elif persona.owner is None or persona.lifecycle is Lifecycle.LOST:
            # Closing a deal as lost or returning a customer to the pool ends the follow-ups.
            last.next_follow_up_at, last.next_step = None, ""
        customer.last_contact_at = last.occurred_at
        customer.next_follow_up_at = last.next_follow_up_at
        persona.interactions = rows

    def _next_follow_up(self, after: datetime) -> datetime:
        """Overdue for some, due today for some, ahead for most: the consultant's today page."""
        rng, clock = self.rng, self.clock
        roll = rng.random()
        if roll < 0.18:
            day = clock.day(rng.randint(1, 10))
        elif roll < 0.30:
            day = clock.today
        else:
            day = clock.day(-rng.randint(1, 21))
        moment = clock.business_time(rng, day)
        return moment if moment > after else after + timedelta(hours=2)


def _between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))

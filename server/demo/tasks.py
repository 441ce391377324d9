"""Reminders on the consultants' today pages: follow-ups, birthdays, renewals and the like.

Every consultant gets some overdue and some due today, because that is what the today page
is for; the follow-up tasks are exactly the customers' next_follow_up_at.
"""

import random
from datetime import date, datetime, timedelta

from server.activity.models import Task
from server.auth.models import User
from server.demo.clock import Clock
from server.demo.customers import Persona
from server.demo.staff import Staff
from server.demo.world import World
from server.enums import Lifecycle, OpportunityStage, OpportunityStatus, TaskKind, TaskStatus


def _this_year(day: date, today: date) -> date:
    return day.replace(year=today.year, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=today.year)


class TaskBuilder:
    def __init__(self, world: World, clock: Clock, rng: random.Random, staff: Staff):
        self.world, self.clock, self.rng, self.staff = world, clock, rng, staff
        self.soon = clock.at(clock.today + timedelta(days=3), 23, 59)

    def build(self, personas: list[Persona]) -> None:
        for persona in personas:
            if persona.owner is None:
                continue
            self._follow_ups(persona)
            self._birthday(persona)
            self._cars(persona)
            self._deals(persona)
            if persona.lifecycle is Lifecycle.DORMANT and self.rng.random() < 0.4:
                self._task(persona, TaskKind.DORMANT_WAKE_UP, f"唤醒沉睡客户{persona.name}",
                           self.clock.business_time(self.rng, self.clock.day(self.rng.randint(-7, 10))),
                           body=f"客户曾关注{persona.story.model}，可推送最新优惠。")

    def _task(self, persona: Persona, kind: TaskKind, title: str, due_at: datetime, *, body: str = "",
              owner: User | None = None, done_at: datetime | None = None) -> None:
        now_ish = self.clock.at(self.clock.day(1), 21)
        row = Task(
            kind=kind,
            title=title[:200],
            body=body,
            due_at=due_at,
            status=TaskStatus.DONE if done_at else TaskStatus.OPEN,
            completed_at=done_at,
            created_at=max(min(due_at - timedelta(days=self.rng.randint(1, 7)), now_ish), persona.customer.created_at),
        )
        self.world.add(row, customer=persona.customer, owner=owner or persona.owner)

    def _follow_ups(self, persona: Persona) -> None:
        rows = persona.interactions
        # Done follow-ups: the interaction that came after the one that asked for it.
        for earlier, later in zip(rows, rows[1:]):
            if earlier.next_follow_up_at and self.rng.random() < 0.3:
                self._task(persona, TaskKind.FOLLOW_UP, f"跟进{persona.name}：{earlier.next_step}", earlier.next_follow_up_at,
                           done_at=later.occurred_at)
        due = persona.customer.next_follow_up_at
        if persona.lifecycle in (Lifecycle.LEAD, Lifecycle.PROSPECT) and due and due <= self.soon:
            last = rows[-1]
            self._task(persona, TaskKind.FOLLOW_UP, f"跟进{persona.name}：{last.next_step}", due, body=last.summary)

    def _birthday(self, persona: Persona) -> None:
        birthday = persona.customer.birthday
        if birthday is None or persona.lifecycle is Lifecycle.LOST:
            return
        day = _this_year(birthday, self.clock.today)
        if -2 <= (day - self.clock.today).days <= 7:
            self._task(persona, TaskKind.BIRTHDAY, f"{persona.name}{day.month}月{day.day}日生日，送上祝福",
                       self.clock.at(day, 9), body="可微信发送生日祝福和保养优惠券。")

    def _cars(self, persona: Persona) -> None:
        clock, rng = self.clock, self.rng
        for car in persona.vehicles[:1]:
            expiry = car.row.insurance_expiry
            if expiry and -20 <= (expiry - clock.today).days <= 30:
                self._task(persona, TaskKind.INSURANCE_RENEWAL, f"{persona.name}的{car.label}保险{expiry.month}月{expiry.day}日到期，联系续保",
                           clock.at(expiry - timedelta(days=15), 10))
            if car.last_maintenance and (clock.today - car.last_maintenance).days >= 180 and rng.random() < 0.5:
                self._task(persona, TaskKind.MAINTENANCE_DUE, f"{persona.name}的{car.label}保养到期，邀约到店",
                           clock.business_time(rng, clock.day(-rng.randint(0, 7))),
                           body=f"上次保养：{car.last_maintenance.isoformat()}")
            anniversary = _this_year(car.purchased, clock.today)
            years = clock.today.year - car.purchased.year
            if years >= 1 and -3 <= (anniversary - clock.today).days <= 7:
                self._task(persona, TaskKind.PURCHASE_ANNIVERSARY, f"{persona.name}购车{years}周年回访",
                           clock.at(anniversary, 10))

    def _deals(self, persona: Persona) -> None:
        clock, rng = self.clock, self.rng
        for deal in persona.deals:
            if deal.status is not OpportunityStatus.OPEN:
                continue
            if deal.stage in (OpportunityStage.NEGOTIATION, OpportunityStage.CONTRACT) and rng.random() < 0.15:
                self._task(persona, TaskKind.STOCK_ARRIVAL,
                           f"{deal.entry.series}{persona.story.color}现车到店，通知{persona.name}",
                           clock.business_time(rng, clock.day(-rng.randint(0, 1))))
            if deal.row.loss_pending:
                team = self.staff.team(persona.owner)
                self._task(persona, TaskKind.OTHER, f"审批战败申请：{deal.row.title}",
                           clock.business_time(rng, clock.today), owner=self.staff.manager_of[team.name],
                           body=deal.row.close_note)

"""The showroom traffic log (展厅客流) over the last weeks, told from the visits already on the timelines.

Every showroom visit a customer paid in the window (a VISIT or TEST_DRIVE interaction at the
showroom) gets its walk-in row, as the desk would have logged it; a few walk-ins who left no
phone are counted without a customer; and today has a handful of parties, some still here.
"""

import random
from datetime import datetime, timedelta, timezone

from server.activity.models import Interaction
from server.demo import phrases
from server.demo.clock import Clock
from server.demo.customers import Persona
from server.demo.staff import Staff
from server.demo.world import World
from server.enums import Channel, Direction, InteractionKind, Lifecycle
from server.sales.models import ShowroomVisit, VehicleModel

WINDOW_DAYS = 42
TODAY_PARTIES = 9
STILL_HERE = 3
ANONYMOUS = ("看车的年轻夫妇", "带孩子的一家三口", "路过进店咨询的先生", "两位结伴看车的女士", "只看不留电话的大哥")
SHOWROOM_KINDS = (InteractionKind.VISIT, InteractionKind.TEST_DRIVE)


class ShowroomBuilder:
    def __init__(self, world: World, clock: Clock, rng: random.Random, staff: Staff,
                 models: dict, now: datetime | None = None):
        self.world, self.clock, self.rng, self.staff = world, clock, rng, staff
        self.models = models
        self.now = now or datetime.now(timezone.utc)

    def build(self, personas: list[Persona]) -> None:
        start = self.clock.at(self.clock.day(WINDOW_DAYS), 0)
        for persona in personas:
            visits = [row for row in persona.interactions
                      if row.kind in SHOWROOM_KINDS and row.direction is Direction.INBOUND
                      and row.channel is Channel.SHOWROOM and start <= row.occurred_at < self.now]
            for n, row in enumerate(visits):
                earlier = any(r.kind in SHOWROOM_KINDS and r.occurred_at < start for r in persona.interactions)
                self._visit(persona, row.occurred_at, first=n == 0 and not earlier,
                            consultant=row_user(self.world, row) or persona.handler)
        self._anonymous(start)
        self._today(personas)

    def _visit(self, persona: Persona | None, moment: datetime, *, first: bool, consultant=None,
               still_here: bool = False, name: str = "") -> ShowroomVisit:
        rng = self.rng
        arrived = moment - timedelta(minutes=rng.randint(5, 30))
        left = None if still_here else min(arrived + timedelta(minutes=rng.randint(20, 150)), self.now)
        model = self.models.get(persona.favourite) if persona is not None and persona.models else None
        visit = ShowroomVisit(arrived_at=arrived, left_at=left, party_size=rng.choices((1, 2, 3, 4), (35, 40, 18, 7))[0],
                              is_first_visit=first, visitor_name=persona.customer.name if persona else name,
                              created_at=arrived + timedelta(minutes=rng.randint(1, 5)))
        # The timeline entry is not linked: the demo's interactions are inserted in bulk without
        # reading their ids back (they have no natural key), and the link is only a convenience.
        return self.world.add(visit, customer=persona.customer if persona else None, consultant=consultant,
                              recorded_by=consultant, vehicle_model=model)

    def _anonymous(self, start: datetime) -> None:
        rng, clock = self.rng, self.clock
        for days_ago in range(1, WINDOW_DAYS // 3):
            for _ in range(rng.randint(0, 2)):
                moment = clock.business_time(rng, clock.day(days_ago))
                self._visit(None, moment, first=True, consultant=self.staff.pick_consultant(rng),
                            name=rng.choice(ANONYMOUS))

    def _today(self, personas: list[Persona]) -> None:
        rng, clock = self.rng, self.clock
        opening = clock.at(clock.today, 9)
        if self.now < opening + timedelta(minutes=30):
            return  # before opening time the floor is empty
        active = [p for p in personas if p.owner and p.lifecycle in (Lifecycle.LEAD, Lifecycle.PROSPECT)
                  and p.interactions]
        chosen = rng.sample(active, min(TODAY_PARTIES, len(active)))
        span = int((min(self.now, clock.at(clock.today, 21)) - opening).total_seconds() // 60)
        minutes = sorted(rng.randint(20, max(span - 5, 21)) for _ in chosen)
        for n, (persona, offset) in enumerate(zip(chosen, minutes)):
            moment = min(opening + timedelta(minutes=offset), self.now - timedelta(minutes=2))
            row = Interaction(kind=InteractionKind.VISIT, channel=Channel.SHOWROOM, direction=Direction.INBOUND,
                              occurred_at=moment, summary=phrases.visit(rng, persona.story), created_at=moment)
            self.world.add(row, customer=persona.customer, user=persona.owner)
            persona.interactions.append(row)
            persona.customer.last_contact_at = max(persona.customer.last_contact_at or moment, moment)
            self._visit(persona, moment + timedelta(minutes=10), first=False,
                        consultant=persona.owner, still_here=n >= len(chosen) - STILL_HERE)


def row_user(world: World, row):
    return next((parent for field, parent in world.links(row) if field == "user"), None)

"""The demo's notion of time: days counted back from today, in the dealership's time zone.

Dates move with the calendar (a demo loaded next month still shows "due today" tasks), but
every offset is drawn from a seeded generator, so two loads on one day give the same data.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

# China keeps no daylight saving time, so a fixed offset is exact and needs no tz database.
LOCAL = timezone(timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class Clock:
    today: date

    @classmethod
    def for_today(cls) -> "Clock":
        return cls(datetime.now(LOCAL).date())

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock moment, stored as UTC."""
        return datetime.combine(day, time(hour, minute), LOCAL).astimezone(timezone.utc)

    def business_time(self, rng: random.Random, day: date) -> datetime:
        """A moment in showroom hours (09:00–20:59), when staff log their work."""
        return self.at(day, rng.randint(9, 20), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50)))

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(LOCAL).date()

    def days_ago(self, moment: datetime | date) -> int:
        day = self.local_date(moment) if isinstance(moment, datetime) else moment
        return (self.today - day).days

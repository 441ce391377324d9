"""Reporting periods in the dealership's time zone (CRM_TIMEZONE): whole local days, the end
day excluded, turned into the UTC moments the database stores.

A report for "last month" in Shanghai must not lose the deals closed on the 1st before 08:00.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from server import config
from server.errors import ErrorCode, UserError

# A report spans at most this long: enough for year-on-year, small enough for one query.
MAX_DAYS = 3 * 366 + 1


def dealership_zone() -> ZoneInfo:
    return ZoneInfo(config.settings.timezone)


def local_today() -> date:
    return datetime.now(timezone.utc).astimezone(dealership_zone()).date()


def start_of(day: date) -> datetime:
    """00:00 of `day` in the dealership's zone, in UTC."""
    return datetime.combine(day, time.min, dealership_zone()).astimezone(timezone.utc)


@dataclass(frozen=True)
class Period:
    """Local days [start, end): `end` is the first day not included."""

    start: date
    end: date

    @classmethod
    def of(cls, start: date | None, end: date | None, *, from_field: str = "from", to_field: str = "to") -> "Period":
        if start is None:
            raise UserError(ErrorCode.REQUIRED, "give the first day of the period", from_field)
        if end is None:
            raise UserError(ErrorCode.REQUIRED, "give the day after the last day of the period", to_field)
        if end <= start:
            raise UserError(ErrorCode.INVALID, "must be after the first day of the period", to_field)
        if (end - start).days > MAX_DAYS:
            raise UserError(ErrorCode.INVALID, f"a period may span at most {MAX_DAYS} days", to_field)
        return cls(start, end)

    @property
    def moments(self) -> tuple[datetime, datetime]:
        """The period as UTC moments [from, to), for filtering stored times."""
        return start_of(self.start), start_of(self.end)

    def months(self) -> list[tuple[str, datetime, datetime]]:
        """('2026-11', from, to) for each calendar month the period touches, clipped to it."""
        out = []
        first = self.start.replace(day=1)
        while first < self.end:
            following = (first + timedelta(days=32)).replace(day=1)
            lo, hi = max(first, self.start), min(following, self.end)
            out.append((f"{first.year:04d}-{first.month:02d}", start_of(lo), start_of(hi)))
            first = following
        return out


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def this_month(today: date) -> Period:
    return Period(_month_start(today), _month_start(today, -1))


def last_month(today: date) -> Period:
    return Period(_month_start(today, 1), _month_start(today))


def this_quarter(today: date) -> Period:
    first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return Period(first, _month_start(first, -3))


def last_12_months(today: date) -> Period:
    """The current month and the eleven before it."""
    return Period(_month_start(today, 11), _month_start(today, -1))


PRESETS = {
    "this_month": this_month,
    "last_month": last_month,
    "this_quarter": this_quarter,
    "last_12_months": last_12_months,
}

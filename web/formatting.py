"""Dates, times and numbers as the viewer reads them: their language, their time zone.

Times arrive from the API in UTC (ISO strings); they are shown in the viewer's zone,
Asia/Shanghai unless they chose another.
"""

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_skeleton, format_timedelta
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

from server import config


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or config.settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def parse_moment(value) -> datetime | None:
    """A timezone-aware datetime from the API's ISO string (or a datetime); None stays None."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_day(value) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class Formatter:
    def __init__(self, locale: str, tz_name: str | None, gettext, now: datetime | None = None):
        self.locale = Locale.parse(locale)
        self.tz = zone(tz_name)
        self.gettext = gettext
        self.now = (now or datetime.now(timezone.utc)).astimezone(self.tz)

    # Moments of the viewer's day, in UTC, for API filters.
    def today(self) -> date:
        return self.now.date()

    def start_of_day(self, day: date | None = None) -> datetime:
        return datetime.combine(day or self.today(), time.min, self.tz).astimezone(timezone.utc)

    def end_of_day(self, day: date | None = None) -> datetime:
        return self.start_of_day((day or self.today()) + timedelta(days=1))

    def follow_up_moment(self, day: date) -> datetime:
        """When a follow-up picked as a date is due: 9:00 that day, or its last minute if 9:00 has passed."""
        morning = datetime.combine(day, time(9, 0), self.tz)
        if morning > self.now:
            return morning.astimezone(timezone.utc)
        return datetime.combine(day, time(23, 59), self.tz).astimezone(timezone.utc)

    def local(self, value) -> datetime | None:
        moment = parse_moment(value)
        return moment.astimezone(self.tz) if moment else None

    # Text.
    def date(self, value) -> str:
        day = value if isinstance(value, date) and not isinstance(value, datetime) else None
        if day is None:
            if isinstance(value, str) and len(value) == 10:
                day = parse_day(value)
            else:
                moment = self.local(value)
                day = moment.date() if moment else None
        if day is None:
            return ""
        skeleton = "MMMd" if day.year == self.now.year else "yMMMd"
        return format_skeleton(skeleton, day, locale=self.locale)

    def time(self, value) -> str:
        moment = self.local(value)
        return format_skeleton("Hm", moment, tzinfo=self.tz, locale=self.locale) if moment else ""

    def datetime(self, value) -> str:
        moment = self.local(value)
        if moment is None:
            return ""
        return self.locale.datetime_formats["medium"].format(self.time(moment), self.date(moment))

    def when(self, value) -> str:
        """'今天 14:30', '明天 09:00', '昨天 18:00', or a date and a time further off."""
        moment = self.local(value)
        if moment is None:
            return ""
        _ = self.gettext
        days = (moment.date() - self.today()).days
        near = {0: _("Today at %(time)s"), 1: _("Tomorrow at %(time)s"), -1: _("Yesterday at %(time)s")}
        if days in near:
            return near[days] % {"time": self.time(moment)}
        return self.datetime(moment)

    def overdue_by(self, value) -> str:
        """How many days ago a due moment passed ('3天'); '' if it has not, or less than a day ago
        (the due time is shown beside it, and '3 seconds overdue' helps nobody)."""
        moment = parse_moment(value)
        if moment is None or self.now - moment < timedelta(days=1):
            return ""
        return format_timedelta(self.now - moment, granularity="day", threshold=1.0, locale=self.locale)

    def is_overdue(self, value) -> bool:
        moment = parse_moment(value)
        return bool(moment and moment < self.now)

    def is_today(self, value) -> bool:
        moment = self.local(value)
        return bool(moment and moment.date() == self.today())

    def number(self, value) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)

    def percent(self, value) -> str:
        """0.6 → '60%'."""
        return "" if value is None else format_percent(value, locale=self.locale)

    def money(self, value) -> str:
        """A budget in CNY, compact: ¥15万 / CN¥150K."""
        if value is None:
            return ""
        return format_compact_currency(value, "CNY", locale=self.locale, fraction_digits=1)

    def exact_money(self, value) -> str:
        """An amount to the fen, as a quote states it: ¥2,951.95 — never rounded for show."""
        if value is None or value == "":
            return ""
        return format_currency(Decimal(str(value)), "CNY", locale=self.locale)

    def rate(self, value) -> str:
        """An annual rate the API gives in percent ('3.9900') → '3.99%', every given decimal kept."""
        if value is None or value == "":
            return ""
        return format_decimal(Decimal(str(value)), format="#,##0.####", locale=self.locale) + "%"

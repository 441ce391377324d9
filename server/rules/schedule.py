"""Rule schedules: a five-field cron expression in dealership time (CRM_TIMEZONE), or a word.

    "0 8 * * *"      every day at 08:00        "*/30 9-18 * * 1-5"   every half hour, weekdays
    "hourly", "daily", "weekly", "monthly"      the same as "@hourly" … in cron

A pass is due when the rule's last run covered an earlier due time than the most recent one, so a
worker that was down at 08:00 and comes back at 08:20 runs the 08:00 pass then, once.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter

from server import config
from server.rules.conditions import ConditionError

WORDS = {"hourly": "0 * * * *", "daily": "0 0 * * *", "weekly": "0 0 * * 0", "monthly": "0 0 1 * *",
         "yearly": "0 0 1 1 *"}
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))


def expression(schedule: str) -> str:
    """The cron expression a schedule stands for (words and @words spelled out)."""
    text = " ".join(schedule.split())
    return WORDS.get(text.lower().removeprefix("@"), text)


def validate_schedule(schedule: str | None, path: str = "schedule") -> str | None:
    """The schedule cleaned up (None or "" means: runs on events only); ConditionError naming `path` if bad."""
    if schedule is None or (isinstance(schedule, str) and not schedule.strip()):
        return None
    if not isinstance(schedule, str) or len(schedule) > 60:
        raise ConditionError(path, "must be a cron expression of at most 60 characters")
    cleaned = " ".join(schedule.split())
    cron = expression(cleaned)
    if len(cron.split()) != 5:
        raise ConditionError(path, f"{cleaned!r} needs five fields: minute hour day-of-month month day-of-week "
                                   f"(e.g. \"0 8 * * *\"), or one of {sorted(WORDS)}")
    for part, (name, low, high) in zip(cron.split(), FIELDS):
        # Name the field a number is out of range in: croniter only says "invalid".
        for number in re.findall(r"\d+", part.split("/")[0]):
            if not low <= int(number) <= high:
                raise ConditionError(path, f"the {name} field takes {low} to {high}, not {number}")
    if not croniter.is_valid(cron):
        raise ConditionError(path, f"{cleaned!r} is not a valid cron expression (e.g. \"0 8 * * *\": 08:00 daily)")
    return cleaned


def last_due(schedule: str, at: datetime) -> datetime:
    """The most recent moment at or before `at` when `schedule` was due, in UTC-aware form."""
    local = at.astimezone(ZoneInfo(config.settings.timezone))
    # croniter's get_prev is strictly before its start: start a second later so "at 08:00" counts.
    return croniter(expression(schedule), local + timedelta(seconds=1)).get_prev(datetime)


def is_due(schedule: str, last_covered: datetime | None, at: datetime) -> tuple[bool, datetime]:
    """Whether a run is due now, and the due time it would cover."""
    due = last_due(schedule, at)
    return last_covered is None or last_covered < due, due

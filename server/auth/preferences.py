"""A staff member's own settings."""

from zoneinfo import ZoneInfo, available_timezones

from server.auth.models import User
from server.auth.principal import Principal
from server.errors import ErrorCode, UserError

LOCALES = ("zh_CN", "en")


async def update_preferences(principal: Principal, *, locale: str | None = None, timezone: str | None = None) -> User:
    if principal.user_id is None:
        raise UserError(ErrorCode.FORBIDDEN, "only staff members have preferences")
    user = await User.get(id=principal.user_id)
    if locale is not None:
        if locale not in LOCALES:
            raise UserError(ErrorCode.INVALID, f"locale must be one of {', '.join(LOCALES)}", "locale")
        user.locale = locale
    if timezone is not None:
        if timezone not in available_timezones():
            raise UserError(ErrorCode.INVALID, "unknown time zone", "timezone")
        ZoneInfo(timezone)
        user.timezone = timezone
    await user.save(update_fields=["locale", "timezone"])
    return user

import strawberry
from strawberry.types import Info

from server.api.auth.types import User
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import IsAuthenticated
from server.auth import preferences


@strawberry.input(description="The viewer's own settings; fields left out stay.")
class UpdatePreferencesInput:
    locale: str | None = strawberry.field(default=None, description="Interface language: zh_CN or en.")
    timezone: str | None = strawberry.field(default=None, description="IANA time zone, e.g. Asia/Shanghai.")


@strawberry.type(description="The result of updatePreferences.")
class UpdatePreferencesPayload:
    viewer: User | None = strawberry.field(description="The viewer with the new settings.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def update_preferences(info: Info, input: UpdatePreferencesInput) -> UpdatePreferencesPayload:
    try:
        user = await preferences.update_preferences(info.context.principal, locale=input.locale, timezone=input.timezone)
    except USER_ERRORS as exc:
        return UpdatePreferencesPayload(viewer=None, errors=to_user_errors(exc))
    return UpdatePreferencesPayload(viewer=User.from_model(user), errors=[])


field = strawberry.mutation(resolver=update_preferences, description="Change the viewer's language or time zone.",
                            permission_classes=[IsAuthenticated])

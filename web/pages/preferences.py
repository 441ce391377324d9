"""Switching the interface language: kept in the session, and on the user's record when signed in."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from web.i18n import LOCALES
from web.operations import run
from web.pages.auth import safe_next


async def set_language(request: Request):
    form = await request.form()
    locale = str(form.get("locale", ""))
    target = safe_next(str(form.get("next", "")))
    if locale not in LOCALES:
        return RedirectResponse(target, status_code=303)
    principal = request.state.principal
    if principal is not None and principal.user_id is not None:
        # Saved on the user, so the choice follows them to their next sign-in on any phone.
        await run(request, "UpdatePreferences", locale=locale)
    else:
        # Chosen before signing in: sign-in saves it on the user (see auth.login).
        request.session["chosen_locale"] = locale
    request.session["locale"] = locale
    return RedirectResponse(target, status_code=303)

"""Sign-in and sign-out."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from server.auth.principal import principal_for_user
from server.auth.services import authenticate
from server.errors import ErrorCode, UserError
from web.i18n import translations
from web.operations import run
from web.templating import render, request_locale


def safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our sign-in page.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


async def login_form(request: Request):
    if request.state.principal is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next")), "username": "",
                                          "error": None, "page_path": request.url.path + (f"?{request.url.query}" if request.url.query else "")})


async def login(request: Request):
    form = await request.form()
    username = str(form.get("username", ""))
    next_url = safe_next(str(form.get("next", "")))
    _ = translations(request_locale(request)).gettext
    try:
        user = await authenticate(username, str(form.get("password", "")), request.client.host if request.client else "")
    except UserError as exc:
        message = _("Too many failed sign-ins. Try again later.") if exc.code is ErrorCode.THROTTLED else _("Wrong username or password.")
        status = 429 if exc.code is ErrorCode.THROTTLED else 400
        return render(request, "login.html", {"next": next_url, "username": username, "error": message,
                                              "page_path": "/login"}, status_code=status)
    chosen = request.session.get("chosen_locale")
    # A new session on sign-in, so a session id planted before cannot be reused.
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["auth_epoch"] = user.password_hash[-16:]
    request.session["locale"] = user.locale
    if chosen and chosen != user.locale:
        # The language picked on the sign-in page wins and is remembered from now on.
        request.state.principal = principal_for_user(user)
        await run(request, "UpdatePreferences", locale=chosen)
        request.session["locale"] = chosen
    return RedirectResponse(next_url, status_code=303)


async def logout(request: Request):
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale
    return RedirectResponse("/login", status_code=303)

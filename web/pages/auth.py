"""Sign-in and sign-out."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from server.auth.services import authenticate
from server.errors import ErrorCode, UserError
from web.i18n import translations
from web.templating import render, request_locale


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our sign-in page.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


async def login_form(request: Request):
    if request.state.principal is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next")), "username": "", "error": None})


async def login(request: Request):
    form = await request.form()
    username = str(form.get("username", ""))
    next_url = _safe_next(str(form.get("next", "")))
    _ = translations(request_locale(request)).gettext
    try:
        user = await authenticate(username, str(form.get("password", "")), request.client.host if request.client else "")
    except UserError as exc:
        message = _("Too many failed sign-ins. Try again later.") if exc.code is ErrorCode.THROTTLED else _("Wrong username or password.")
        status = 429 if exc.code is ErrorCode.THROTTLED else 400
        return render(request, "login.html", {"next": next_url, "username": username, "error": message}, status_code=status)
    # A new session on sign-in, so a session id planted before cannot be reused.
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["auth_epoch"] = user.password_hash[-16:]
    request.session["locale"] = user.locale
    return RedirectResponse(next_url, status_code=303)


async def logout(request: Request):
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale
    return RedirectResponse("/login", status_code=303)


async def home(request: Request):
    if request.state.principal is None:
        return RedirectResponse("/login?next=/", status_code=303)
    return render(request, "home.html")

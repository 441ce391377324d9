"""One Jinja2 environment for every page; HTMX requests get one block of a page."""

from pathlib import Path

from jinja2_fragments.starlette import Jinja2Blocks
from starlette.requests import Request

from server.auth.csrf import csrf_token
from web.i18n import LOCALE_NAMES, pick_locale, translations

templates = Jinja2Blocks(directory=str(Path(__file__).parent / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.autoescape = True


def request_locale(request: Request) -> str:
    return pick_locale(request.session.get("locale") or request.cookies.get("locale"))


def render(request: Request, template: str, context: dict | None = None, *, block: str | None = None,
           status_code: int = 200):
    """Render a page, or only `block` of it when HTMX asks, with gettext bound to the user's locale."""
    locale = request_locale(request)
    trans = translations(locale)
    ctx = {
        "request": request,
        "locale": locale,
        "locales": LOCALE_NAMES,
        "csrf_token": csrf_token(request),
        "principal": request.state.principal,
        "_": trans.gettext,
        "gettext": trans.gettext,
        "ngettext": trans.ngettext,
        **(context or {}),
    }
    if block is None and request.headers.get("hx-request") and context and context.get("_hx_block"):
        block = context["_hx_block"]
    response = templates.TemplateResponse(request, template, ctx, block_name=block, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response

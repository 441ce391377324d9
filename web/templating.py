"""One Jinja2 environment for every page; HTMX requests get one block (or a few) of a page."""

from pathlib import Path

from jinja2_fragments.starlette import Jinja2Blocks
from starlette.requests import Request

from server.auth.csrf import csrf_token
from web import labels
from web.formatting import Formatter
from web.i18n import LOCALE_NAMES, pick_locale, translations

templates = Jinja2Blocks(directory=str(Path(__file__).parent / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.autoescape = True
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def request_locale(request: Request) -> str:
    return pick_locale(request.session.get("locale") or request.cookies.get("locale"))


def gettext_for(request: Request):
    return translations(request_locale(request)).gettext


def formatter(request: Request, viewer: dict | None = None) -> Formatter:
    return Formatter(request_locale(request), (viewer or {}).get("timezone"), gettext_for(request))


def render(request: Request, template: str, context: dict | None = None, *, block: str | None = None,
           blocks: list[str] | None = None, status_code: int = 200, headers: dict | None = None):
    """Render a page, or only `block` / `blocks` of it, in the viewer's language and time zone.

    `context["viewer"]` (the Viewer operation's data) sets the time zone; without it the
    default zone applies (the sign-in page).
    """
    context = context or {}
    locale = request_locale(request)
    trans = translations(locale)
    gettext = trans.gettext
    ctx = {
        "request": request,
        "locale": locale,
        "locales": LOCALE_NAMES,
        "csrf_token": csrf_token(request),
        "principal": request.state.principal,
        "_": gettext,
        "gettext": gettext,
        "ngettext": trans.ngettext,
        "fmt": Formatter(locale, (context.get("viewer") or {}).get("timezone"), gettext),
        "label": lambda kind, value: labels.label(gettext, kind, value),
        "options": lambda kind: labels.options(gettext, kind),
        # Where the language switch returns to: a page rendered in answer to a POST names its own URL.
        "current_path": context.get("page_path") or (
            request.url.path + (f"?{request.url.query}" if request.url.query else "") if request.method == "GET" else "/"
        ),
        **context,
    }
    if block is not None:
        response = templates.TemplateResponse(request, template, ctx, block_name=block, status_code=status_code,
                                              headers=headers)
    elif blocks:
        response = templates.TemplateResponse(request, template, ctx, block_names=blocks, status_code=status_code,
                                              headers=headers)
    else:
        response = templates.TemplateResponse(request, template, ctx, status_code=status_code, headers=headers)
    # A page and its fragment share a URL: caches must keep them apart.
    response.headers["Vary"] = "HX-Request"
    return response


def not_found(request: Request, viewer: dict | None):
    """The same answer for a record that does not exist and one the viewer may not see."""
    return render(request, "not_found.html", {"viewer": viewer}, status_code=404)

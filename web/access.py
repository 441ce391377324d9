"""Pages are for signed-in staff. Who may see which record is the schema's business, not this."""

import functools
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response


def is_htmx(request: Request) -> bool:
    """An HTMX swap wants a block; a history restore after a cache miss wants the whole page."""
    return bool(request.headers.get("hx-request")) and not request.headers.get("hx-history-restore-request")


def sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if is_htmx(request):
        # A fragment URL is no place to land after signing in: return to the page it was on.
        current = urlsplit(request.headers.get("hx-current-url", ""))
        if current.path:
            target = current.path + (f"?{current.query}" if current.query else "")
        location = "/login?next=" + quote(target, safe="/")
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)


def staff_page(handler):
    """Send anyone without a staff session (anonymous, or an API token) to the sign-in page."""

    @functools.wraps(handler)
    async def page(request: Request):
        principal = request.state.principal
        if principal is None or principal.user_id is None:
            return sign_in_redirect(request)
        return await handler(request)

    return page


def manages(viewer: dict) -> bool:
    """Whether to offer managers' tools (team filters, assigning, reviewing, settings) to this viewer.

    Only what the page shows: the API refuses the same actions to anyone else.
    """
    return viewer.get("role") in ("MANAGER", "ADMIN")

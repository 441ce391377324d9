"""One-shot confirmations carried across a post/redirect/get in the session.

Kept as a kind and a few values, not as text: the page that shows it translates it, in the
language the viewer has then.
"""

from starlette.requests import Request

KEY = "flash"


def flash(request: Request, kind: str, **values: str) -> None:
    request.session[KEY] = {"kind": kind, **values}


def pop_flash(request: Request) -> dict | None:
    """The waiting confirmation, removed so that a reload does not show it again."""
    return request.session.pop(KEY, None)

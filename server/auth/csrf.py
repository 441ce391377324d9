"""CSRF protection for cookie-authenticated writes.

Every state-changing request that relies on the session cookie must carry the
session's token, as an `X-CSRF-Token` header (HTMX, fetch) or a `csrf_token`
form field (plain forms). Bearer-token requests and signed webhooks carry no
cookie authority and are exempt.
"""

import secrets
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
EXEMPT_PREFIXES = ("/ingest/", "/wechat/")
MAX_FORM_BYTES = 25 * 1024 * 1024


def csrf_token(conn: HTTPConnection) -> str:
    token = conn.session.get("csrf_token")
    if not token:
        token = secrets.token_urlsafe(32)
        conn.session["csrf_token"] = token
    return token


class CSRFMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or scope["path"].startswith(EXEMPT_PREFIXES)
            or scope.get("state", {}).get("bearer")
        ):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        expected = conn.session.get("csrf_token")
        sent = conn.headers.get("x-csrf-token")
        replay = receive
        if sent is None:
            body = await _read_body(receive)
            if body is None:
                await PlainTextResponse("request too large", status_code=413)(scope, receive, send)
                return
            sent = await _form_token(scope, body)
            replay = _replaying(body)
        if not expected or not sent or not secrets.compare_digest(str(expected), str(sent)):
            response = PlainTextResponse("CSRF token missing or wrong: reload the page and try again", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, replay, send)


async def _read_body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _form_token(scope: Scope, body: bytes) -> str | None:
    content_type = Headers(scope=scope).get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return (parse_qs(body.decode("latin-1")).get("csrf_token") or [None])[0]
    if content_type.startswith("multipart/form-data"):
        form = await Request(scope, _replaying(body)).form()
        token = form.get("csrf_token")
        await form.close()
        return token if isinstance(token, str) else None
    return None


def _replaying(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive

"""Resolve who is asking, once per request: a bearer API token, or the session's user."""

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth.models import User
from server.auth.principal import principal_for_token, principal_for_user
from server.auth.services import token_for_secret


def bearer_token(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


class PrincipalMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        principal = None
        secret = bearer_token(conn)
        if secret is not None:
            # A request that carries a token is judged by the token alone, never by a cookie.
            token = await token_for_secret(secret)
            principal = principal_for_token(token) if token else None
        elif (user_id := conn.session.get("user_id")) is not None:
            user = await User.get_or_none(id=user_id, is_active=True)
            if user is not None and conn.session.get("auth_epoch") == user.password_hash[-16:]:
                principal = principal_for_user(user)
        if principal is not None:
            client = conn.client.host if conn.client else ""
            principal = principal.at(client, conn.headers.get("user-agent", ""))
        scope.setdefault("state", {})["principal"] = principal
        scope["state"]["bearer"] = secret is not None
        await self.app(scope, receive, send)

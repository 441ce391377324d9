"""Who may call what. Field-level rules live here; record-level rules live in server/auth/scope.py."""

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from server.auth.principal import Principal
from server.enums import TokenScope


def principal_of(info: Info) -> Principal:
    return info.context.principal


class IsAuthenticated(BasePermission):
    message = "sign in or send an API token"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.principal is not None


class CanRead(BasePermission):
    message = "this API token lacks the read scope"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        p = info.context.principal
        return p is not None and p.allows(TokenScope.READ)


class CanWrite(BasePermission):
    message = "this API token lacks the write scope"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        p = info.context.principal
        return p is not None and p.allows(TokenScope.WRITE)

"""Who is asking: a signed-in staff member or an integrator's API token."""

from dataclasses import dataclass, field, replace

from server.enums import Role, TokenScope


@dataclass(frozen=True)
class Principal:
    role: Role | None
    user_id: int | None = None
    team_id: int | None = None
    token_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    username: str = ""
    # Where the request came from, for the audit log.
    ip: str = ""
    user_agent: str = ""

    def at(self, ip: str, user_agent: str) -> "Principal":
        return replace(self, ip=ip, user_agent=user_agent)

    @property
    def is_token(self) -> bool:
        return self.token_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN or (self.is_token and TokenScope.ADMIN in self.scopes)

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER

    @property
    def manages(self) -> bool:
        """May do what managers do (assign, review losses, edit lists): managers and admins."""
        return self.is_admin or self.is_manager

    def allows(self, scope: TokenScope) -> bool:
        """Staff act through their role; a token only through the scopes it was given."""
        if not self.is_token:
            return True
        return scope in self.scopes or TokenScope.ADMIN in self.scopes


def principal_for_user(user) -> Principal:
    return Principal(role=Role(user.role), user_id=user.id, team_id=user.team_id, username=user.username)


def principal_for_token(token) -> Principal:
    return Principal(
        role=None,
        token_id=token.id,
        team_id=token.team_id,
        scopes=frozenset(token.scopes),
        username=f"token:{token.name}",
    )


SYSTEM = Principal(role=Role.ADMIN, username="system")

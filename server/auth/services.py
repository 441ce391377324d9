"""Staff accounts, sign-in with throttling, and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from tortoise.timezone import now

from server import config
from server.auth.models import ApiToken, LoginFailure, Team, User
from server.auth.passwords import hash_password, needs_rehash, verify_password
from server.enums import Role, TokenScope
from server.errors import ErrorCode, UserError

TOKEN_PREFIX = "crm_"
# Verified against when the username is unknown, so both paths cost one argon2 check.
_DUMMY_HASH = hash_password("not-a-real-password")


async def create_user(
    username: str, password: str, role: Role, *, display_name: str = "", team: Team | None = None
) -> User:
    username = username.strip()
    if not username:
        raise UserError(ErrorCode.REQUIRED, "username is required", "username")
    if len(password) < 8:
        raise UserError(ErrorCode.INVALID, "password must have at least 8 characters", "password")
    if await User.filter(username=username).exists():
        raise UserError(ErrorCode.DUPLICATE, f"user {username!r} already exists", "username")
    return await User.create(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        team=team,
    )


async def authenticate(username: str, password: str, ip: str) -> User:
    """Return the user, or raise UserError (THROTTLED after repeated failures, else INVALID)."""
    username = username.strip()
    settings = config.settings
    since = now() - timedelta(seconds=settings.login_lockout_seconds)
    recent = await LoginFailure.filter(username=username, created_at__gte=since).count()
    from_ip = await LoginFailure.filter(ip=ip, created_at__gte=since).count()
    if recent >= settings.login_max_failures or from_ip >= settings.login_max_failures * 4:
        minutes = max(1, settings.login_lockout_seconds // 60)
        raise UserError(ErrorCode.THROTTLED, f"too many failed sign-ins: try again in {minutes} minutes")
    user = await User.get_or_none(username=username, is_active=True)
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not user or not ok:
        await LoginFailure.create(username=username, ip=ip)
        raise UserError(ErrorCode.INVALID, "wrong username or password")
    await LoginFailure.filter(username=username).delete()
    user.last_login_at = now()
    update_fields = ["last_login_at"]
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        update_fields.append("password_hash")
    await user.save(update_fields=update_fields)
    return user


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(text: str) -> list[str]:
    names = [s.strip().lower() for s in text.split(",") if s.strip()]
    if names == ["all"]:
        return [s.value for s in TokenScope]
    known = {s.value for s in TokenScope}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise UserError(
            ErrorCode.INVALID,
            f"unknown scope(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(sorted(known))} or all",
            "scopes",
        )
    return names


async def create_api_token(
    name: str, scopes: list[str], *, created_by: User | None = None, team: Team | None = None
) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        name=name,
        token_hash=_hash_token(secret),
        prefix=secret[:12],
        scopes=scopes,
        created_by=created_by,
        team=team,
    )
    return token, secret


async def token_for_secret(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = await ApiToken.get_or_none(token_hash=_hash_token(secret), revoked_at__isnull=True)
    if token is not None:
        await ApiToken.filter(id=token.id).update(last_used_at=now())
    return token

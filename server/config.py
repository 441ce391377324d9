"""Configuration from the environment, read once.

Defaults serve the embedded mode (SQLite under var/, no Redis). In production
mode (`CRM_ENV=production`) secrets have no default and must be set.
"""

import base64
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CRM_VAR_DIR", ROOT / "var"))

# Development-only secrets: stable so sessions survive a restart on a laptop,
# useless anywhere else because production refuses to start without real ones.
_DEV_SECRET = "dev-insecure-secret-key-change-me"
_DEV_FIELD_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"dev-field-key").digest()).decode()


class ConfigError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    env: str
    host: str
    port: int
    database_url: str
    redis_url: str | None
    secret_key: str
    field_key: str
    blind_index_key: str
    timezone: str
    default_locale: str
    ingest_secrets: dict[str, str] = field(default_factory=dict)
    # WeChat Official Account callback: the token, and for safe mode the AES key and app id.
    wechat_token: str = ""
    wechat_aes_key: str = ""
    wechat_app_id: str = ""
    login_max_failures: int = 5
    login_lockout_seconds: int = 900
    query_max_depth: int = 10
    query_max_aliases: int = 30
    query_max_tokens: int = 2000
    # Failed deliveries after which an outbox event is set aside as dead (`crm outbox retry-dead`).
    outbox_max_attempts: int = 10
    # Pause between chunks of a rule pass: spares a busy database (and lets tests stop a pass midway).
    rule_pass_pause_seconds: float = 0.0
    # Customers per chunk (and transaction) of a rule pass; 0: the engine's default for the database.
    rule_pass_chunk: int = 0

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def embedded_worker(self) -> bool:
        return not self.redis_url


def _sqlite_url() -> str:
    return f"sqlite://{VAR_DIR / 'crm.sqlite3'}"


def _secret(name: str, default: str, production: bool) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if production:
        raise ConfigError(f"{name} must be set in production")
    return default


def _ingest_secrets() -> dict[str, str]:
    prefix = "INGEST_SECRET_"
    return {
        key[len(prefix):].lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and value
    }


def _number(name: str, default: str, kind, minimum):
    raw = os.environ.get(name, default)
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def load_settings() -> Settings:
    env = os.environ.get("CRM_ENV", "development")
    production = env == "production"
    return Settings(
        env=env,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        database_url=os.environ.get("DATABASE_URL") or _sqlite_url(),
        redis_url=os.environ.get("REDIS_URL") or None,
        secret_key=_secret("SECRET_KEY", _DEV_SECRET, production),
        field_key=_secret("FIELD_ENCRYPTION_KEY", _DEV_FIELD_KEY, production),
        blind_index_key=_secret("BLIND_INDEX_KEY", _DEV_SECRET + "-blind", production),
        timezone=os.environ.get("CRM_TIMEZONE", "Asia/Shanghai"),
        default_locale=os.environ.get("CRM_LOCALE", "zh_CN"),
        ingest_secrets=_ingest_secrets(),
        wechat_token=os.environ.get("WECHAT_TOKEN", ""),
        wechat_aes_key=os.environ.get("WECHAT_AES_KEY", ""),
        wechat_app_id=os.environ.get("WECHAT_APP_ID", ""),
        login_max_failures=int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        login_lockout_seconds=int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900")),
        outbox_max_attempts=_number("OUTBOX_MAX_ATTEMPTS", "10", int, minimum=1),
        rule_pass_pause_seconds=_number("RULE_PASS_PAUSE_SECONDS", "0", float, minimum=0),
        rule_pass_chunk=_number("RULE_PASS_CHUNK", "0", int, minimum=0),
    )


settings = load_settings()


def reload_settings() -> Settings:
    """Re-read the environment (tests switch databases between runs)."""
    global settings
    settings = load_settings()
    return settings

"""The one Tortoise configuration, read by the app, the workers, the CLI and migrations."""

from server import config

MODEL_MODULES = [
    "server.auth.models",
    "server.customers.models",
    "server.ingestion.models",
    "server.sales.models",
    "server.activity.models",
    "server.rules.models",
    "server.portrait.models",
    "server.audit.models",
    "server.events.models",
]


def tortoise_config(database_url: str | None = None) -> dict:
    url = database_url or config.settings.database_url
    if url.startswith("sqlite://"):
        from pathlib import Path

        path = url[len("sqlite://"):]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    return {
        "connections": {"default": url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Module-level name for `tortoise` CLI tooling ([tool.tortoise] points here).
TORTOISE_ORM = tortoise_config()

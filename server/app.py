"""The Starlette application: routes and middleware as lists, one lifespan."""

import asyncio
import contextlib
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from tortoise.contrib.starlette import RegisterTortoise

from server import config, health
from server.api.http import graphql_app
from server.auth.csrf import CSRFMiddleware
from server.auth.middleware import PrincipalMiddleware
from server.db import tortoise_config
from server.ingestion import webhook, wechat
from web.routes import routes as web_routes

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
SESSION_DAYS = 14


def create_app(*, manage_db: bool = True, embedded_worker: bool | None = None) -> Starlette:
    """Build the app. Tests pass manage_db=False and open the database themselves."""
    settings = config.settings
    run_worker = settings.embedded_worker if embedded_worker is None else embedded_worker

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        async with contextlib.AsyncExitStack() as stack:
            if manage_db:
                await stack.enter_async_context(RegisterTortoise(app, config=tortoise_config()))
            stop = asyncio.Event()
            worker = None
            if run_worker:
                from workers.embedded import run_forever

                worker = asyncio.create_task(run_forever(stop))
            try:
                yield
            finally:
                stop.set()
                if worker is not None:
                    await worker

    routes = [
        Route("/healthz", health.healthz),
        Route("/readyz", health.readyz),
        Route("/graphql", graphql_app(), methods=["GET", "POST"]),
        Route("/ingest/{channel}", webhook.receive, methods=["POST"]),
        Route("/wechat/callback", wechat.verify_url, methods=["GET"]),
        Route("/wechat/callback", wechat.receive, methods=["POST"]),
        *web_routes,
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="crm_session",
            max_age=SESSION_DAYS * 24 * 3600,
            same_site="lax",
            https_only=settings.production,
        ),
        Middleware(PrincipalMiddleware),
        Middleware(CSRFMiddleware),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)

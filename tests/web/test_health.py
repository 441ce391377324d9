import httpx
from tortoise import Tortoise

from server.app import create_app
from server.db import tortoise_config


async def test_healthz_and_readyz_answer_when_the_database_does(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


async def test_readyz_fails_when_the_database_does_not_answer():
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    await Tortoise.init(config=tortoise_config("postgres://crm@127.0.0.1:1/crm"), _enable_global_fallback=True)
    try:
        app = create_app(manage_db=False, embedded_worker=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/healthz")).status_code == 200
            ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    finally:
        await Tortoise.close_connections()

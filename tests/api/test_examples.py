"""The integrator examples in graphql/examples/ run as written, over HTTP with a bearer token."""

import json
from pathlib import Path

import httpx
import pytest

from server.app import create_app
from server.auth.services import create_api_token
from tests.world import gid

EXAMPLES = Path(__file__).resolve().parents[2] / "graphql" / "examples"


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.graphql")))
async def test_example_runs_without_errors(world, name):
    _, secret = await create_api_token("example", ["read", "write"])
    query = (EXAMPLES / f"{name}.graphql").read_text(encoding="utf-8")
    raw = (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
    variables = json.loads(raw.replace("$CUSTOMER_ID", gid("Customer", world.alices_customer)))
    app = create_app(manage_db=False, embedded_worker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables},
                                     headers={"Authorization": f"Bearer {secret}"})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    payloads = [v for v in body["data"].values() if isinstance(v, dict) and "errors" in v]
    assert all(p["errors"] == [] for p in payloads), body
    assert all(v is not None for v in body["data"].values()), body

from server.auth.models import LoginFailure
from tests.web.conftest import csrf_from, sign_in
from tests.world import PASSWORD


async def test_sign_in_sets_a_httponly_samesite_session_cookie(client, world):
    response = await sign_in(client, "alice", PASSWORD)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # development serves plain http on a laptop
    viewer = await client.get("/graphql", params={"query": "{ viewer { username } }"})
    assert viewer.json()["data"]["viewer"] == {"username": "alice"}


async def _csrf(client) -> str:
    page = await client.get("/")
    return page.text.split('name="csrf-token" content="')[1].split('"')[0]


async def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, world):
    response = await sign_in(client, "alice", "nope")
    assert response.status_code == 400
    assert (await client.get("/", follow_redirects=False)).status_code == 303
    unknown = await sign_in(client, "nobody", "nope")
    assert unknown.status_code == 400
    assert response.text.count("role=\"alert\"") == unknown.text.count("role=\"alert\"") == 1


async def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(client, world):
    for _ in range(5):
        assert (await sign_in(client, "alice", "wrong")).status_code == 400
    blocked = await sign_in(client, "alice", PASSWORD)
    assert blocked.status_code == 429
    assert (await client.get("/", follow_redirects=False)).status_code == 303
    # The lock-out ends when the failures age out.
    await LoginFailure.all().delete()
    assert (await sign_in(client, "alice", PASSWORD)).status_code == 303


async def test_forms_without_the_csrf_token_are_refused(client, world):
    await client.get("/login")
    response = await client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    await sign_in(client, "alice", PASSWORD)
    logout = await client.post("/logout", data={})
    assert logout.status_code == 403


async def test_graphql_writes_with_the_session_cookie_need_the_csrf_header(client, world):
    await sign_in(client, "alice", PASSWORD)
    mutation = {"query": 'mutation { createCustomer(input: {name: "新客户"}) { customer { id } errors { code } } }'}
    refused = await client.post("/graphql", json=mutation)
    assert refused.status_code == 403
    accepted = await client.post("/graphql", json=mutation, headers={"X-CSRF-Token": await _csrf(client)})
    assert accepted.json()["data"]["createCustomer"]["errors"] == []


async def test_sign_out_ends_the_session(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await _csrf(client)
    assert (await client.post("/logout", data={"csrf_token": token})).status_code == 303
    assert (await client.get("/", follow_redirects=False)).headers["location"].startswith("/login")


async def test_a_password_change_ends_existing_sessions(client, world):
    from server.auth.models import User
    from server.auth.passwords import hash_password

    await sign_in(client, "alice", PASSWORD)
    await User.filter(id=world.alice.id).update(password_hash=hash_password("another-password"))
    assert (await client.get("/", follow_redirects=False)).status_code == 303


async def test_a_bearer_token_authenticates_api_calls_and_a_bad_one_does_not(client, world):
    from server.auth.services import create_api_token

    _, secret = await create_api_token("crm-sync", ["read"])
    ok = await client.post("/graphql", json={"query": "{ customers { totalCount } }"},
                           headers={"Authorization": f"Bearer {secret}"})
    assert ok.json()["data"]["customers"]["totalCount"] == 3
    bad = await client.post("/graphql", json={"query": "{ customers { totalCount } }"},
                            headers={"Authorization": "Bearer crm_not-a-token"})
    assert bad.json()["data"] is None and "read scope" in bad.json()["errors"][0]["message"]


async def test_the_next_parameter_cannot_redirect_off_site(client, world):
    page = await client.get("/login")
    response = await client.post("/login", data={"username": "alice", "password": PASSWORD,
                                                  "csrf_token": csrf_from(page.text), "next": "//evil.example"})
    assert response.headers["location"] == "/"


async def test_the_session_cookie_is_secure_in_production(db, world, monkeypatch):
    import httpx

    from server import config
    from server.app import create_app

    for name, value in {"CRM_ENV": "production", "SECRET_KEY": "s" * 40, "BLIND_INDEX_KEY": "b" * 40,
                        "FIELD_ENCRYPTION_KEY": config.settings.field_key}.items():
        monkeypatch.setenv(name, value)
    config.reload_settings()
    app = create_app(manage_db=False, embedded_worker=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as client:
        response = await sign_in(client, "alice", PASSWORD)
    assert "secure" in response.headers["set-cookie"].lower()


def test_production_refuses_to_start_without_secrets(monkeypatch):
    import pytest

    from server import config

    monkeypatch.setenv("CRM_ENV", "production")
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load_settings()

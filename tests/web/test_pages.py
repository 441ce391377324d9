"""The pages through the ASGI app, as a phone without JavaScript and as HTMX sees them."""

import re

import pytest

from server.auth.models import User
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.web.realistic import busy_consultant
from tests.world import PASSWORD, gid

MAX_PAGE_BYTES = 100 * 1024


def page_urls(world) -> list[str]:
    customer = gid("Customer", world.alices_customer)
    return ["/", "/customers", "/customers?q=zs", f"/customers/{customer}", "/customers/new",
            f"/customers/{customer}/edit",
            f"/customers/{customer}/interactions/{gid('Interaction', world.alices_interaction)}"]


async def test_every_page_renders_in_chinese_for_a_consultant(client, world):
    await sign_in(client, "alice", PASSWORD)
    for url in page_urls(world):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-CN"' in response.text, url
        assert "今日" in response.text and "客户" in response.text and "新建" in response.text, url
    today = await client.get("/")
    assert "待跟进" in today.text and "回访张三" in today.text
    detail = await client.get(page_urls(world)[3])
    assert "138****8000" in detail.text and "13800138000" not in detail.text
    assert "张太太" in detail.text and "first call" in detail.text


async def test_pages_send_anonymous_visitors_to_sign_in(client, world):
    for url in page_urls(world):
        response = await client.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), url
    fragment = await client.get("/customers?q=zs", headers=HTMX)
    assert fragment.status_code == 401 and fragment.headers["HX-Redirect"].startswith("/login?next=")


async def test_htmx_requests_get_only_the_block_that_changes(client, world):
    await sign_in(client, "alice", PASSWORD)
    results = await client.get("/customers?q=zs", headers=HTMX)
    assert results.text.lstrip().startswith('<div id="results"') and "<html" not in results.text
    assert '<p id="result-count" class="result-count" role="status" hx-swap-oob="innerHTML">共 1 位客户</p>' in results.text
    assert results.headers["HX-Push-Url"] == "/customers?q=zs"
    assert "张三" in results.text and "李四" not in results.text
    assert "HX-Request" in results.headers["Vary"]
    today = await client.get("/", headers=HTMX)
    assert today.text.lstrip().startswith('<div id="today"') and "<nav" not in today.text
    # A history restore after a cache miss wants the whole page again.
    restore = await client.get("/customers", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


async def test_pages_stay_under_100_kb_with_a_busy_consultants_data(client, world):
    # More of everything than a page lists, so every list on 今日 is full.
    customers = await busy_consultant(world.alice, customers=32, interactions=25)
    await sign_in(client, "alice", PASSWORD)
    customer = gid("Customer", customers[0])
    urls = ["/", "/customers", "/customers?q=wang", f"/customers/{customer}", f"/customers/{customer}/edit",
            "/customers/new"]
    for url in urls:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < MAX_PAGE_BYTES, (url, len(response.content))
    today = (await client.get("/")).text
    assert today.count('<li class="task') == 30 + 20 + 10
    assert "仅显示前 30 条，共 33 条" in today  # the rest of a busy day is not cut off silently
    detail = (await client.get(f"/customers/{customer}")).text
    assert detail.count('class="entry"') == 20 and "更早的记录" in detail


async def test_another_consultants_customer_is_not_found_by_url(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    bobs = gid("Customer", world.bobs_customer)
    answers = [
        await client.get(f"/customers/{bobs}"),
        await client.get(f"/customers/{bobs}/edit"),
        await client.post(f"/customers/{bobs}/phone", data={"csrf_token": token}),
        await client.post(f"/customers/{bobs}/interactions", data={"csrf_token": token, "kind": "CALL"}),
        await client.post(f"/customers/{bobs}/edit", data={"csrf_token": token, "name": "改名", "version": "1"}),
        await client.get("/customers/not-an-id"),
    ]
    for response in answers:
        assert response.status_code == 404, response.request.url
        assert "李四" not in response.text and "139****9000" not in response.text
        assert "页面不存在，或你无权查看" in response.text
    # Nothing was logged or changed on bob's customer.
    await world.bobs_customer.refresh_from_db()
    assert world.bobs_customer.name == "李四" and world.bobs_customer.last_contact_at is None


async def test_reading_and_logging_work_without_javascript(client, world):
    await busy_consultant(world.alice, customers=22, interactions=1)
    await sign_in(client, "alice", PASSWORD)
    first = (await client.get("/customers")).text
    more = re.search(r'<li class="more">\s*<a href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = await client.get(more)
    assert second.status_code == 200 and "<html" in second.text
    names = lambda html: set(re.findall(r'<strong>([^<]+)</strong>', html))  # noqa: E731
    assert names(first).isdisjoint(names(second.text)) and len(names(first) | names(second.text)) == 24

    customer = gid("Customer", world.alices_customer)
    page = (await client.get(f"/customers/{customer}?log=1")).text
    assert '<details id="log" class="log-sheet" open>' in page
    form_token = re.search(r'action="/customers/[^"]+/interactions"[\s\S]*?name="csrf_token" value="([^"]+)"', page).group(1)
    saved = await client.post(f"/customers/{customer}/interactions",
                              data={"csrf_token": form_token, "kind": "VISIT", "summary": "到店看了汉EV"})
    assert saved.status_code == 303
    after = await client.get(saved.headers["location"])
    entries = re.findall(r'<li class="entry"[\s\S]*?</li>', after.text)
    assert "到店看了汉EV" in entries[0] and "已保存" in after.text


async def test_switching_to_english_changes_the_labels_and_is_remembered(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    switched = await client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/customers"})
    assert switched.status_code == 303 and switched.headers["location"] == "/customers"
    page = (await client.get("/customers")).text
    assert '<html lang="en"' in page and ">Customers<" in page and "Filters" in page and "客户" not in page
    assert (await User.get(id=world.alice.id)).locale == "en"
    # Remembered on the user: a new session on another phone starts in English.
    await client.post("/logout", data={"csrf_token": await session_csrf(client)})
    client.cookies.clear()
    await sign_in(client, "alice", PASSWORD)
    assert ">Today<" in (await client.get("/")).text


async def test_a_language_chosen_on_the_sign_in_page_is_kept_after_signing_in(client, world):
    login = (await client.get("/login")).text
    token = login.split('name="csrf_token" value="')[1].split('"')[0]
    await client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/login"})
    assert "Username" in (await client.get("/login")).text
    await sign_in(client, "alice", PASSWORD)
    assert ">Today<" in (await client.get("/")).text
    assert (await User.get(id=world.alice.id)).locale == "en"


async def test_unknown_languages_are_ignored(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    await client.post("/language", data={"csrf_token": token, "locale": "fr", "next": "//evil.example"})
    assert '<html lang="zh-CN"' in (await client.get("/")).text


@pytest.mark.parametrize("username", ["alice", None])
async def test_every_form_control_has_a_label_and_no_asset_comes_from_another_host(client, world, username):
    urls = ["/login"]
    if username:
        await sign_in(client, username, PASSWORD)
        urls = page_urls(world)
        customer = gid("Customer", world.alices_customer)
        token = await session_csrf(client)
        # Pages with their error states showing.
        await client.post(f"/customers/{customer}/interactions", data={"csrf_token": token})
    for url in urls:
        html = (await client.get(url)).text
        assert unlabelled_controls(html) == [], url
        assert foreign_urls(html) == [], url
        assert 'href="/static/vendor/htmx.min.js"' not in html and 'src="/static/vendor/htmx.min.js"' in html


async def test_times_are_shown_in_shanghai_time(client, world):
    from datetime import datetime, timezone

    from server.activity.models import Interaction

    await Interaction.filter(id=world.alices_interaction.id).update(
        occurred_at=datetime(2026, 3, 1, 1, 30, tzinfo=timezone.utc))
    await sign_in(client, "alice", PASSWORD)
    page = (await client.get(f"/customers/{gid('Customer', world.alices_customer)}")).text
    assert "3月1日 09:30" in page  # 01:30 UTC is 09:30 in Asia/Shanghai

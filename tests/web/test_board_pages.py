"""商机看板: columns by stage with counts and sums, scoped to what the viewer may see; moving a card."""

import re

from server.auth.principal import principal_for_user
from server.customers.services import create_customer
from server.enums import OpportunityStage
from server.sales.models import Opportunity
from server.sales.opportunities import create_opportunity
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid


def column(html: str, stage: str) -> str:
    """The HTML of one stage's column."""
    start = html.index(f'id="column-{stage.lower()}"')
    end = html.find('<section class="board-column"', start)
    return html[start:end if end != -1 else len(html)]


async def deals(world):
    """alice: two deals (one in 需求确认), amy: one, bob (team B): one."""
    amys_customer = await create_customer(world.p(world.amy), {"name": "赵六", "phone": "13600136001"})
    alice = world.p(world.alice)
    first = await create_opportunity(alice, world.alices_customer.id, {"title": "张三 · 汉", "amount": "200000"})
    second = await create_opportunity(alice, world.alices_customer.id, {
        "title": "张三 · 唐", "amount": "300000", "stage": OpportunityStage.NEEDS_CONFIRMED})
    amys = await create_opportunity(world.p(world.amy), amys_customer.id, {"title": "赵六 · 秦", "amount": "150000"})
    bobs = await create_opportunity(world.p(world.bob), world.bobs_customer.id, {"title": "李四 · 宋", "amount": "99000"})
    return first, second, amys, bobs


async def test_a_manager_sees_the_teams_columns_with_counts_and_sums(client, world):
    await deals(world)
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/opportunities")
    assert page.status_code == 200
    html = page.text
    for name in ("初步接触", "需求确认", "产品介绍", "试驾体验", "报价谈判", "合同签订"):
        assert f">{name}</h2>" in html
    first = column(html, "INITIAL_CONTACT")
    assert "2 个商机" in first and "¥35万" in first and "张三" in first and "赵六" in first
    assert "1 个商机" in column(html, "NEEDS_CONFIRMED")
    assert "0 个商机" in column(html, "CONTRACT") and "此阶段没有进行中的商机" in column(html, "CONTRACT")
    assert "李四" not in html  # team B
    assert 'id="board-owner"' in html and unlabelled_controls(html) == [] and foreign_urls(html) == []
    # Only amy's deals when filtered by owner; only the manager's own (none) with 我的.
    amy = await client.get("/opportunities", params={"owner": gid("User", world.amy), "scope": "team"})
    assert "赵六" in amy.text and "张三" not in amy.text
    mine = await client.get("/opportunities", params={"scope": "mine"})
    assert "赵六" not in mine.text and "张三" not in mine.text


async def test_a_consultant_sees_only_their_own_deals_and_no_team_filters(client, world):
    await deals(world)
    await sign_in(client, "alice", PASSWORD)
    html = (await client.get("/opportunities")).text
    assert "张三" in html and "赵六" not in html and "李四" not in html
    assert "1 个商机" in column(html, "INITIAL_CONTACT")
    assert 'id="board-owner"' not in html
    # Asking for amy's deals in the address changes nothing: the filter is not offered and the scope holds.
    sneaky = await client.get("/opportunities", params={"owner": gid("User", world.amy), "scope": "team"})
    assert "赵六" not in sneaky.text and "张三" in sneaky.text


async def test_one_stage_shows_only_its_column(client, world):
    await deals(world)
    await sign_in(client, "anna", PASSWORD)
    html = (await client.get("/opportunities", params={"stage": "NEEDS_CONFIRMED"})).text
    assert 'id="column-needs_confirmed"' in html and 'id="column-initial_contact"' not in html
    assert "张三 · 唐" in html or "张三" in html
    assert 'aria-current="page">需求确认' in html


async def test_moving_a_card_puts_it_in_the_next_column_and_a_stale_card_is_refused(client, world):
    first, *_ = await deals(world)
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    deal = gid("Opportunity", first)
    moved = await client.post(f"/opportunities/{deal}/advance", headers=HTMX, data={
        "csrf_token": token, "version": str(first.version), "stage": "NEEDS_CONFIRMED", "scope": "", "owner": ""})
    assert moved.status_code == 200
    assert moved.text.lstrip().startswith('<div id="board"')
    assert f'id="deal-{deal}"' in column(moved.text, "NEEDS_CONFIRMED")
    assert "2 个商机" in column(moved.text, "NEEDS_CONFIRMED") and "0 个商机" in column(moved.text, "INITIAL_CONTACT")
    saved = await Opportunity.get(id=first.id)
    assert saved.stage == OpportunityStage.NEEDS_CONFIRMED and saved.probability == 20
    # The same card again with the version it was shown with: a conflict, said next to the board.
    stale = await client.post(f"/opportunities/{deal}/advance", headers=HTMX, data={
        "csrf_token": token, "version": str(first.version), "stage": "PRESENTATION"})
    assert stale.status_code == 422
    assert 'role="alert"' in stale.text and "有人修改了该商机" in stale.text
    assert (await Opportunity.get(id=first.id)).stage == OpportunityStage.NEEDS_CONFIRMED
    # Without JavaScript: a redirect back to the board.
    plain = await client.post(f"/opportunities/{deal}/advance", data={
        "csrf_token": token, "version": str(saved.version), "stage": "PRESENTATION"})
    assert plain.status_code == 303 and plain.headers["location"].startswith("/opportunities")


async def test_someone_elses_card_cannot_be_moved(client, world):
    *_, bobs = await deals(world)
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    refused = await client.post(f"/opportunities/{gid('Opportunity', bobs)}/advance", headers=HTMX, data={
        "csrf_token": token, "version": "1", "stage": "NEEDS_CONFIRMED"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert (await Opportunity.get(id=bobs.id)).stage == OpportunityStage.INITIAL_CONTACT


async def test_a_column_shows_ten_cards_and_loads_the_rest_on_demand(client, world):
    alice = principal_for_user(world.alice)
    for i in range(12):
        await create_opportunity(alice, world.alices_customer.id, {"title": f"张三 · 第{i}台"})
    await sign_in(client, "alice", PASSWORD)
    html = (await client.get("/opportunities")).text
    first = column(html, "INITIAL_CONTACT")
    assert first.count('class="deal-card"') == 10 and "12 个商机" in first
    more = re.search(r'href="(/opportunities\?[^"]*column=INITIAL_CONTACT[^"]*)"', first).group(1).replace("&amp;", "&")
    rest = await client.get(more, headers=HTMX)
    assert rest.status_code == 200 and rest.text.count('class="deal-card"') == 2
    assert "<html" not in rest.text
    # Without JavaScript the same link is a page: that stage alone, from the eleventh card.
    page = await client.get(more)
    assert page.status_code == 200 and "<html" in page.text
    assert page.text.count('class="deal-card"') == 2 and 'id="column-needs_confirmed"' not in page.text

"""公海 and 商机 pages: claiming from the pool, opening a deal, moving its stage, closing it lost."""

import re
from dataclasses import replace

from server.enums import CloseReasonKind
from server.sales import policy
from server.sales.models import CloseReason, Opportunity, VehicleModel
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid

MAX_PAGE_BYTES = 100 * 1024


def assert_light_and_labelled(html: str):
    assert len(html.encode()) < MAX_PAGE_BYTES
    assert unlabelled_controls(html) == []
    assert foreign_urls(html) == []


async def catalog():
    han = await VehicleModel.create(brand="比亚迪", series="汉", trim="EV 冠军版", body_type="SEDAN",
                                    energy_type="BEV", price="209800.00")
    reasons = {
        "price": await CloseReason.create(kind=CloseReasonKind.WIN, label="价格优势"),
        "too_dear": await CloseReason.create(kind=CloseReasonKind.LOSS, label="价格太高"),
        "competitor": await CloseReason.create(kind=CloseReasonKind.LOSS, label="选择竞品", requires_competitor=True),
    }
    return han, reasons


async def open_deal(client, world, han) -> str:
    customer = gid("Customer", world.alices_customer)
    token = await session_csrf(client)
    response = await client.post(f"/customers/{customer}/opportunities", data={
        "csrf_token": token, "vehicle_model": gid("VehicleModel", han), "amount": "209800",
        "expected_close": "2030-06-30"})
    assert response.status_code == 303
    return response.headers["location"]


async def test_a_claimed_pool_customer_appears_in_the_consultants_own_list(client, world):
    await sign_in(client, "alice", PASSWORD)
    pool = await client.get("/pool")
    assert pool.status_code == 200
    assert "王五" in pool.text and "137****7000" in pool.text and "13700137000" not in pool.text
    assert "还可认领 20 个" in pool.text
    assert_light_and_labelled(pool.text)
    token = await session_csrf(client)
    claimed = await client.post("/pool/claim", data={"csrf_token": token,
                                                     "customer_id": gid("Customer", world.pool_customer)})
    assert claimed.status_code == 303
    after = await client.get("/pool")
    assert "已认领：王五" in after.text
    mine = await client.get("/customers")
    assert "王五" in mine.text


async def test_claiming_over_the_cap_says_so(client, world, monkeypatch):
    monkeypatch.setattr(policy, "POLICY", replace(policy.POLICY, pool_holding_cap=1))
    await sign_in(client, "alice", PASSWORD)  # alice already holds 张三
    token = await session_csrf(client)
    refused = await client.post("/pool/claim", data={"csrf_token": token,
                                                     "customer_id": gid("Customer", world.pool_customer)})
    assert refused.status_code == 422
    assert "认领上限" in refused.text and 'role="alert"' in refused.text
    assert "王五" in refused.text  # still in the pool


async def test_a_pool_customer_page_offers_a_claim_button(client, world):
    await sign_in(client, "alice", PASSWORD)
    customer = gid("Customer", world.pool_customer)
    page = await client.get(f"/customers/{customer}")
    assert f'action="/customers/{customer}/claim"' in page.text and "认领" in page.text
    token = await session_csrf(client)
    claimed = await client.post(f"/customers/{customer}/claim", data={"csrf_token": token})
    assert claimed.status_code == 303
    page = await client.get(claimed.headers["location"])
    assert "已认领" in page.text and f'action="/customers/{customer}/claim"' not in page.text


async def test_a_consultant_opens_a_deal_moves_it_and_closes_it_lost_to_a_competitor(client, world):
    han, reasons = await catalog()
    await sign_in(client, "alice", PASSWORD)
    customer_page = await client.get(f"/customers/{gid('Customer', world.alices_customer)}")
    assert "新建商机" in customer_page.text and "比亚迪 汉" in customer_page.text
    assert_light_and_labelled(customer_page.text)
    url = await open_deal(client, world, han)
    page = await client.get(url)
    assert page.status_code == 200 and "初步接触" in page.text and "下一阶段：需求确认" in page.text
    assert_light_and_labelled(page.text)
    token = await session_csrf(client)
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    moved = await client.post(f"{url}/stage", data={"csrf_token": token, "version": version,
                                                  "stage": "NEEDS_CONFIRMED"}, headers=HTMX)
    assert moved.status_code == 200 and moved.text.lstrip().startswith('<section id="stage"')
    assert 'aria-current="step">需求确认' in moved.text
    # A stale version is refused, not applied.
    stale = await client.post(f"{url}/stage", data={"csrf_token": token, "version": version, "stage": "PRESENTATION"})
    assert stale.status_code == 409
    # Losing to a competitor without naming it: the API's rule, shown next to the form.
    version = re.search(r'name="version" value="(\d+)"', (await client.get(url)).text).group(1)
    missing = await client.post(f"{url}/close", data={"csrf_token": token, "version": version, "status": "LOST",
                                                   "loss_reason": gid("CloseReason", reasons["competitor"])})
    assert missing.status_code == 422 and "竞品品牌" in missing.text
    closed = await client.post(f"{url}/close", data={
        "csrf_token": token, "version": version, "status": "LOST",
        "loss_reason": gid("CloseReason", reasons["competitor"]),
        "competitor_brand": "特斯拉", "competitor_model": "Model 3", "note": "价格"})
    assert closed.status_code == 303
    page = await client.get(url)
    assert "战败" in page.text and "特斯拉 Model 3" in page.text and "选择竞品" in page.text
    deal = await Opportunity.get(customer_id=world.alices_customer.id)
    assert deal.status.value == "LOST" and deal.competitor_brand == "特斯拉"
    customer_page = await client.get(f"/customers/{gid('Customer', world.alices_customer)}")
    assert "战败" in customer_page.text


async def test_someone_elses_opportunity_is_not_found(client, world):
    han, _ = await catalog()
    await sign_in(client, "alice", PASSWORD)
    url = await open_deal(client, world, han)
    await client.post("/logout", data={"csrf_token": await session_csrf(client)})
    await sign_in(client, "bob", PASSWORD)
    assert (await client.get(url)).status_code == 404
    token = await session_csrf(client)
    assert (await client.post(f"{url}/stage", data={"csrf_token": token, "version": "1"})).status_code == 404
    assert (await client.get("/opportunities/not-an-id")).status_code == 404

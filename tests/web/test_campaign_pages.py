"""营销活动 pages: the list with each campaign's numbers, a campaign's page, the managers' forms,
and attributing a customer by hand from the customer page."""

import re
from datetime import date
from decimal import Decimal

from server.customers.models import Customer
from server.enums import Channel, OpportunityStatus
from server.sales.models import Campaign, Opportunity
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid

MAX_PAGE_BYTES = 100 * 1024


def assert_light_and_labelled(html: str):
    assert len(html.encode()) < MAX_PAGE_BYTES
    assert unlabelled_controls(html) == []
    assert foreign_urls(html) == []


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def spring_show(world) -> Campaign:
    """Budget 40,000; alice's customer won 209,800, bob's open: 2 leads, 1 won."""
    row = await Campaign.create(name="春季车展", code="SPRING", channel=Channel.AUTO_SHOW,
                                starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10), budget=Decimal("40000"))
    await Customer.filter(id__in=[world.alices_customer.id, world.bobs_customer.id]).update(campaign_id=row.id)
    await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="张三 · 汉", campaign=row,
                             status=OpportunityStatus.WON, amount=Decimal("209800"))
    await Opportunity.create(customer=world.bobs_customer, owner=world.bob, title="李四 · 唐", campaign=row)
    return row


async def test_a_manager_reads_every_campaigns_numbers_in_the_list(client, world):
    await spring_show(world)
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/campaigns")
    assert page.status_code == 200
    assert_light_and_labelled(page.text)
    text = text_of(page.text)
    assert "营销活动" in text and "春季车展" in text and "车展" in text
    assert "线索 2" in text and "赢单 1" in text and "转化率 50%" in text
    assert "线索成本 ¥2万" in text and "成交成本 ¥4万" in text
    assert "新建活动" in text  # managers get the form
    assert 'href="/campaigns"' in page.text  # in the navigation


async def test_a_consultant_sees_the_list_with_their_own_counts_and_no_form(client, world):
    await spring_show(world)
    await sign_in(client, "bob", PASSWORD)
    text = text_of((await client.get("/campaigns")).text)
    assert "春季车展" in text
    assert "线索 1" in text and "赢单 0" in text
    assert "线索成本" not in text and "新建活动" not in text
    assert "只统计您自己的客户" in text


async def test_the_campaign_page_shows_the_numbers_leads_and_deals(client, world):
    row = await spring_show(world)
    await sign_in(client, "root", PASSWORD)
    page = await client.get(f"/campaigns/{gid('Campaign', row)}")
    assert page.status_code == 200
    assert_light_and_labelled(page.text)
    text = text_of(page.text)
    for number, label in [("2", "线索"), ("2", "商机"), ("1", "成交数"), ("50%", "转化率"), ("¥2万", "单条线索成本"),
                          ("¥4万", "单笔成交成本")]:
        assert f"{number} {label}" in text, (number, label)
    assert f'href="/customers/{gid("Customer", world.alices_customer)}"' in page.text
    assert "张三 · 汉" in text and "李四 · 唐" in text
    assert "编辑活动" in text


async def test_a_consultants_campaign_page_lists_only_their_leads(client, world):
    row = await spring_show(world)
    await sign_in(client, "bob", PASSWORD)
    page = await client.get(f"/campaigns/{gid('Campaign', row)}")
    text = text_of(page.text)
    assert "李四" in text and "张三" not in text
    assert "编辑活动" not in text and "单条线索成本" not in text


async def test_leads_scroll_in_pages(client, world):
    row = await spring_show(world)
    for i in range(25):
        await Customer.create(name=f"线索{i:02d}", owner=world.anna, team=world.team_a, campaign=row)
    await sign_in(client, "anna", PASSWORD)
    url = f"/campaigns/{gid('Campaign', row)}"
    first = await client.get(url)
    more = re.search(r'hx-get="([^"]+after=[^"]+)"', first.text).group(1).replace("&amp;", "&")
    nxt = await client.get(more, headers=HTMX)
    assert nxt.status_code == 200 and "<html" not in nxt.text
    shown = set(re.findall(r"线索\d\d", first.text)) | set(re.findall(r"线索\d\d", nxt.text))
    assert len(shown) == 25


async def test_a_manager_creates_a_campaign_and_a_bad_form_says_which_field(client, world):
    await sign_in(client, "anna", PASSWORD)
    token = await session_csrf(client)
    bad = await client.post("/campaigns", data={"csrf_token": token, "name": "抖音直播", "code": "LIVE 1",
                                                "channel": "DOUYIN", "startsOn": "2026-05-02", "endsOn": "2026-05-01",
                                                "budget": "-3"})
    assert bad.status_code == 422
    text = text_of(bad.text)
    assert "请填写预算" in text
    assert 'value="抖音直播"' in bad.text  # what was typed stays
    code = await client.post("/campaigns", data={"csrf_token": token, "name": "抖音直播", "code": "LIVE 1",
                                                 "channel": "DOUYIN", "startsOn": "2026-05-02", "budget": "8000"})
    assert code.status_code == 422 and "请填写活动代码" in code.text
    dates = await client.post("/campaigns", data={"csrf_token": token, "name": "抖音直播", "code": "LIVE-1",
                                                  "channel": "DOUYIN", "startsOn": "2026-05-02",
                                                  "endsOn": "2026-05-01", "budget": "8000"})
    assert dates.status_code == 422 and "结束日期不能早于开始日期" in dates.text
    good = await client.post("/campaigns", data={"csrf_token": token, "name": "抖音直播", "code": "LIVE-1",
                                                 "channel": "DOUYIN", "startsOn": "2026-05-02", "endsOn": "",
                                                 "budget": "8000"})
    assert good.status_code == 303
    row = await Campaign.get(code="LIVE-1")
    assert (row.name, row.budget, row.ends_on) == ("抖音直播", Decimal("8000.00"), None)
    assert good.headers["location"] == f"/campaigns/{gid('Campaign', row)}"
    duplicate = await client.post("/campaigns", data={"csrf_token": token, "name": "再来", "code": "LIVE-1",
                                                      "channel": "DOUYIN", "startsOn": "2026-05-02", "budget": "0"})
    assert duplicate.status_code == 422 and "已有其他活动使用这个代码" in duplicate.text


async def test_a_consultant_cannot_create_a_campaign_by_posting(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    response = await client.post("/campaigns", data={"csrf_token": token, "name": "私自", "code": "MINE",
                                                     "channel": "DOUYIN", "startsOn": "2026-05-02", "budget": "1"})
    assert response.status_code == 422
    assert "只有销售经理和管理员可以新建和修改活动" in response.text
    assert not await Campaign.filter(code="MINE").exists()


async def test_a_manager_edits_a_campaign_and_a_stale_form_is_a_conflict(client, world):
    row = await spring_show(world)
    await sign_in(client, "anna", PASSWORD)
    token = await session_csrf(client)
    url = f"/campaigns/{gid('Campaign', row)}"
    form = {"csrf_token": token, "name": "春季车展（加场）", "code": "SPRING", "channel": "AUTO_SHOW",
            "startsOn": "2026-03-01", "endsOn": "2026-03-12", "budget": "50000", "version": "1"}
    saved = await client.post(url, data=form)
    assert saved.status_code == 303
    assert "已保存" in (await client.get(saved.headers["location"])).text
    row = await Campaign.get(id=row.id)
    assert (row.name, row.ends_on, row.budget, row.version) == ("春季车展（加场）", date(2026, 3, 12), Decimal("50000.00"), 2)
    stale = await client.post(url, data={**form, "budget": "1"})
    assert stale.status_code == 409
    assert "有人修改了这个活动" in stale.text
    assert (await Campaign.get(id=row.id)).budget == Decimal("50000.00")


async def test_a_consultant_attributes_their_customer_from_the_customer_page(client, world):
    row = await Campaign.create(name="老带新", code="REFER", channel=Channel.REFERRAL, starts_on=date(2026, 1, 1))
    deal = await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="张三 · 汉")
    await sign_in(client, "alice", PASSWORD)
    customer = gid("Customer", world.alices_customer)
    page = await client.get(f"/customers/{customer}")
    assert f'href="/customers/{customer}/campaign"' in page.text
    form = await client.get(f"/customers/{customer}/campaign")
    assert form.status_code == 200 and "老带新 (REFER)" in form.text
    assert_light_and_labelled(form.text)
    token = await session_csrf(client)
    saved = await client.post(f"/customers/{customer}/campaign",
                              data={"csrf_token": token, "version": "1", "campaign": gid("Campaign", row)})
    assert saved.status_code == 303
    assert (await Customer.get(id=world.alices_customer.id)).campaign_id == row.id
    assert (await Opportunity.get(id=deal.id)).campaign_id == row.id
    detail = await client.get(f"/customers/{customer}")
    assert f'href="/campaigns/{gid("Campaign", row)}"' in detail.text and "老带新" in detail.text
    stale = await client.post(f"/customers/{customer}/campaign", data={"csrf_token": token, "version": "1", "campaign": ""})
    assert stale.status_code == 422 and "其他人修改了这位客户" in stale.text
    assert (await Customer.get(id=world.alices_customer.id)).campaign_id == row.id


async def test_a_consultant_cannot_attribute_someone_elses_customer(client, world):
    row = await Campaign.create(name="老带新", code="REFER", channel=Channel.REFERRAL, starts_on=date(2026, 1, 1))
    await sign_in(client, "alice", PASSWORD)
    bobs = gid("Customer", world.bobs_customer)
    assert (await client.get(f"/customers/{bobs}/campaign")).status_code == 404
    token = await session_csrf(client)
    response = await client.post(f"/customers/{bobs}/campaign",
                                 data={"csrf_token": token, "version": "1", "campaign": gid("Campaign", row)})
    assert response.status_code == 404
    assert (await Customer.get(id=world.bobs_customer.id)).campaign_id is None


async def test_an_unknown_campaign_is_not_found(client, world):
    await sign_in(client, "alice", PASSWORD)
    assert (await client.get("/campaigns/not-an-id")).status_code == 404
    assert (await client.get(f"/campaigns/{gid('Campaign', world.alices_customer)}")).status_code == 404

"""The deal page's quotes, test drives and objections: plain posts that redirect, HTMX swaps of one
section, the API's errors beside the field in Chinese, and nobody posting to another's deal."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.activity.models import Task
from server import enums
from server.sales import models
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.test_sales_pages import assert_light_and_labelled, catalog, open_deal
from tests.world import PASSWORD, gid

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def alices_deal(client, world):
    han, _ = await catalog()
    await sign_in(client, "alice", PASSWORD)
    return await open_deal(client, world, han), han


def two_items_financed(token: str, han, **overrides) -> dict:
    """汉 at 209,800 and window film at 5,000, less 14,800: 200,000, of which 100,000 is financed."""
    return {"csrf_token": token, "op": "save",
            "item-0-model": gid("VehicleModel", han), "item-0-description": "", "item-0-quantity": "1",
            "item-0-price": "209800", "item-0-priced_for": gid("VehicleModel", han),
            "item-1-model": "", "item-1-description": "全车贴膜", "item-1-quantity": "2", "item-1-price": "2500",
            "discount": "14800", "financed": "on", "down_payment": "100000", "term": "36", "rate": "3.99",
            "valid_until": "2030-01-31", **overrides}


async def test_the_deal_page_shows_the_three_sections_with_their_forms_folded(client, world):
    deal, han = await alices_deal(client, world)
    page = await client.get(deal)
    assert page.status_code == 200
    for title in ("报价", "试驾", "异议"):
        assert f">{title} <span" in page.text
    assert page.text.count('<details class="deal-form"') == 3  # 新建报价, 预约试驾, 添加异议: all folded
    assert "新建报价" in page.text and "预约试驾" in page.text and "添加异议" in page.text
    # The new quote starts from the deal's model at its guide price; the drive from the deal's model.
    assert re.search(r'id="item-0-price"[^>]*value="209800"', page.text)
    assert re.search(rf'<option value="{gid("VehicleModel", han)}" selected>比亚迪 汉 EV 冠军版', page.text)
    # Stage and close form stay first.
    assert page.text.index('id="stage"') < page.text.index('id="close"') < page.text.index('id="quotes"')
    assert_light_and_labelled(page.text)


async def test_a_quote_with_two_items_and_financing_shows_the_exact_monthly_payment(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    saved = await client.post(f"{deal}/quotes", data=two_items_financed(token, han))
    assert saved.status_code == 303 and saved.headers["location"].startswith(deal)
    page = await client.get(saved.headers["location"])
    assert "报价已保存" in page.text
    quote = page.text[page.text.index('<li class="quote"'):]
    assert "比亚迪 汉 EV 冠军版 × 1 · ¥209,800.00" in quote and "全车贴膜 × 2 · ¥2,500.00" in quote
    assert "¥200,000.00" in quote  # the total, less the discount
    assert "¥14,800.00" in quote and "¥100,000.00" in quote
    assert "36 个月，年利率 3.99%" in quote
    assert '<dd class="monthly-payment">¥2,951.95</dd>' in quote
    assert await models.Quote.all().count() == 1


async def test_a_rate_typed_without_ticking_financing_still_makes_a_loan(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    saved = await client.post(f"{deal}/quotes", headers=HTMX, data=two_items_financed(token, han, financed=""))
    assert saved.status_code == 200 and '<dd class="monthly-payment">¥2,951.95</dd>' in saved.text


async def test_add_an_item_rerenders_the_form_with_one_more_row_keeping_what_was_typed(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    form = two_items_financed(token, han, op="add_item")
    swapped = await client.post(f"{deal}/quotes", data=form, headers=HTMX)
    assert swapped.status_code == 200
    assert swapped.text.lstrip().startswith('<section id="quotes"')  # the section alone, for the swap
    assert 'id="item-2-model"' in swapped.text and 'value="全车贴膜"' in swapped.text
    assert '<details class="deal-form" open>' in swapped.text
    # The empty third row is ignored when saving.
    form = two_items_financed(token, han) | {"item-2-model": "", "item-2-description": "", "item-2-quantity": "1",
                                             "item-2-price": "", "item-2-priced_for": ""}
    saved = await client.post(f"{deal}/quotes", data=form, headers=HTMX)
    assert saved.status_code == 200 and "¥2,951.95" in saved.text and "报价已保存" in saved.text
    assert '<details class="deal-form" open>' not in saved.text  # a fresh, folded form
    assert await models.Quote.all().count() == 1


async def test_choosing_a_model_fills_its_guide_price(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    refreshed = await client.post(f"{deal}/quotes", headers=HTMX, data={
        "csrf_token": token, "op": "refresh", "item-0-model": gid("VehicleModel", han), "item-0-price": "",
        "item-0-quantity": "1", "item-0-priced_for": ""})
    assert re.search(r'id="item-0-price"[^>]*value="209800"', refreshed.text)


async def test_a_bad_rate_is_refused_beside_the_rate_field_and_nothing_is_saved(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    refused = await client.post(f"{deal}/quotes", data=two_items_financed(token, han, rate="150"))
    assert refused.status_code == 422
    error = re.search(r'<small class="error" id="rate-error">([^<]+)</small>', refused.text)
    assert error and "年利率" in error.group(1) and "99.9999" in error.group(1)
    assert 'id="quote-rate" name="rate" inputmode="decimal" value="150"' in refused.text  # kept for correcting
    assert '<details class="deal-form" open>' in refused.text
    not_a_number = await client.post(f"{deal}/quotes", data=two_items_financed(token, han, rate="abc"),
                                     headers=HTMX)
    assert not_a_number.status_code == 422
    assert re.search(r'id="rate-error">请输入数字', not_a_number.text)
    assert await models.Quote.all().count() == 0


async def test_a_discount_above_the_total_and_a_missing_price_are_named(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    refused = await client.post(f"{deal}/quotes", headers=HTMX, data=two_items_financed(
        token, han, discount="999999", financed=""))
    assert refused.status_code == 422 and re.search(r'id="discount-error">优惠[^<]*不能超过项目合计', refused.text)
    no_price = await client.post(f"{deal}/quotes", headers=HTMX, data=two_items_financed(
        token, han, **{"item-1-price": ""}))
    assert no_price.status_code == 422 and re.search(r'id="item-1-price-error">请填写单价', no_price.text)
    assert await models.Quote.all().count() == 0


async def test_a_test_drive_is_booked_in_the_viewers_zone_and_its_feedback_recorded(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    tomorrow = (datetime.now(SHANGHAI) + timedelta(days=1)).date()
    booked = await client.post(f"{deal}/test-drives", data={
        "csrf_token": token, "vehicle_model": gid("VehicleModel", han), "scheduled_at": f"{tomorrow}T10:30"})
    assert booked.status_code == 303
    drive = await models.TestDrive.get()
    assert drive.scheduled_at.astimezone(SHANGHAI).strftime("%H:%M") == "10:30"  # 10:30 Shanghai, stored in UTC
    assert await Task.filter(dedup_key=f"test-drive:{drive.id}").count() == 1  # on alice's 今日
    page = await client.get(booked.headers["location"])
    section = page.text[page.text.index('id="test-drives"'):page.text.index('id="objections"')]
    assert "试驾已预约" in section
    assert "明天 10:30" in section and "已预约" in section and "比亚迪 汉 EV 冠军版" in section
    assert "记录反馈" in section

    action = f"{deal}/test-drives/{gid('TestDrive', drive)}/feedback"
    refused = await client.post(action, headers=HTMX, data={"csrf_token": token, "status": "NO_SHOW", "rating": "4"})
    assert refused.status_code == 422 and "评分" in refused.text
    recorded = await client.post(action, headers=HTMX, data={
        "csrf_token": token, "status": "DONE", "rating": "5", "feedback": "加速很满意，后排略窄"})
    assert recorded.status_code == 200 and recorded.text.lstrip().startswith('<section id="test-drives"')
    assert "已完成" in recorded.text and "评分 5 / 5" in recorded.text and "加速很满意，后排略窄" in recorded.text
    assert "记录反馈" not in recorded.text
    drive = await models.TestDrive.get()
    assert (drive.status, drive.rating) == (enums.TestDriveStatus.DONE, 5)


async def test_a_test_drive_in_the_past_is_refused_beside_the_time(client, world):
    deal, han = await alices_deal(client, world)
    token = await session_csrf(client)
    last_week = (datetime.now(SHANGHAI) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    refused = await client.post(f"{deal}/test-drives", headers=HTMX, data={
        "csrf_token": token, "vehicle_model": gid("VehicleModel", han), "scheduled_at": last_week})
    assert refused.status_code == 422
    assert re.search(r'id="drive-at-error">试驾须预约在现在或以后', refused.text)
    assert await models.TestDrive.all().count() == 0


async def test_an_objection_is_added_and_resolved_in_one_tap(client, world):
    deal, _ = await alices_deal(client, world)
    token = await session_csrf(client)
    empty = await client.post(f"{deal}/objections", headers=HTMX, data={"csrf_token": token, "category": "价格",
                                                                         "text": " "})
    assert empty.status_code == 422 and 'id="text-error"' in empty.text
    added = await client.post(f"{deal}/objections", data={"csrf_token": token, "category": "价格",
                                                          "text": "比竞品贵两万"})
    assert added.status_code == 303
    page = await client.get(added.headers["location"])
    assert "异议已添加" in page.text
    row = re.search(r'<li class="objection" id="objection-([^"]+)">(.*?)</li>', page.text, re.S)
    assert row and "价格" in row.group(2) and "比竞品贵两万" in row.group(2) and "未解决" in row.group(2)
    resolved = await client.post(f"{deal}/objections/{row.group(1)}/resolve", headers=HTMX,
                                 data={"csrf_token": token})
    assert resolved.status_code == 200
    assert resolved.text.lstrip().startswith(f'<li class="objection resolved" id="objection-{row.group(1)}">')
    assert "已解决" in resolved.text and "标记为已解决" not in resolved.text
    assert (await models.Objection.get()).resolved is True


async def test_a_consultant_cannot_post_to_another_consultants_deal(client, world):
    deal, han = await alices_deal(client, world)
    await client.post(f"{deal}/objections", data={"csrf_token": await session_csrf(client), "category": "品牌",
                                                  "text": "更想要合资品牌"})
    objection = gid("Objection", await models.Objection.get())
    await client.post("/logout", data={"csrf_token": await session_csrf(client)})
    await sign_in(client, "bob", PASSWORD)
    token = await session_csrf(client)
    assert (await client.get(deal)).status_code == 404
    posts = [(f"{deal}/quotes", two_items_financed(token, han)),
             (f"{deal}/test-drives", {"csrf_token": token, "scheduled_at": "2030-01-01T10:00"}),
             (f"{deal}/objections", {"csrf_token": token, "category": "价格", "text": "太贵"}),
             (f"{deal}/objections/{objection}/resolve", {"csrf_token": token})]
    for url, data in posts:
        assert (await client.post(url, data=data)).status_code == 404, url
    assert await models.Quote.all().count() == 0 and await models.TestDrive.all().count() == 0
    assert await models.Objection.all().count() == 1 and (await models.Objection.get()).resolved is False

"""客户 pages: search, filters, scrolling, the customer page, logging a contact, new and edit."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tortoise.timezone import now

from server.activity.models import Interaction, Task
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.portrait.models import CustomerTag, Tag
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.realistic import busy_consultant
from tests.world import PASSWORD, gid, gql


def names_in(html: str) -> list[str]:
    return re.findall(r'<a class="row-link" href="/customers/[^"]+">\s*<span class="row-head"><strong>([^<]+)</strong>', html)


async def test_search_finds_a_customer_by_name_pinyin_initials_and_phone_tail(client, world):
    await sign_in(client, "alice", PASSWORD)
    for query in ("张三", "zhangsan", "zs", "ZS", "8000"):
        html = (await client.get("/customers", params={"q": query}, headers=HTMX)).text
        assert names_in(html) == ["张三"], query
    # 王五 is in the pool, which consultants see; bob's 李四 is not theirs to find.
    assert names_in((await client.get("/customers", params={"q": "lisi"}, headers=HTMX)).text) == []
    assert "没有符合条件的客户" in (await client.get("/customers", params={"q": "lisi"})).text


async def test_filters_narrow_the_list_and_unknown_values_are_ignored(client, world):
    tag = await Tag.create(name="二胎家庭", category="BEHAVIOR")
    await CustomerTag.create(customer=world.alices_customer, tag=tag)
    await Customer.filter(id=world.alices_customer.id).update(grade="A", intent="STRONG")
    await sign_in(client, "alice", PASSWORD)
    assert names_in((await client.get("/customers", params={"grade": "A"})).text) == ["张三"]
    assert names_in((await client.get("/customers", params={"intent": "STRONG", "tag": "二胎家庭"})).text) == ["张三"]
    assert names_in((await client.get("/customers", params={"lifecycle": "CUSTOMER"})).text) == []
    assert sorted(names_in((await client.get("/customers", params={"grade": "Z", "tier": "??"})).text)) == ["张三", "王五"]
    page = (await client.get("/customers", params={"tag": "二胎家庭"})).text
    assert '<option value="二胎家庭" selected>' in page and "<details class=\"filters\" open>" in page


async def test_the_list_scrolls_in_pages_of_twenty(client, world):
    await busy_consultant(world.alice, customers=25, interactions=1)
    await sign_in(client, "alice", PASSWORD)
    first = (await client.get("/customers")).text
    assert len(names_in(first)) == 20 and "共 27 位客户" in first
    sentinel = re.search(r'<li class="more">\s*<a href="([^"]+)" hx-get="([^"]+)" hx-trigger="revealed"', first)
    assert sentinel and sentinel.group(1) == sentinel.group(2)
    rows = (await client.get(sentinel.group(1).replace("&amp;", "&"), headers=HTMX)).text
    assert rows.lstrip().startswith("<li>") and "<ul" not in rows and 'class="more"' not in rows
    assert len(names_in(rows)) == 7 and set(names_in(rows)).isdisjoint(names_in(first))


async def test_logging_a_call_swaps_in_the_timeline_with_it_on_top_and_schedules_the_follow_up(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    customer = gid("Customer", world.alices_customer)
    tomorrow = (now().astimezone(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()
    response = await client.post(f"/customers/{customer}/interactions", headers={**HTMX, "X-CSRF-Token": token},
                                 data={"kind": "CALL", "summary": "客户确认周六试驾", "next_follow_up": tomorrow})
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<details id="log" class="log-sheet">')  # closed and empty again
    assert 'id="timeline-section"' in html and 'id="follow-up"' in html and html.count('hx-swap-oob="true"') == 3  # + 建议
    entries = re.findall(r'<li class="entry"[\s\S]*?</li>', html)
    assert "客户确认周六试驾" in entries[0] and "电话" in entries[0] and "first call" in entries[1]
    assert "下次跟进：明天 09:00" in html
    stored = await Interaction.filter(summary="客户确认周六试驾").first()
    assert stored.channel == "PHONE" and stored.user_id == world.alice.id
    today = (await client.get("/")).text
    upcoming = today[today.index('id="upcoming"'):today.index('id="new-leads"')]
    assert "张三" in upcoming and "明天 09:00" in upcoming
    # The call was the follow-up that was due: it is done.
    assert (await Task.get(id=world.alices_task.id)).status == "DONE"


async def test_a_log_without_a_kind_or_with_a_past_date_shows_the_form_again_with_reasons(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    customer = gid("Customer", world.alices_customer)
    headers = {**HTMX, "X-CSRF-Token": token}
    no_kind = await client.post(f"/customers/{customer}/interactions", headers=headers, data={"summary": "留着"})
    assert no_kind.status_code == 422 and "请选择跟进方式" in no_kind.text and ">留着</textarea>" in no_kind.text
    assert '<details id="log" class="log-sheet" open>' in no_kind.text
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    past = await client.post(f"/customers/{customer}/interactions", headers=headers,
                             data={"kind": "VISIT", "summary": "x", "next_follow_up": yesterday})
    assert past.status_code == 422 and "下次跟进时间必须晚于现在" in past.text
    assert await Interaction.filter(customer_id=world.alices_customer.id).count() == 1


async def test_a_pool_customer_cannot_be_logged_by_a_consultant_and_the_page_says_why(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    pool = gid("Customer", world.pool_customer)
    page = await client.get(f"/customers/{pool}")
    assert page.status_code == 200 and "公海客户" in page.text
    refused = await client.post(f"/customers/{pool}/interactions", headers={**HTMX, "X-CSRF-Token": token},
                                data={"kind": "CALL", "summary": "x"})
    assert refused.status_code == 422 and "请先从公海认领" in refused.text


async def test_revealing_the_phone_gives_a_tel_link_and_is_audited(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    customer = gid("Customer", world.alices_customer)
    page = (await client.get(f"/customers/{customer}")).text
    assert "138****8000" in page and "tel:" not in page
    revealed = await client.post(f"/customers/{customer}/phone", headers={**HTMX, "X-CSRF-Token": token})
    assert revealed.text.lstrip().startswith('<div id="phone"') and 'href="tel:13800138000"' in revealed.text
    assert await AuditLog.filter(action="reveal", object_id=str(world.alices_customer.id)).count() == 1
    # A pool customer's number stays hidden from a consultant.
    pool = await client.post(f"/customers/{gid('Customer', world.pool_customer)}/phone",
                             headers={**HTMX, "X-CSRF-Token": token})
    assert "tel:" not in pool.text and "你无权查看完整号码" in pool.text


async def test_completing_a_reminder_refreshes_today(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    task = gid("Task", world.alices_task)
    assert "回访张三" in (await client.get("/")).text
    done = await client.post(f"/tasks/{task}/complete", headers={**HTMX, "X-CSRF-Token": token})
    assert done.text.lstrip().startswith('<div id="today"') and "回访张三" not in done.text and "已完成" in done.text
    again = await client.post(f"/tasks/{task}/complete", data={"csrf_token": token})
    assert again.status_code == 303


async def test_a_new_customer_is_created_and_opened(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    created = await client.post("/customers/new", data={
        "csrf_token": token, "name": "赵六", "phone": "135 0013 5000", "lifecycle": "LEAD", "channel": "SHOWROOM",
        "gender": "UNKNOWN", "intent": "STRONG", "grade": "", "valueTier": "", "budgetMin": "15", "budgetMax": "22.5",
        "interestedModels": "汉EV、Model Y", "purchaseTimeframe": "", "city": "杭州", "notes": ""})
    assert created.status_code == 303
    customer = await Customer.get(name="赵六")
    assert (customer.budget_min, customer.budget_max, customer.interested_models) == (150000, 225000, ["汉EV", "Model Y"])
    assert customer.owner_id == world.alice.id and customer.channel == "SHOWROOM" and customer.intent == "STRONG"
    page = (await client.get(created.headers["location"])).text
    assert "赵六" in page and "135****5000" in page


async def test_the_new_form_offers_the_customer_who_already_has_the_phone(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    hint = await client.get("/customers/phone-check", params={"phone": "138-0013-8000"}, headers=HTMX)
    assert hint.text.lstrip().startswith('<div id="phone-match"') and "张三" in hint.text
    assert f'href="/customers/{gid("Customer", world.alices_customer)}"' in hint.text
    assert "张三" not in (await client.get("/customers/phone-check", params={"phone": "138"}, headers=HTMX)).text
    # Someone else's customer is not offered, but the duplicate is still refused.
    assert "李四" not in (await client.get("/customers/phone-check", params={"phone": "13900139000"}, headers=HTMX)).text
    duplicate = await client.post("/customers/new", data={"csrf_token": token, "name": "张三三", "phone": "13800138000"})
    assert duplicate.status_code == 422 and "已有客户使用此手机号" in duplicate.text and "打开 张三" in duplicate.text
    assert 'value="张三三"' in duplicate.text


async def test_a_new_customer_without_a_name_or_with_a_bad_budget_is_refused_field_by_field(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    refused = await client.post("/customers/new", data={"csrf_token": token, "name": "", "budgetMin": "很多",
                                                        "phone": "12345"})
    assert refused.status_code == 422
    assert "请以万元为单位填写预算" in refused.text
    refused = await client.post("/customers/new", data={"csrf_token": token, "name": "", "phone": "12345"})
    assert "请填写客户姓名" in refused.text and "这不是有效的手机号" in refused.text
    assert 'id="name" name="name" value="" required maxlength="100" autocomplete="off" aria-invalid="true"' in refused.text
    assert await Customer.all().count() == 3


async def test_editing_saves_only_what_changed(client, world):
    await Customer.filter(id=world.alices_customer.id).update(field_sources={"city": {"channel": "WEBSITE"}}, city="北京")
    await sign_in(client, "alice", PASSWORD)
    customer = gid("Customer", world.alices_customer)
    form = (await client.get(f"/customers/{customer}/edit")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    saved = await client.post(f"/customers/{customer}/edit", data={
        "csrf_token": token, "version": version, "name": "张三", "phone": "", "lifecycle": "PROSPECT",
        "channel": "OTHER", "gender": "MALE", "intent": "", "grade": "B", "valueTier": "", "budgetMin": "",
        "budgetMax": "", "interestedModels": "", "purchaseTimeframe": "", "city": "北京", "notes": ""})
    assert saved.status_code == 303
    stored = await Customer.get(id=world.alices_customer.id)
    assert (stored.lifecycle, stored.grade, stored.phone) == ("PROSPECT", "B", "+8613800138000")
    # The untouched city keeps the channel it came from.
    assert stored.field_sources == {"city": {"channel": "WEBSITE"}}


async def test_editing_after_someone_else_saved_shows_a_conflict_and_their_values(client, world):
    await sign_in(client, "alice", PASSWORD)
    customer = gid("Customer", world.alices_customer)
    form = (await client.get(f"/customers/{customer}/edit")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    # A manager saves first.
    other = await gql('mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { errors { code } } }',
                      world.p(world.anna), i={"id": customer, "version": int(version), "grade": "A"})
    assert other.data["updateCustomer"]["errors"] == []
    mine = {"csrf_token": token, "version": version, "name": "张三", "lifecycle": "LEAD", "channel": "OTHER",
            "gender": "MALE", "grade": "C", "city": "上海"}
    conflict = await client.post(f"/customers/{customer}/edit", data=mine)
    assert conflict.status_code == 409
    assert "其他人修改了这位客户" in conflict.text and "当前已保存：A级" in conflict.text
    assert (await Customer.get(id=world.alices_customer.id)).grade == "A"
    # Saving again, having seen theirs, keeps mine.
    newer = re.search(r'name="version" value="(\d+)"', conflict.text).group(1)
    assert int(newer) == int(version) + 1
    assert (await client.post(f"/customers/{customer}/edit", data={**mine, "version": newer})).status_code == 303
    assert (await Customer.get(id=world.alices_customer.id)).grade == "C"


async def test_a_long_summary_is_shortened_on_the_timeline_and_readable_in_full(client, world):
    long_text = "试驾体验很好，" * 80
    await Interaction.filter(id=world.alices_interaction.id).update(summary=long_text)
    await sign_in(client, "alice", PASSWORD)
    customer = gid("Customer", world.alices_customer)
    page = (await client.get(f"/customers/{customer}")).text
    assert long_text not in page and "查看全文" in page
    entry = gid("Interaction", world.alices_interaction)
    full = await client.get(f"/customers/{customer}/interactions/{entry}")
    assert long_text in full.text
    # The same entry under another customer's URL is not found.
    other = await client.get(f"/customers/{gid('Customer', world.pool_customer)}/interactions/{entry}")
    assert other.status_code == 404


async def test_the_timeline_scrolls_to_older_entries(client, world):
    customer = gid("Customer", (await busy_consultant(world.alice, customers=1, interactions=25))[0])
    await sign_in(client, "alice", PASSWORD)
    page = (await client.get(f"/customers/{customer}")).text
    assert page.count('<li class="entry"') == 20
    older = re.search(r'<li class="more">\s*<a href="([^"]+)" hx-get="\1" hx-trigger="revealed"', page).group(1)
    rows = (await client.get(older.replace("&amp;", "&"), headers=HTMX)).text
    assert rows.lstrip().startswith('<li class="entry"') and rows.count('<li class="entry"') == 5
    assert 'class="more"' not in rows and "<html" not in rows
    # Without JavaScript the same link is a page of its own.
    assert (await client.get(older.replace("&amp;", "&"))).text.count('<li class="entry"') == 5

"""A consultant's day on a phone, in headless Chromium at 390×844."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def shanghai_tomorrow() -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()


def test_a_consultant_finds_a_customer_logs_a_call_and_sees_the_follow_up_on_today(page):
    sign_in(page, "alice")
    expect(page.locator("h1")).to_contain_text("今日")

    page.get_by_role("link", name="客户").click()
    page.get_by_role("searchbox", name="搜索客户").fill("zs")  # pinyin initials of 张三
    expect(page.get_by_role("status")).to_have_text("共 1 位客户")
    expect(page).to_have_url(re.compile(r"/customers\?q=zs$"))
    page.locator("#results").get_by_role("link", name=re.compile("张三")).click()

    expect(page.locator("h2.customer-name")).to_have_text("张三")
    expect(page.locator("#phone")).to_contain_text("138****8000")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_text("记录跟进").click()  # tap 1
    page.locator("#log label.chip", has_text="电话").click()  # tap 2
    expect(page.get_by_role("radio", name="电话")).to_be_checked()
    page.get_by_label("沟通内容").fill("电话沟通，客户确认周六上午来店试驾汉EV")
    page.get_by_label("下次跟进日期（可选）").fill(shanghai_tomorrow())
    page.get_by_role("button", name="保存").click()

    first_entry = page.locator("#timeline > li.entry").first
    expect(first_entry).to_contain_text("电话沟通，客户确认周六上午来店试驾汉EV")
    expect(first_entry).to_contain_text("下次跟进：明天 09:00")
    expect(page.locator("#follow-up")).to_contain_text("下次跟进：明天 09:00")
    expect(page.locator("[role=status]")).to_contain_text("已保存")
    expect(page.locator("#log")).not_to_have_attribute("open", "")
    assert page.evaluate("window.stillTheSamePage") is True, "the page reloaded"

    page.get_by_role("link", name="今日").click()
    upcoming = page.locator("#upcoming")
    expect(upcoming).to_contain_text("张三")
    expect(upcoming).to_contain_text("明天 09:00")
    # The call was the follow-up due today, so it is off the list.
    expect(page.locator("#follow-ups")).not_to_contain_text("回访张三")


def test_a_consultant_cannot_open_another_consultants_customer_by_url(page):
    sign_in(page, "bob")
    page.get_by_role("link", name="客户").click()
    page.get_by_role("link", name=re.compile("李四")).click()
    bobs_url = page.url
    page.context.clear_cookies()

    sign_in(page, "amy")
    response = page.goto(bobs_url)
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("页面不存在，或你无权查看")
    expect(page.locator("body")).not_to_contain_text("李四")


def test_switching_to_english_changes_the_labels_and_stays(page):
    # root, whom no other test signs in as: the choice is saved on the user.
    sign_in(page, "root")
    tabs = page.get_by_role("navigation", name="主导航")
    expect(tabs).to_contain_text("今日")
    page.locator("details.account > summary").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Today")
    expect(page.locator("h1")).to_contain_text("Today")
    page.get_by_role("link", name="Customers").click()
    expect(page.get_by_role("searchbox", name="Search customers")).to_be_visible()
    # Remembered: a new session starts in English.
    page.context.clear_cookies()
    sign_in(page, "root")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Customers")


def test_the_customer_list_loads_more_as_you_scroll(page):
    sign_in(page, "alice")
    page.goto("/customers")
    rows = page.locator("#customer-list > li:not(.more)")
    expect(rows).to_have_count(20)
    page.locator("#customer-list > li.more").scroll_into_view_if_needed()
    expect(rows).to_have_count(32)
    expect(page.locator("#customer-list > li.more")).to_have_count(0)


def test_reading_works_without_javascript(page_without_js):
    page = page_without_js
    sign_in(page, "alice")
    page.goto("/customers")
    page.get_by_role("searchbox", name="搜索客户").fill("zhangsan")
    page.get_by_role("searchbox", name="搜索客户").press("Enter")
    page.get_by_role("link", name=re.compile("张三")).click()
    expect(page.locator("h2.customer-name")).to_have_text("张三")
    expect(page.locator("#timeline > li.entry").first).to_be_visible()


def test_a_refused_log_shows_why_in_the_open_sheet(page):
    sign_in(page, "alice")
    page.goto("/customers?q=wangwu")  # 王五, in the public pool: alice may read it, not log on it
    page.locator("#results").get_by_role("link", name=re.compile("王五")).click()
    page.get_by_text("记录跟进").click()
    page.locator("#log label.chip", has_text="到店").click()
    page.get_by_label("沟通内容").fill("路过门店")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#log [role=alert]")).to_contain_text("请先从公海认领")
    expect(page.locator("#log")).to_have_attribute("open", "")
    expect(page.get_by_label("沟通内容")).to_have_value("路过门店")

"""话术 on a phone: a manager writes one, the customer page offers it rendered, 复制 copies it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def _open_zhang(page):
    page.get_by_role("link", name="客户", exact=True).click()
    page.get_by_role("searchbox", name="搜索客户").fill("zs")
    page.locator("#results").get_by_role("link", name=re.compile("张三")).click()


def test_a_manager_writes_a_talking_point_and_copy_puts_the_rendered_text_on_the_clipboard(page, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    sign_in(page, "anna")
    page.goto("/settings/templates")
    new = page.locator("form[action='/settings/templates']")
    new.get_by_label("标题").fill("开场问候")
    new.get_by_label("内容").fill("{{ salutation }}您好，我是{{ owner }}，想跟您约个时间看车。")
    new.get_by_role("button", name="添加").click()
    expect(page.get_by_role("status")).to_contain_text("已添加：开场问候")

    _open_zhang(page)
    section = page.locator("section.talking-points")
    expect(section).to_contain_text("推荐话术")
    expect(section).to_contain_text("张先生您好，我是alice，想跟您约个时间看车。")
    section.get_by_role("button", name="复制").first.click()
    expect(section.get_by_role("button", name="已复制")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "张先生您好，我是alice，想跟您约个时间看车。"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_the_text_is_there_and_no_dead_button(page_without_js):
    page = page_without_js
    sign_in(page, "alice")
    page.goto("/customers?q=zs")
    page.locator("a", has_text="张三").first.click()
    section = page.locator("section.talking-points")
    expect(section).to_contain_text("张先生您好")
    expect(section.get_by_role("button", name="复制")).to_be_hidden()

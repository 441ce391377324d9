"""建议 on a phone: a logged note's facts appear under the profile and 采纳 takes one tap."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_a_consultant_logs_a_note_and_accepts_what_it_suggests_with_one_tap(page):
    sign_in(page, "alice")
    page.get_by_role("link", name="客户", exact=True).click()
    page.get_by_role("searchbox", name="搜索客户").fill("zs")
    page.locator("#results").get_by_role("link", name=re.compile("张三")).click()
    page.get_by_text("记录跟进").click()
    page.locator("#log label.chip", has_text="电话").click()
    page.get_by_label("沟通内容").fill("客户想要SUV，预算20-30万，也在看小米SU7")
    page.get_by_role("button", name="保存").click()

    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("建议")
    expect(suggestions).to_contain_text("意向:SUV")
    expect(suggestions).to_contain_text("竞品:小米 SU7")
    page.get_by_role("button", name="采纳 意向:SUV").click()  # one tap
    expect(page.locator("#portrait .tags")).to_contain_text("意向:SUV")
    expect(suggestions).not_to_contain_text("意向:SUV")
    page.get_by_role("button", name="忽略 竞品:小米 SU7").click()
    expect(suggestions).not_to_contain_text("小米")
    expect(suggestions).to_contain_text("预算:20-30万")

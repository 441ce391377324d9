"""A deal on a phone, in headless Chromium at 390×844: open it, move it, lose it to a competitor."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, sign_in


def test_a_consultant_opens_a_deal_moves_it_two_stages_and_closes_it_lost(page):
    sign_in(page, "bob")
    page.goto("/customers")
    page.get_by_role("link", name=re.compile("卫青")).first.click()
    expect(page.locator("h2.customer-name")).to_have_text("卫青")

    page.get_by_text("新建商机").click()
    page.get_by_label("车型").select_option(label="比亚迪 汉 EV 冠军版")
    page.get_by_label("金额（元）").fill("209800")
    page.get_by_label("预计成交日期").fill("2030-06-30")
    page.get_by_role("button", name="创建商机").click()
    expect(page).to_have_url(re.compile(r"/opportunities/"))
    expect(page.locator("#stage [aria-current=step]")).to_have_text("初步接触")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Each move swaps the stage block in place (HTMX) and keeps the close form's version current.
    page.get_by_role("button", name="下一阶段：需求确认").click()
    expect(page.locator("#stage [aria-current=step]")).to_have_text("需求确认")
    page.get_by_role("button", name="下一阶段：产品介绍").click()
    expect(page.locator("#stage [aria-current=step]")).to_have_text("产品介绍")

    page.get_by_label("战败", exact=True).check()
    page.get_by_label("战败原因").select_option(label="选择竞品 （需填写竞品）")
    page.get_by_label("竞品品牌（战败时填写）").fill("特斯拉")
    page.get_by_label("竞品车型（战败时填写）").fill("Model 3")
    page.get_by_role("button", name="结案").click()
    expect(page.locator("#opportunity-status")).to_have_text("战败")
    expect(page.locator("dl.facts")).to_contain_text("特斯拉 Model 3")

    page.get_by_role("link", name="卫青").click()
    deals = page.locator("#deals")
    expect(deals).to_contain_text("战败")
    expect(deals).to_contain_text("产品介绍")

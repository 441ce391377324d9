"""A deal on a phone, in headless Chromium at 390×844: open it, move it to 报价谈判, lose it to a competitor;
then the team's manager finds that loss in the win/loss analysis in three taps."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, _new_page, sign_in


def test_a_consultant_opens_a_deal_moves_it_to_negotiation_and_closes_it_lost(page, browser, server):
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
    page.get_by_role("button", name="下一阶段：试驾体验").click()
    expect(page.locator("#stage [aria-current=step]")).to_have_text("试驾体验")
    page.get_by_role("button", name="下一阶段：报价谈判").click()
    expect(page.locator("#stage [aria-current=step]")).to_have_text("报价谈判")

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
    expect(deals).to_contain_text("报价谈判")

    # bert manages bob's team: 更多 → 赢单/战败分析 (this month by default) → 竞品 → the row → the deal.
    context, manager = _new_page(browser, server)
    foreign = []
    manager.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((server, "data:")) else None)
    try:
        sign_in(manager, "bert")
        manager.get_by_text("更多").click()
        manager.get_by_role("link", name="赢单/战败分析").click()
        expect(manager.get_by_role("heading", name="赢单/战败分析")).to_be_visible()
        expect(manager.locator(".periods [aria-current]")).to_have_text("本月")
        expect(manager.get_by_role("link", name="上月")).to_be_visible()
        manager.get_by_role("link", name="竞品", exact=True).click()
        row = manager.locator("#win-loss-table tbody tr", has_text="特斯拉 Model 3")
        expect(row.locator("td").nth(1)).to_have_text("1")  # lost
        expect(row.locator("td").nth(0)).to_have_text("0")  # won
        # The chart is drawn from the table by the local ECharts (as SVG, so its labels are text).
        expect(manager.locator("#chart svg")).to_contain_text("特斯拉 Model 3")
        assert manager.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        row.get_by_role("link", name="特斯拉 Model 3", exact=True).click()
        expect(manager.locator("#drill-title")).to_have_text("特斯拉 Model 3")
        manager.get_by_role("link", name=re.compile("卫青 · 比亚迪 汉")).click()
        expect(manager.locator("#opportunity-status")).to_have_text("战败")
        expect(manager.locator("dl.facts")).to_contain_text("特斯拉 Model 3")
    finally:
        context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"

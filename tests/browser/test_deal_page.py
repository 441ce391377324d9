"""A deal's quotes, test drives and objections on a phone, in headless Chromium at 390×844: every
folded form opened fits without sideways scrolling, with thumb-sized targets; then a quote of two
items with financing is made, the model's guide price filled in by choosing it."""

import re

from playwright.sync_api import expect

from tests.browser.audit import LOW_CONTRAST, NO_FOCUS_RING, SMALL_TARGETS
from tests.browser.conftest import PHONE, sign_in


def fits_a_phone(page, what: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{what} scrolls sideways"
    assert page.evaluate(SMALL_TARGETS) == [], (what, page.evaluate(SMALL_TARGETS))
    assert page.evaluate(LOW_CONTRAST) == [], what
    assert page.evaluate(NO_FOCUS_RING) == [], what


def test_a_deal_page_with_its_forms_open_fits_a_phone_and_makes_a_financed_quote(page):
    sign_in(page, "amy")  # amy's 霍光 · 唐 is in 报价谈判; the board test moves only 霍光 · 汉
    page.goto("/opportunities")
    page.locator("#column-negotiation a.row-link", has_text="霍光").click()
    expect(page).to_have_url(re.compile(r"/opportunities/[^/]+$"))
    expect(page.get_by_role("heading", name=re.compile("^报价"))).to_be_visible()
    for details in page.locator("main details").all():
        details.evaluate("d => d.open = true")
    fits_a_phone(page, "deal page, forms open")

    # Choosing the model swaps the quotes section (HTMX) with the model's guide price filled in.
    page.get_by_label("车型（第 1 项）").select_option(label="比亚迪 汉 EV 冠军版")
    expect(page.get_by_label("单价（元）").first).to_have_value("209800")
    page.get_by_role("button", name="添加一项").click()
    expect(page.get_by_label("说明（第 2 项）")).to_be_visible()
    page.get_by_label("说明（第 2 项）").fill("全车贴膜")
    page.locator("#item-1-quantity").fill("2")
    page.locator("#item-1-price").fill("2500")
    page.get_by_label("优惠金额（元）").fill("14800")
    page.get_by_label("分期付款（贷款）").check()
    page.get_by_label("首付（元）").fill("100000")
    page.get_by_label("期数", exact=True).select_option(label="36 个月")
    page.get_by_label("年利率（%）").fill("3.99")
    fits_a_phone(page, "quote form with two items")
    page.get_by_role("button", name="保存报价").click()

    quote = page.locator("#quotes li.quote").first
    expect(quote.locator(".monthly-payment")).to_have_text("¥2,951.95")
    expect(quote).to_contain_text("36 个月，年利率 3.99%")
    expect(quote).to_contain_text("全车贴膜 × 2")
    expect(page.locator("#quotes [role=status]")).to_have_text("报价已保存。")
    fits_a_phone(page, "deal page with a quote")

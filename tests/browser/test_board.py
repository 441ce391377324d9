"""The opportunity board on a phone, in headless Chromium at 390×844: no sideways scrolling,
the stage chips narrow it to one stage, and a card moves to the next stage in place."""

import re

from playwright.sync_api import expect

from tests.browser.audit import LOW_CONTRAST, NO_FOCUS_RING, SMALL_TARGETS
from tests.browser.conftest import PHONE, sign_in


def test_the_board_fits_a_phone_and_a_card_moves_to_the_next_stage(page):
    sign_in(page, "amy")
    page.locator(".tab-more > summary").click()
    page.locator(".more-menu").get_by_role("link", name="商机").click()
    expect(page).to_have_url(re.compile(r"/opportunities$"))
    initial = page.locator("#column-initial_contact")
    expect(initial.locator(".column-count")).to_have_text("1 个商机")
    expect(initial.locator(".deal-card")).to_contain_text("霍光")
    expect(page.locator("#column-negotiation .column-count")).to_have_text("1 个商机")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TARGETS) == []

    # The move swaps the board in place (HTMX): the card leaves 初步接触 and the counts follow.
    page.get_by_role("button", name="将 霍光 · 汉 推进到需求确认").click()
    expect(page.locator("#column-needs_confirmed .deal-card")).to_contain_text("霍光")
    expect(initial.locator(".column-count")).to_have_text("0 个商机")
    expect(page.locator("#column-needs_confirmed .column-count")).to_have_text("1 个商机")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # One stage at a time, from the chips.
    page.locator(".stage-chips").get_by_role("link", name=re.compile("报价谈判")).click()
    expect(page.locator(".board-column")).to_have_count(1)
    expect(page.locator("#column-negotiation .deal-card")).to_contain_text("霍光")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_managers_pages_fit_a_phone_with_big_targets_and_readable_text(page):
    sign_in(page, "anna")
    for url in ["/opportunities", "/opportunities/loss-requests", "/settings/close-reasons",
                "/settings/assignment-rules", "/customers", "/rules", "/rules/new", "/analytics/win-loss",
                "/analytics/funnel", "/showroom", "/campaigns"]:
        page.goto(url)
        for details in page.locator("main details").all():
            details.evaluate("d => d.open = true")  # audit the folded parts too
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{url} scrolls sideways"
        assert page.evaluate(SMALL_TARGETS) == [], (url, page.evaluate(SMALL_TARGETS))
        assert page.evaluate(LOW_CONTRAST) == [], url
        assert page.evaluate(NO_FOCUS_RING) == [], url

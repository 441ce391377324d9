"""客户画像分析 on a phone: fits 390 px with big targets, and its chart draws from the table."""

from tests.browser.audit import LOW_CONTRAST, NO_FOCUS_RING, SMALL_TARGETS
from tests.browser.conftest import PHONE, sign_in


def test_the_portrait_fits_the_phone_and_draws_its_tier_chart(page):
    sign_in(page, "anna")
    page.goto("/analytics/portrait")
    assert page.get_by_role("heading", name="价值等级").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate(LOW_CONTRAST) == []
    assert page.evaluate(NO_FOCUS_RING) == []
    # The seed's customers have no tier yet: one bar, drawn by the local ECharts.
    chart = page.locator("#portrait-tier .chart")
    chart.locator("svg").wait_for()
    assert chart.is_visible() and "尚未分层" in page.locator("#portrait-tier-table").inner_text()

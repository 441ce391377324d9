"""Reviewing possible duplicates and importing a list on a phone, in headless Chromium at 390×844.

amy owns the pairs the seed made (郑秋 and 冯春, phone numbers one digit apart)."""

import re

from playwright.sync_api import expect

from tests.browser.audit import LOW_CONTRAST, NO_FOCUS_RING, SMALL_TARGETS
from tests.browser.conftest import PHONE, sign_in


def test_a_consultant_merges_a_pair_keeping_the_other_phone_number(page):
    sign_in(page, "amy")
    # 查重 is one tap further on a phone, under 更多.
    page.locator("nav .tab-more > summary").click()
    page.get_by_role("link", name="查重").click()
    expect(page.locator("h1")).to_have_text("客户查重")
    page.get_by_role("link", name=re.compile("郑秋.*郑秋")).click()

    # Stacked cards on a phone: customer B under customer A, nothing wider than the screen.
    card_a, card_b = page.locator("section.side").nth(0), page.locator("section.side").nth(1)
    assert card_b.bounding_box()["y"] >= card_a.bounding_box()["y"] + card_a.bounding_box()["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    keep_a = page.get_by_role("radio", name=re.compile(r"139\*{4}0101"))
    keep_b = page.get_by_role("radio", name=re.compile(r"139\*{4}0102"))
    expect(keep_a).to_be_checked()  # the older customer's number, by default
    page.get_by_text("139****0102").click()  # the other number: tap its value
    expect(keep_b).to_be_checked()
    expect(keep_a).not_to_be_checked()
    page.get_by_role("button", name="合并", exact=True).click()

    expect(page).to_have_url(re.compile(r"/duplicates$"))
    notice = page.get_by_role("status").filter(has_text="已合并为一位客户")
    expect(notice).to_be_visible()
    expect(page.locator("#pair-list")).not_to_contain_text("郑秋")
    expect(page.locator("#pair-list")).to_contain_text("冯春")
    notice.get_by_role("link", name="郑秋").click()
    expect(page.locator("#phone")).to_contain_text("139****0102")


def test_an_import_runs_to_its_summary_while_the_page_watches(page, tmp_path):
    sign_in(page, "amy")
    page.goto("/imports")
    # Rows that cannot be imported: the import runs to the end without adding customers others see.
    listing = tmp_path / "名单.csv"
    listing.write_text("姓名,手机号\n甲,123\n乙,456\n", encoding="utf-8")
    page.get_by_label("名单来源").select_option("AUTO_SHOW")
    page.get_by_label(re.compile("文件")).set_input_files(str(listing))
    page.get_by_role("button", name="上传并导入").click()
    expect(page).to_have_url(re.compile(r"/imports/[\w-]+$"))
    # The embedded worker picks it up within a couple of seconds; the page polls until done.
    page.evaluate("window.stillTheSamePage = true")
    expect(page.locator("#progress-title")).to_have_text("已完成", timeout=15_000)
    assert page.evaluate("window.stillTheSamePage") is True, "the page reloaded instead of polling"
    expect(page.locator(".import-summary")).to_contain_text("未导入")
    expect(page.locator("#row-2")).to_contain_text("第 2 行")
    expect(page.get_by_role("button", name=re.compile("下载问题行报告"))).to_be_visible()


def test_import_and_duplicate_pages_fit_the_phone_with_big_targets_and_readable_text(page):
    sign_in(page, "amy")
    page.goto("/duplicates")
    pair = page.get_by_role("link", name=re.compile("冯春")).get_attribute("href")
    for url in ["/imports", "/duplicates", pair]:
        page.goto(url)
        for details in page.locator("main details").all():
            details.evaluate("d => d.open = true")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{url} scrolls sideways"
        assert page.evaluate(SMALL_TARGETS) == [], url
        assert page.evaluate(LOW_CONTRAST) == [], url
        assert page.evaluate(NO_FOCUS_RING) == [], url
    # Choosing the other customer to stay makes its values the defaults (swapped in by HTMX).
    expect(page.get_by_role("radio", name=re.compile(r"137\*{4}0201"))).to_be_checked()
    page.get_by_text("客户 B · 冯春 · 建档于").click()
    expect(page.locator("section.side").nth(1)).to_contain_text("保留")
    expect(page.get_by_role("radio", name=re.compile(r"137\*{4}0202"))).to_be_checked()
    expect(page.get_by_role("radio", name=re.compile(r"杭州市文三路1号"))).to_be_checked()  # B has no address
    # The 更多 menu, open, is as usable as the tabs.
    page.locator("nav .tab-more > summary").click()
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate(LOW_CONTRAST) == []

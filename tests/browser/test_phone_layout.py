"""Every page fits a 390 px phone, with big enough targets, visible focus and AA contrast."""

import re

from tests.browser.audit import LOW_CONTRAST, NO_FOCUS_RING, SMALL_TARGETS
from tests.browser.conftest import PHONE, sign_in


def test_pages_fit_the_phone_with_big_targets_visible_focus_and_readable_text(page):
    sign_in(page, "alice")
    page.goto("/customers?q=zs")
    detail = page.get_by_role("link", name=re.compile("张三")).get_attribute("href")
    for url in ["/", "/customers", detail, f"{detail}?log=1", f"{detail}/edit", "/customers/new", "/campaigns",
                f"{detail}/campaign"]:
        page.goto(url)
        for details in page.locator("main details").all():
            details.evaluate("d => d.open = true")  # audit the folded parts too
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{url} scrolls sideways"
        assert page.evaluate(SMALL_TARGETS) == [], url
        assert page.evaluate(LOW_CONTRAST) == [], url
        assert page.evaluate(NO_FOCUS_RING) == [], url


def test_the_sign_in_page_has_big_targets_and_readable_text(page):
    page.goto("/login")
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate(LOW_CONTRAST) == []


def test_chinese_text_uses_the_cjk_fonts_phones_have_before_generic_ones(page):
    page.goto("/login")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    names = [name.strip().strip('"') for name in family.split(",")]
    cjk = names.index("PingFang SC"), names.index("Noto Sans CJK SC"), names.index("Microsoft YaHei")
    generic = min(names.index(g) for g in ("system-ui", "sans-serif", "-apple-system") if g in names)
    assert max(cjk) < generic, family

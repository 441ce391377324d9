"""客户画像分析: every distribution as a chart and a table, each row opening the filtered customer list."""

import json
import re
from datetime import date
from urllib.parse import quote

from server.customers.models import Customer
from server.portrait.services import refresh_portrait
from tests.web.conftest import sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD


def section_rows(html: str, section: str) -> list[tuple[str, str, str | None]]:
    """(text, count, link) of each row of one section's table."""
    body = html.split(f'id="portrait-{section}-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for tr in body.split("<tr>")[1:]:
        link = re.search(r'<a href="([^"]+)">', tr)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        rows.append((cells[0], cells[1], link.group(1).replace("&amp;", "&") if link else None))
    return rows


async def _facts(world):
    await Customer.filter(id=world.alices_customer.id).update(birthday=date(1995, 3, 1), city="杭州",
                                                              budget_min=200000, budget_max=300000,
                                                              interested_models=["比亚迪汉"])
    await Customer.filter(id=world.bobs_customer.id).update(birthday=date(1994, 3, 1), city="杭州")
    await Customer.filter(id=world.pool_customer.id).update(birthday=date(1970, 1, 1), city="宁波")
    await refresh_portrait()


async def test_a_manager_reads_the_portrait_and_clicks_through_to_the_customers(client, world):
    await _facts(world)
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/analytics/portrait")
    assert page.status_code == 200
    html = page.text
    assert unlabelled_controls(html) == [] and foreign_urls(html) == []
    assert "客户画像分析" in html and "/static/vendor/echarts.min.js" in html
    # Team A and the pool: 张三 and 王五, not bob's 李四.
    assert section_rows(html, "age") == [("25-34", "1", "/customers?tag=" + quote("年龄:25-34")),
                                         ("55+", "1", "/customers?tag=" + quote("年龄:55+"))]
    assert section_rows(html, "tier") == [("中等价值", "1", "/customers?tier=MEDIUM"),
                                          ("潜在", "1", "/customers?tier=POTENTIAL")]
    assert [r[0] for r in section_rows(html, "region")] == ["宁波", "杭州"]
    assert section_rows(html, "budget") == [("20-30万", "1", "/customers?tag=" + quote("预算:20-30万"))]
    assert section_rows(html, "model") == [("比亚迪汉", "1", "/customers?tag=" + quote("意向车型:比亚迪汉"))]
    chart = json.loads(html.split('id="chart-age-data">')[1].split("</script>")[0])
    assert chart["labels"] == ["25-34", "55+"] and chart["links"][0] == "/customers?tag=" + quote("年龄:25-34")

    listed = await client.get(section_rows(html, "age")[0][2])
    assert listed.status_code == 200 and "张三" in listed.text and "王五" not in listed.text
    tiered = await client.get("/customers?tier=POTENTIAL")
    assert "王五" in tiered.text and "张三" not in tiered.text


async def test_the_menu_offers_the_portrait_to_managers_and_the_reports_link_to_it(client, world):
    await sign_in(client, "anna", PASSWORD)
    funnel = await client.get("/analytics/funnel")
    assert 'href="/analytics/portrait"' in funnel.text
    page = await client.get("/analytics/portrait")
    assert page.status_code == 200 and "暂无客户有此项信息" in page.text


async def test_a_consultant_sees_only_their_own_and_the_pool(client, world):
    await _facts(world)
    await sign_in(client, "bob", PASSWORD)
    html = (await client.get("/analytics/portrait")).text
    assert [r[:2] for r in section_rows(html, "region")] == [("宁波", "1"), ("杭州", "1")]
    assert 'href="/analytics/portrait"' not in html.split("<main")[0]  # not in a consultant's menu


async def test_signed_out_visitors_go_to_sign_in(client, world):
    page = await client.get("/analytics/portrait")
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]

"""赢单/战败分析 and 销售漏斗 pages: the table, the drill-down, the .xlsx, the funnel, the scope."""

import json
import re
from datetime import datetime, timedelta, timezone
from io import BytesIO

from openpyxl import load_workbook

from server.analytics.period import last_month, local_today, start_of
from server.enums import CloseReasonKind, OpportunityStage, OpportunityStatus
from server.sales.models import CloseReason
from tests.analytics.conftest import deal, deals  # noqa: F401 (the fixture)
from tests.analytics.test_journey import cohort  # noqa: F401 (the fixture)
from tests.web.conftest import HTMX, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid

NOVEMBER = "period=custom&from=2026-11-01&to=2026-11-30"
MAX_PAGE_BYTES = 100 * 1024


def table_rows(html: str) -> list[list[str]]:
    """The report table's body rows as the cells' text."""
    body = html.split('id="win-loss-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for tr in body.split("<tr>")[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def drill_links(html: str) -> dict[str, str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return {text: href.replace("&amp;", "&") for href, text in re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a>', body)}


async def test_a_manager_sees_whom_the_team_lost_to_and_the_deals_behind_it(client, world, deals):
    await sign_in(client, "anna", PASSWORD)
    page = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=competitor&status=lost")
    assert page.status_code == 200
    html = page.text
    assert len(html.encode()) < MAX_PAGE_BYTES and unlabelled_controls(html) == [] and foreign_urls(html) == []
    assert table_rows(html) == [["特斯拉 Model 3", "0", "2", "0%", "67%", "¥0", "¥39万"],
                                ["未填写竞品", "0", "1", "0%", "33%", "¥0", "¥0"]]
    assert '<script type="application/json" id="chart-data">' in html and "/static/vendor/echarts.min.js" in html
    assert 'aria-current="true">竞品<' in html and 'aria-current="true">战败<' in html
    drill = drill_links(html)["特斯拉 Model 3"]
    assert drill.startswith("/analytics/win-loss/opportunities?")
    listed = await client.get(drill)
    assert listed.status_code == 200
    assert "张三 · 海豹" in listed.text and "张三 · 汉 二" in listed.text and "李四" not in listed.text
    assert "2 个商机" in listed.text
    assert re.search(r'href="/opportunities/[^"]+"', listed.text)
    opened = await client.get(re.search(r'href="(/opportunities/[^"]+)"', listed.text).group(1))
    assert opened.status_code == 200 and "特斯拉 Model 3" in opened.text


async def test_another_teams_manager_sees_only_their_loss(client, world, deals):
    await sign_in(client, "bert", PASSWORD)
    page = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=competitor")
    assert table_rows(page.text) == [["特斯拉 Model 3", "0", "1", "0%", "100%", "¥0", "¥21万"]]
    # Even with anna's row in the address, bert's drill-down holds only his team's deals.
    listed = await client.get(f"/analytics/win-loss/opportunities?{NOVEMBER}&by=competitor&status=all"
                              "&brand=特斯拉&model=Model 3")
    assert "李四 · 汉" in listed.text and "张三" not in listed.text


async def test_every_tab_has_its_rows_and_links(client, world, deals):
    await sign_in(client, "root", PASSWORD)
    by_model = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=model")
    assert [r[:3] for r in table_rows(by_model.text)] == [["比亚迪 汉 EV", "1", "3"], ["比亚迪 海豹", "0", "1"]]
    by_channel = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=channel")
    assert [r[:3] for r in table_rows(by_channel.text)] == [["官网", "1", "3"], ["其他", "0", "1"]]
    by_month = await client.get("/analytics/win-loss?period=custom&from=2026-10-01&to=2026-11-30&by=month")
    assert [r[:3] for r in table_rows(by_month.text)] == [["2026-10", "0", "1"], ["2026-11", "1", "4"]]
    november = drill_links(by_month.text)["2026-11"]
    listed = await client.get(november)
    assert "5 个商机" in listed.text and "张三 · 十月" not in listed.text
    by_team = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=team")
    team_b = await client.get(drill_links(by_team.text)["二组"])
    assert "李四 · 汉" in team_b.text and "1 个商机" in team_b.text


async def test_the_lost_count_links_to_the_losses_only(client, world, deals):
    await sign_in(client, "root", PASSWORD)
    page = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=model")
    link = re.search(r'<a href="([^"]+)" aria-label="战败的 3 个：比亚迪 汉 EV">3</a>', page.text)
    assert link, page.text
    listed = await client.get(link.group(1).replace("&amp;", "&"))
    assert "3 个商机" in listed.text and "张三 · 汉</strong>" not in listed.text


async def test_the_export_holds_the_table_and_the_deals(client, world, deals):
    await sign_in(client, "anna", PASSWORD)
    page = await client.get(f"/analytics/win-loss?{NOVEMBER}&by=competitor")
    export = re.search(r'href="(/analytics/win-loss/export\.xlsx\?[^"]+)"', page.text).group(1).replace("&amp;", "&")
    response = await client.get(export)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="win-loss-competitor-2026-11-01-2026-11-30.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(BytesIO(response.content))
    summary, sheet = book.worksheets
    rows = [list(r) for r in summary.iter_rows(min_row=2, values_only=True)]
    assert rows[0][:3] == ["竞品", "赢单", "战败"]
    assert rows[1][:4] == ["特斯拉 Model 3", 0, 2, 2] and float(rows[1][7]) == 389600.50
    assert rows[2][:4] == ["未填写竞品", 1, 1, 2]
    assert rows[-1][:4] == ["合计", 1, 3, 4]
    deals_rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(r[0] for r in deals_rows) == ["张三 · 汉", "张三 · 汉 三", "张三 · 汉 二", "张三 · 海豹"]
    lost_to_tesla = next(r for r in deals_rows if r[0] == "张三 · 海豹")
    assert lost_to_tesla[2] == "战败" and lost_to_tesla[5] == "特斯拉 Model 3" and float(lost_to_tesla[8]) == 189800


async def test_last_month_is_one_tap_and_the_default_is_this_month(client, world):
    period = last_month(local_today())
    closed = start_of(period.start) + timedelta(hours=10)
    reason = await CloseReason.create(kind=CloseReasonKind.LOSS, label="选择竞品", requires_competitor=True)
    await deal(world.alices_customer, world.alice, "张三 · 上月", OpportunityStatus.LOST, closed,
               reason=reason, brand="理想", model="L6")
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/analytics/win-loss")
    assert 'aria-current="true">本月<' in page.text and "理想 L6" not in page.text
    last = re.search(r'href="([^"]*period=last_month[^"]*)"', page.text).group(1).replace("&amp;", "&")
    competitor_tab = await client.get(last.replace("by=reason", "by=competitor"))
    assert [r[:3] for r in table_rows(competitor_tab.text)] == [["理想 L6", "0", "1"]]


async def test_a_bad_custom_period_says_which_day_is_wrong(client, world):
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/analytics/win-loss?period=custom&from=2026-11-30&to=2026-11-01")
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "最后一天不能早于第一天" in page.text
    unreadable = await client.get("/analytics/win-loss?period=custom&from=soon&to=2026-11-01")
    assert unreadable.status_code == 422 and "日期" in unreadable.text


async def test_the_link_is_in_the_menu_for_managers_not_consultants(client, world):
    await sign_in(client, "anna", PASSWORD)
    assert 'href="/analytics/win-loss"' in (await client.get("/")).text
    client.cookies.clear()
    await sign_in(client, "alice", PASSWORD)
    assert 'href="/analytics/win-loss"' not in (await client.get("/")).text


async def test_more_deals_load_as_the_list_scrolls(client, world, deals):
    for i in range(35):
        await deal(world.bobs_customer, world.bob, f"李四 · 批量 {i}", OpportunityStatus.LOST,
                   datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc), reason=deals["price"])
    await sign_in(client, "bert", PASSWORD)
    first = await client.get(f"/analytics/win-loss/opportunities?{NOVEMBER}&by=reason&key=&status=all")
    assert "36 个商机" in first.text and first.text.count('class="row-link"') == 30
    more = re.search(r'hx-get="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    rest = await client.get(more, headers=HTMX)
    assert rest.text.count('class="row-link"') == 6 and "<html" not in rest.text


async def test_the_funnel_page_counts_each_stage(client, world):
    moment = datetime(2026, 11, 10, 4, 0, tzinfo=timezone.utc)
    a = world.alices_customer
    await deal(a, world.alice, "张三 · 一", OpportunityStatus.OPEN, None, stage=OpportunityStage.INITIAL_CONTACT,
               created_at=moment)
    await deal(a, world.alice, "张三 · 二", OpportunityStatus.WON, moment, stage=OpportunityStage.NEGOTIATION,
               created_at=moment)
    await sign_in(client, "anna", PASSWORD)
    page = await client.get(f"/analytics/funnel?{NOVEMBER}")
    assert page.status_code == 200 and unlabelled_controls(page.text) == []
    body = page.text.split('id="funnel-table"')[1]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)]
    assert cells[4:8] == ["初步接触", "2", "—", "100%"]
    assert cells[-4:] == ["赢单", "1", "100%", "50%"]
    assert '"kind": "funnel"' in page.text


def report_rows(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            for tr in body.split("<tr>")[1:]]


async def test_the_funnel_page_walks_the_periods_leads_to_won_by_channel(client, world, cohort):  # noqa: F811
    await sign_in(client, "anna", PASSWORD)
    page = await client.get(f"/analytics/funnel?{NOVEMBER}")
    assert page.status_code == 200 and unlabelled_controls(page.text) == [] and foreign_urls(page.text) == []
    html = page.text
    # Team A and the pool: 张三, 赵六, 钱七, 孙八, 王五; not team B's 李四, nor October's or December's leads.
    assert report_rows(html, "journey-table") == [
        ["线索", "5", "—", "100%"], ["到店", "2", "40%", "40%"], ["试驾", "2", "100%", "40%"],
        ["商机", "3", "150%", "60%"], ["报价", "2", "67%", "40%"], ["成交", "1", "50%", "20%"]]
    assert report_rows(html, "channel-table") == [
        ["官网", "2", "2", "2", "1", "50%"], ["抖音", "2", "0", "1", "0", "0%"], ["其他", "1", "0", "0", "0", "0%"]]
    chart = json.loads(html.split('id="journey-chart-data">')[1].split("</script>")[0])
    assert chart["labels"][0] == "线索" and chart["series"][0]["data"] == [5, 2, 2, 3, 2, 1]
    assert 'src="/static/vendor/echarts.min.js"' in html
    # The opportunity stages stay on the page below (these deals were opened today, not in November).
    assert '<h2 id="stages-title">商机阶段漏斗</h2>' in html
    # Each leads count opens the customers behind it, the same number.
    leads = re.search(r'id="journey-table".*?<a href="([^"]+)">5</a>', html, re.S).group(1).replace("&amp;", "&")
    listed = await client.get(leads)
    assert "共 5 位客户" in listed.text and "周九" not in listed.text and "吴十" not in listed.text
    website = re.search(r'id="channel-table".*?<a href="([^"]+)">2</a>', html, re.S).group(1).replace("&amp;", "&")
    listed = await client.get(website)
    assert "共 2 位客户" in listed.text and "张三" in listed.text and "赵六" in listed.text


async def test_the_funnel_filters_by_channel_and_a_consultant_sees_only_his_own(client, world, cohort):  # noqa: F811
    await sign_in(client, "root", PASSWORD)
    douyin = await client.get(f"/analytics/funnel?{NOVEMBER}&channel=DOUYIN")
    assert [r[:2] for r in report_rows(douyin.text, "journey-table")][:2] == [["线索", "2"], ["到店", "0"]]
    assert [r[0] for r in report_rows(douyin.text, "channel-table")] == ["抖音"]
    # The period choices keep the channel.
    assert re.search(r'href="/analytics/funnel\?period=last_month[^"]*&amp;channel=DOUYIN"', douyin.text)
    assert '<input type="hidden" name="channel" value="DOUYIN">' in douyin.text  # and so does the custom period
    team_b = await client.get(f"/analytics/funnel?{NOVEMBER}&team={gid('Team', world.team_b)}")
    assert report_rows(team_b.text, "journey-table")[0] == ["线索", "1", "—", "100%"]
    assert '<option value="' + gid("Team", world.team_b) + '" selected>' in team_b.text
    mangled = await client.get(f"/analytics/funnel?{NOVEMBER}&team=nonsense")
    assert mangled.status_code == 303 and "team=" not in mangled.headers["location"]
    client.cookies.clear()
    await sign_in(client, "alice", PASSWORD)
    alice = await client.get(f"/analytics/funnel?{NOVEMBER}&team={gid('Team', world.team_b)}")
    # A consultant has no team choice: the address's team is ignored and he counts his own and the pool.
    assert 'name="team"' not in alice.text
    assert report_rows(alice.text, "journey-table")[0] == ["线索", "4", "—", "100%"]

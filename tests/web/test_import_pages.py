"""导入 pages: upload a spreadsheet, follow the progress, read the summary, download the problem rows."""

import csv
import io
import re

from openpyxl import Workbook

from server.enums import Channel
from server.ingestion import imports
from server.ingestion.models import ImportJob
from server.privacy.crypto import encrypt_bytes
from tests.web.conftest import HTMX, session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid

MAX_PAGE_BYTES = 100 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_ID = "11010119900307123X"  # the check digit is wrong


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机号", "身份证号", "意向车型", "预算"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHOW_LIST = workbook([
    ["周一", 13866660001, None, "汉EV", "20-25万"],  # row 2: a new customer
    ["周二", "12345", None, None, None],  # row 3: no usable identifier, not imported
    ["周三", "13866660003", BAD_ID, "海豹", None],  # row 4: imported, the ID number dropped
    ["周四", "138 6666 0004", None, None, "30万左右"],  # row 5: a new customer
])


async def upload(client, token: str, filename: str, data: bytes, channel: str = "AUTO_SHOW"):
    return await client.post("/imports", data={"csrf_token": token, "channel": channel},
                             files={"file": (filename, data, XLSX)})


async def test_an_uploaded_workbook_is_imported_summarized_and_its_problem_rows_reported(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    response = await upload(client, token, "车展名单.xlsx", SHOW_LIST)
    assert response.status_code == 303
    job_url = response.headers["location"]
    assert re.fullmatch(r"/imports/[\w-]+", job_url)

    waiting = await client.get(job_url)
    assert waiting.status_code == 200 and "车展名单.xlsx" in waiting.text and "等待开始" in waiting.text
    assert 'hx-trigger="every 1s"' in waiting.text and "<progress" in waiting.text
    # Without JavaScript the page reloads itself, and says so with a link.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting.text
    assert f'href="{job_url}"' in waiting.text

    assert await imports.run_queued() == 1
    done = (await client.get(job_url)).text
    assert "hx-trigger" not in done and "http-equiv" not in done and "已完成" in done
    summary = re.search(r'<dl class="import-summary">([\s\S]*?)</dl>', done).group(1)
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", summary))
    assert counts == {"新客户": "3", "合并到已有客户": "0", "待查重": "0", "未导入": "1", "已导入但有问题": "1"}
    rows = done.split('<li class="problem-row"')[1:]
    assert [re.match(r' id="row-(\d+)"', row).group(1) for row in rows] == ["3", "4"]
    assert "第 3 行" in rows[0] and "未导入" in rows[0] and "不是有效的手机号" in rows[0]
    assert "第 4 行" in rows[1] and "身份证号" in rows[1] and "校验位" in rows[1]
    assert BAD_ID not in done

    report = await client.get(f"{job_url}/report.csv")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    assert "attachment" in report.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert [line[:2] for line in lines[1:]] == [["3", "REJECTED"], ["4", "FLAGGED"]]
    assert "phone" in lines[1][2] and "id_number" in lines[2][2]
    assert "周二" in lines[1] and "周三" in lines[2]
    assert BAD_ID not in report.text and "110101********123X" in report.text

    listing = (await client.get("/imports")).text
    assert "车展名单.xlsx" in listing and f'href="{job_url}"' in listing
    assert "3 条新建，0 条合并，0 条待查重，1 条未导入" in listing


async def test_htmx_polling_gets_only_the_progress_block(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    job_url = (await upload(client, token, "list.xlsx", SHOW_LIST)).headers["location"]
    polled = await client.get(job_url, headers=HTMX)
    assert polled.text.lstrip().startswith('<section id="progress"') and "<html" not in polled.text
    assert 'hx-trigger="every 1s"' in polled.text and "HX-Request" in polled.headers["Vary"]
    await imports.run_queued()
    last = await client.get(job_url, headers=HTMX)
    assert last.text.lstrip().startswith('<section id="progress"') and "hx-trigger" not in last.text
    assert "第 3 行" in last.text and "report.csv" in last.text


async def test_a_file_that_is_not_excel_is_refused_next_to_the_file_field_and_keeps_the_channel(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    refused = await upload(client, token, "名单.xlsx", b"PK? not really a workbook", channel="DOUYIN")
    assert refused.status_code == 422
    html = refused.text
    error = re.search(r'<small id="file-error" class="error" role="alert">([^<]+)</small>', html).group(1)
    assert "不是 Excel .xlsx 文件" in error
    assert 'aria-describedby="file-error"' in html and '<option value="DOUYIN" selected>' in html
    assert await ImportJob.all().count() == 0

    nothing = await client.post("/imports", data={"csrf_token": token, "channel": "WEBSITE"},
                                files={"file": ("", b"", "application/octet-stream")})
    assert nothing.status_code == 422 and "请选择 .xlsx 或 .csv 文件" in nothing.text
    no_column = await upload(client, token, "x.csv", "车型,预算\n汉,20万\n".encode())
    assert no_column.status_code == 422 and "没有能识别客户的列" in no_column.text


async def test_an_import_that_fails_in_the_worker_says_why_and_stops_polling(client, world):
    # A queued upload the worker cannot read (the upload check passed on another version, say).
    job = await ImportJob.create(filename="list.xlsx", channel=Channel.IMPORT, status=imports.QUEUED, total_rows=4,
                                 content=encrypt_bytes(b"damaged"), created_by_id=world.alice.id)
    await imports.run_queued()
    await sign_in(client, "alice", PASSWORD)
    page = (await client.get(f"/imports/{gid('ImportJob', job)}")).text
    assert "失败" in page and "导入中断：这不是 Excel .xlsx 文件" in page and "hx-trigger" not in page


async def test_someone_elses_import_is_not_found(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    job_url = (await upload(client, token, "alice.xlsx", SHOW_LIST)).headers["location"]
    await imports.run_queued()
    await client.post("/logout", data={"csrf_token": token})
    client.cookies.clear()

    await sign_in(client, "amy", PASSWORD)
    for url in (job_url, f"{job_url}/report.csv", "/imports/not-an-id", "/imports/not-an-id/report.csv"):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert "alice.xlsx" not in response.text and "周二" not in response.text
    assert "alice.xlsx" not in (await client.get("/imports")).text
    # An id of another kind of object is no import either.
    customer_id = "Q3VzdG9tZXI6" + "MQ"  # Customer:1
    assert (await client.get(f"/imports/{customer_id}")).status_code == 404


async def test_import_pages_are_labelled_light_and_self_hosted(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    many_bad = workbook([[f"客户{i}", "123", None, None, None] for i in range(400)])
    job_url = (await upload(client, token, "big.xlsx", many_bad)).headers["location"]
    await imports.run_queued()
    refused = (await upload(client, token, "bad.xlsx", b"nope")).text
    for html in [(await client.get("/imports")).text, (await client.get(job_url)).text, refused]:
        assert unlabelled_controls(html) == []
        assert foreign_urls(html) == []
        assert len(html.encode()) < MAX_PAGE_BYTES
    page = (await client.get(job_url)).text
    assert page.count('class="problem-row"') == 100 and "前 100 行，共 400 行" in page
    assert "姓名" in (await client.get("/imports")).text and "编号" in (await client.get("/imports")).text


async def test_the_import_page_reads_in_english(client, world):
    await sign_in(client, "alice", PASSWORD)
    token = await session_csrf(client)
    await client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/imports"})
    page = (await client.get("/imports")).text
    assert "Import customers" in page and "Where the list came from" in page
    refused = await upload(client, token, "list.xlsx", b"nope")
    assert "This is not an Excel .xlsx file" in refused.text

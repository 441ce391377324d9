"""Spreadsheet imports: Excel and CSV in, one customer file out, rejected rows reported by number."""

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from arq import Worker
from arq.connections import RedisSettings, create_pool
from openpyxl import Workbook

from server.auth.principal import SYSTEM, principal_for_user
from server.customers.models import Customer
from server.enums import Channel
from server.errors import UserError
from server.ingestion import imports
from server.ingestion.models import ImportJob, SourceRecord
from workers import jobs

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["编号", "姓名", "手机号", "身份证号", "意向车型", "预算", "来源", "生日"]


def dealer_workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_AND_BAD = [
    ["A-1", "陈一", 13811110001, "330106198506152316", "汉", "20-25万", "车展", date(1985, 6, 15)],
    ["A-2", " 陈 二 ", "138-1111-0002", None, "海豹", "30万左右", "官网", None],
    ["A-3", "陈一", "+86 13811110001", None, None, None, None, None],  # the same person again
    ["A-4", "", "12345", None, None, None, None, None],  # garbage
    ["A-5", "林五", "13811110005", "11010119900307123X", None, None, None, None],  # bad checksum
]


async def test_an_excel_file_becomes_customers_and_reports_its_rejected_rows(world):
    job = await imports.create_import(principal_for_user(world.anna), "车展名单.xlsx", Channel.AUTO_SHOW,
                                      dealer_workbook(GOOD_AND_BAD))
    assert job.status == imports.QUEUED and job.total_rows == 5
    assert await imports.run_queued() == 1
    job = await ImportJob.get(id=job.id)
    assert job.status == imports.DONE and job.processed_rows == 5
    # 林五's ID number is wrong but the phone is good: imported, and flagged in the report
    assert (job.created_count, job.merged_count, job.rejected_count) == (3, 1, 1)
    assert job.content is None  # the upload is not kept once its rows are source records

    chen = await Customer.get(phone="+8613811110001")
    assert chen.birthday == date(1985, 6, 15) and chen.id_number_hash
    assert await SourceRecord.filter(customer_id=chen.id).count() == 2
    assert set(await SourceRecord.filter(import_job_id=job.id).values_list("external_id", flat=True)) == {
        "A-1", "A-2", "A-3", "A-4", "A-5"}
    assert (await Customer.get(phone="+8613811110002")).name == "陈二"

    rows = {item["row"]: item for item in job.rejected_rows}
    assert set(rows) == {5, 6}  # spreadsheet row numbers: the header is row 1
    assert rows[5]["status"] == "REJECTED" and any(p["field"] == "phone" for p in rows[5]["problems"])
    assert rows[6]["status"] == "FLAGGED" and any(p["field"] == "id_number" for p in rows[6]["problems"])
    report = list(csv.reader(io.StringIO(imports.rejected_report(job).lstrip("\ufeff"))))
    assert [r[:2] for r in report[1:]] == [["5", "REJECTED"], ["6", "FLAGGED"]] and "id_number" in report[2][2]
    assert "11010119900307123X" not in imports.rejected_report(job)


async def test_importing_the_same_file_again_creates_nothing(world):
    data = dealer_workbook(GOOD_AND_BAD)
    for _ in range(2):
        job = await imports.create_import(SYSTEM, "list.xlsx", Channel.IMPORT, data)
        await imports.run_import(job)
    assert await Customer.filter(merged_into_id=None).count() == 3 + 3  # the world's three + 陈一, 陈二, 林五
    assert await SourceRecord.all().count() == 5


async def test_rows_without_an_id_column_are_still_replayed_not_duplicated(world):
    text = "姓名,手机号\n赵一,13822220001\n赵二,13822220002\n"
    for _ in range(2):
        await imports.run_import(await imports.create_import(SYSTEM, "plain.csv", Channel.IMPORT, text.encode()))
    assert await SourceRecord.all().count() == 2


@pytest.mark.parametrize("encoding, delimiter", [("gbk", ","), ("utf-8-sig", ";"), ("utf-8", "\t")])
async def test_csv_in_gbk_or_utf8_with_any_common_delimiter(world, encoding, delimiter):
    lines = [["姓名", "手机号码", "购买意向", "备注"], ["黄六", "13833330006", "很想买", "周末来店"]]
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    job = await imports.create_import(SYSTEM, "leads.csv", Channel.THIRD_PARTY, text.encode(encoding))
    job = await imports.run_import(job)
    assert job.created_count == 1, job.rejected_rows
    customer = await Customer.get(phone="+8613833330006")
    assert customer.name == "黄六" and customer.intent == "STRONG" and customer.notes == "周末来店"


@pytest.mark.parametrize("filename, data, message", [
    ("list.xlsx", b"PK\x03\x04 this is not a workbook", "not an Excel"),
    ("list.xlsx", "姓名,手机号\n".encode(), "not an Excel"),
    ("list.pdf", b"%PDF-1.7", "only .xlsx and .csv"),
    ("list.csv", "车型,颜色\n汉,红\n".encode(), "no column identifies a customer"),
    ("list.csv", "姓名,手机号\n".encode(), "no data rows"),
])
async def test_a_file_that_cannot_be_imported_is_refused_at_once(world, filename, data, message):
    with pytest.raises(UserError) as refused:
        await imports.create_import(SYSTEM, filename, Channel.IMPORT, data)
    assert message in refused.value.message and refused.value.field == "file"
    assert await ImportJob.all().count() == 0


async def test_the_arq_worker_runs_an_uploaded_import(world):
    """Through a real Redis: the job is enqueued as the web upload does, and a worker runs it."""
    job = await imports.create_import(SYSTEM, "w.csv", Channel.IMPORT, "姓名,手机号\n孙七,13844440007\n".encode())
    settings = RedisSettings.from_dsn(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    queue = f"crm-test-{job.id}-{os.getpid()}"
    redis = await create_pool(settings, default_queue_name=queue)
    try:
        await redis.enqueue_job("run_imports")
        worker = Worker(functions=[jobs.run_imports], redis_settings=settings, queue_name=queue, burst=True,
                        poll_delay=0.05, handle_signals=False)
        await worker.main()
        await worker.close()
    finally:
        await redis.aclose()
    assert (await ImportJob.get(id=job.id)).status == imports.DONE
    assert await Customer.filter(phone="+8613844440007").exists()


def test_crm_import_shows_progress_and_writes_the_rejected_rows(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    crm = [sys.executable, "-m", "server.cli"]
    assert subprocess.run(crm + ["migrate"], env=env, cwd=ROOT, capture_output=True, timeout=120).returncode == 0
    source = tmp_path / "展会线索.xlsx"
    source.write_bytes(dealer_workbook(GOOD_AND_BAD))
    result = subprocess.run(crm + ["import", str(source), "--channel", "auto_show", "--progress"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "5/5" in result.stderr
    assert "3 new, 1 merged, 0 to review, 1 rejected, 1 imported with problems" in result.stdout
    report = tmp_path / "展会线索.rejected.csv"
    assert report.exists() and "phone" in report.read_text(encoding="utf-8-sig")

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    refused = subprocess.run(crm + ["import", str(broken), "--channel", "import"], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "not an Excel" in refused.stderr

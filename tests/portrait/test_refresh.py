import os
from datetime import UTC, datetime
import subprocess
import sys
from pathlib import Path

from server.customers.models import Customer
from server.enums import ValueTier
from tests.portrait.conftest import tags_of
from workers import jobs
from workers.settings import WorkerSettings

ROOT = Path(__file__).resolve().parents[2]


async def test_the_daily_job_tags_and_tiers_and_a_rerun_changes_nothing(make_customer):
    customer = await make_customer("任务", city="成都", created_at=datetime.now(UTC))
    first = await jobs.refresh_portrait({})
    again = await jobs.refresh_portrait({})

    assert first == {"tags_added": 1, "tags_removed": 0, "tiers_changed": 1}
    assert again == {"tags_added": 0, "tags_removed": 0, "tiers_changed": 0}
    assert await tags_of(customer) == {"地区:成都"}
    assert (await Customer.get(id=customer.id)).value_tier == ValueTier.POTENTIAL


def test_the_refresh_is_scheduled_daily():
    [job] = [j for j in WorkerSettings.cron_jobs if j.job_id == "cron:refresh_portrait"]
    assert job.hour == 19 and job.minute == 37 and jobs.refresh_portrait in WorkerSettings.functions


def test_crm_portrait_refresh_runs_on_a_migrated_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    crm = [sys.executable, "-m", "server.cli"]
    assert subprocess.run(crm + ["migrate"], env=env, cwd=ROOT, capture_output=True, timeout=120).returncode == 0
    result = subprocess.run(crm + ["portrait", "refresh"], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "tags: 0 added, 0 removed; value tiers: 0 changed (no customers)"



"""An event that keeps failing is set aside as dead with its last error, stops taking a place in
the queue, and comes back when someone retries it."""

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tortoise.timezone import now

from server import config
from server.events import services as events
from server.events.models import OutboxEvent

ROOT = Path(__file__).resolve().parents[2]


async def drain_later(hours: int) -> int:
    # Far enough ahead that every backoff has passed.
    return await events.drain(at=now() + timedelta(hours=hours))


async def test_an_event_failing_max_attempts_times_is_dead_and_no_longer_blocks(db, handler, monkeypatch):
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "3")
    config.reload_settings()
    broken = {"on": True}
    delivered = []

    async def fragile(payload):
        if broken["on"]:
            raise RuntimeError("SMS gateway said 503")
        delivered.append(payload["n"])

    handler("sms.send", fragile)
    handler("fine", lambda payload: _ok(delivered, payload))
    await events.emit("sms.send", {"n": 1})
    for hour in range(1, 4):
        await events.emit("fine", {"n": 100 + hour})
        await drain_later(hour)
    event = await OutboxEvent.get(topic="sms.send")
    assert event.dead_at is not None and event.attempts == 3 and "SMS gateway said 503" in event.last_error
    assert delivered == [101, 102, 103]
    assert await events.outbox_counts() == {"delivered": 3, "pending": 0, "retrying": 0, "dead": 1}
    assert await drain_later(10) == 0  # dead: not tried again

    broken["on"] = False
    assert await events.retry_dead(topic="sms.send") == 1
    assert await events.outbox_counts() == {"delivered": 3, "pending": 1, "retrying": 0, "dead": 0}
    assert await events.drain() == 1
    assert delivered[-1] == 1 and await events.outbox_counts() == {"delivered": 4, "pending": 0, "retrying": 0, "dead": 0}


async def _ok(delivered, payload):
    delivered.append(payload["n"])


async def test_retry_dead_takes_only_the_events_asked_for(db):
    for n in range(3):
        await events.emit("x", {"n": n})
    ids = sorted(await OutboxEvent.all().values_list("id", flat=True))
    await OutboxEvent.all().update(dead_at=now(), attempts=10, last_error="boom")
    assert await events.retry_dead(ids=[ids[0]]) == 1
    assert await events.retry_dead(topic="y") == 0
    assert (await events.outbox_counts())["dead"] == 2


def test_crm_outbox_status_and_retry_dead_from_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    path = tmp_path / "cli.sqlite3"
    env["DATABASE_URL"] = f"sqlite://{path}"

    def crm(*args):
        return subprocess.run([sys.executable, "-m", "server.cli", *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=120)

    assert crm("migrate").returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO outbox_event (topic, payload, created_at, attempts, last_error, dead_at) "
                     "VALUES ('sms.send', '{}', '2026-06-15 00:00:00+00:00', 10, 'RuntimeError(''gateway 503'')', "
                     "'2026-06-15 01:00:00+00:00')")
    status = crm("outbox", "status")
    assert status.returncode == 0, status.stderr
    assert "pending: 0" in status.stdout and "dead: 1" in status.stdout
    assert "sms.send after 10 attempts" in status.stdout and "gateway 503" in status.stdout
    retried = crm("outbox", "retry-dead")
    assert retried.returncode == 0 and "1 dead event(s) back in the queue" in retried.stdout
    assert "pending: 1" in crm("outbox", "status").stdout and "dead: 0" in crm("outbox", "status").stdout


def test_a_bad_outbox_max_attempts_stops_start_up_naming_the_variable(monkeypatch):
    import pytest

    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "zero")
    with pytest.raises(config.ConfigError, match="OUTBOX_MAX_ATTEMPTS must be a number"):
        config.load_settings()
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "0")
    with pytest.raises(config.ConfigError, match="OUTBOX_MAX_ATTEMPTS must be at least 1"):
        config.load_settings()

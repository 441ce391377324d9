"""`crm worker --check` tells an operator whether a worker is alive, from arq's health key."""

import subprocess
import sys

from tests.workers.conftest import ROOT, wait_for
from workers.settings import HEALTH_CHECK_KEY


def check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.cli", "worker", "--check"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


async def test_worker_check_passes_while_a_worker_runs_and_fails_once_it_stopped(worker_process, private_redis):
    from redis.asyncio import Redis

    assert check(worker_process.env).returncode == 1  # no worker yet
    worker_process.start()
    redis = Redis.from_url(private_redis.url)
    try:
        await wait_for(lambda: redis.exists(HEALTH_CHECK_KEY), what="the health key", worker=worker_process)
    finally:
        await redis.aclose()
    running = check(worker_process.env)
    assert running.returncode == 0 and "worker healthy" in running.stdout and "j_complete=" in running.stdout
    worker_process.stop()
    assert check(worker_process.env).returncode == 1

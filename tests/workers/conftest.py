"""A private redis-server on a free port, and real `arq` worker processes pointed at it and at the
test database: the fault tests stop and kill them without touching the machine's own Redis."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.dir = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if not os.access(REDIS_SERVER, os.X_OK):
            pytest.fail(f"redis-server is needed for the worker fault tests ({REDIS_SERVER} not found): "
                        "apt-get install redis-server")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


class WorkerProcess:
    """`arq workers.settings.WorkerSettings` in its own process, as the Procfile runs it."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self, **extra_env: str) -> None:
        out = open(self.log, "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "arq", "workers.settings.WorkerSettings"],
                                        env={**self.env, **extra_env}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        out.close()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def worker_process(db, private_redis, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=db, REDIS_URL=private_redis.url, PYTHONUNBUFFERED="1")
    worker = WorkerProcess(env, tmp_path / "worker.log")
    yield worker
    worker.stop()


async def wait_for(check, timeout: float = 30, what: str = "condition", worker: WorkerProcess | None = None):
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.1)
    detail = f"\nworker log:\n{worker.output()[-3000:]}" if worker else ""
    raise AssertionError(f"timed out waiting for {what}{detail}")

"""The crm command, run as a user would run it: a real process against a real database file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CRM = [sys.executable, "-m", "server.cli"]


def run(args, env, stdin: str = ""):
    return subprocess.run(CRM + args, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


@pytest.fixture
def env(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["DATABASE_URL"] = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    return environment


def test_help_lists_every_command():
    result = subprocess.run(CRM + ["--help"], capture_output=True, text=True, cwd=ROOT)
    for command in ("serve", "worker", "migrate", "demo", "createuser", "token", "export-schema"):
        assert command in result.stdout


def test_createuser_reads_the_password_from_stdin_and_the_user_can_sign_in(env):
    assert run(["migrate"], env).returncode == 0
    created = run(["createuser", "wang", "--role", "manager", "--team", "三组"], env, stdin="s3cret-pass\n")
    assert created.returncode == 0, created.stderr
    assert "MANAGER wang" in created.stdout and "三组" in created.stdout
    again = run(["createuser", "wang", "--role", "manager"], env, stdin="s3cret-pass\n")
    assert again.returncode == 2 and "already exists" in again.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import asyncio\n"
         "from tortoise import Tortoise\n"
         "from server.db import tortoise_config\n"
         "from server.auth.services import authenticate\n"
         "async def main():\n"
         "    await Tortoise.init(config=tortoise_config())\n"
         "    user = await authenticate('wang', 's3cret-pass', '127.0.0.1')\n"
         "    print(user.role, (await user.team).name)\n"
         "    await Tortoise.close_connections()\n"
         "asyncio.run(main())"],
        capture_output=True, text=True, env=env, cwd=ROOT)
    assert check.stdout.strip() == "MANAGER 三组", check.stderr


def test_token_create_prints_the_token_once_and_stores_only_its_hash(env):
    assert run(["migrate"], env).returncode == 0
    result = run(["token", "create", "dms-sync", "--scopes", "read,write"], env)
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith("crm_") and "shown only once" in result.stderr
    database = Path(env["DATABASE_URL"][len("sqlite://"):]).read_bytes()
    assert secret.encode() not in database
    bad = run(["token", "create", "x", "--scopes", "read,fly"], env)
    assert bad.returncode == 2 and "fly" in bad.stderr


def test_export_schema_prints_the_sdl_and_writes_a_file(tmp_path, env):
    printed = run(["export-schema"], env)
    assert "type Query" in printed.stdout and "createCustomer" in printed.stdout
    target = tmp_path / "schema.graphql"
    assert run(["export-schema", "--output", str(target)], env).returncode == 0
    assert target.read_text(encoding="utf-8") == printed.stdout

"""The `crm` command: serve, worker, migrate, demo, import, createuser, token, outbox, export-schema, portrait,
extract-facts."""

import argparse
import asyncio
import getpass
import sys
from pathlib import Path

from server import config
from server.enums import Channel


async def _open_db() -> None:
    from tortoise import Tortoise

    from server.db import tortoise_config

    await Tortoise.init(config=tortoise_config())


async def _close_db() -> None:
    from tortoise import Tortoise

    await Tortoise.close_connections()


async def apply_migrations(quiet: bool = False) -> None:
    from tortoise import Tortoise
    from tortoise.migrations.api.migrate import migrate

    from server.db import tortoise_config

    def progress(event: str, app: str, name: str) -> None:
        if not quiet and event == "apply_done":
            print(f"  applied {app}.{name}")

    await migrate(config=tortoise_config(), progress=progress)
    await Tortoise.close_connections()


def _print_demo_signins() -> None:
    from server.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    print(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for username, role, team in DEMO_ACCOUNTS:
        print(f"  {username:<12} {role:<11} {team or ''}")


async def _demo(reset: bool) -> object:
    from server.demo import load_demo

    await _open_db()
    try:
        return await load_demo(reset=reset)
    finally:
        await _close_db()


def cmd_serve(args) -> int:
    import uvicorn

    settings = config.settings
    if args.demo:
        asyncio.run(apply_migrations())
        summary = asyncio.run(_demo(reset=False))
        print(summary)
        _print_demo_signins()
    host = args.host or settings.host
    port = args.port or settings.port
    mode = "in-process worker" if settings.embedded_worker else f"arq workers via {settings.redis_url}"
    print(f"\n车销 CRM on http://{host}:{port}  ({mode}; Ctrl+C to stop)\n", flush=True)
    uvicorn.run("server.app:create_app", factory=True, host=host, port=port, proxy_headers=True, log_level="info")
    return 0


async def _worker_health() -> str | None:
    """What a live worker last wrote to arq's health key (it expires after the check interval), or None."""
    from arq import create_pool

    from workers.settings import HEALTH_CHECK_KEY, WorkerSettings

    redis = await create_pool(WorkerSettings.redis_settings)
    try:
        info = await redis.get(HEALTH_CHECK_KEY)
    finally:
        await redis.aclose()
    return info.decode() if info else None


def cmd_worker(args) -> int:
    from arq import run_worker

    from workers.settings import WorkerSettings

    if args.check:
        if not config.settings.redis_url:
            print("REDIS_URL is not set: jobs run inside `crm serve`", file=sys.stderr)
            return 1
        info = asyncio.run(_worker_health())
        if info is None:
            print(f"no worker reported within {WorkerSettings.health_check_interval} s", file=sys.stderr)
            return 1
        print(f"worker healthy: {info}")
        return 0
    run_worker(WorkerSettings, burst=args.burst)
    return 0


async def _outbox(args) -> int:
    from server.events import services as events

    await _open_db()
    try:
        if args.outbox_command == "retry-dead":
            count = await events.retry_dead(topic=args.topic, ids=args.id)
            print(f"{count} dead event(s) back in the queue")
            return 0
        counts = await events.outbox_counts()
        print("  ".join(f"{name}: {n}" for name, n in counts.items()))
        for event in await events.dead_events(limit=args.show):
            print(f"  dead #{event.id} {event.topic} after {event.attempts} attempts "
                  f"({event.dead_at:%Y-%m-%d %H:%M} UTC): {event.last_error[:200]}")
        return 0
    finally:
        await _close_db()


def cmd_outbox(args) -> int:
    return asyncio.run(_outbox(args))


def cmd_migrate(args) -> int:
    asyncio.run(apply_migrations())
    print("database is up to date")
    return 0


async def _extract_facts() -> int:
    from server.portrait.suggestions import refresh_facts

    await _open_db()
    try:
        return await refresh_facts()
    finally:
        await _close_db()


def cmd_extract_facts(args) -> int:
    print(f"read the facts of {asyncio.run(_extract_facts())} interactions")
    return 0


def cmd_demo(args) -> int:
    asyncio.run(apply_migrations(quiet=True))
    print(asyncio.run(_demo(reset=args.reset)))
    _print_demo_signins()
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise SystemExit("passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


async def _createuser(args, password: str) -> str:
    from server.auth.models import Team
    from server.auth.services import create_user
    from server.enums import Role

    await _open_db()
    try:
        team = None
        if args.team:
            team, _ = await Team.get_or_create(name=args.team)
        user = await create_user(args.username, password, Role(args.role.upper()), display_name=args.name or "", team=team)
        return f"created {user.role} {user.username}" + (f" in team {team.name}" if team else "")
    finally:
        await _close_db()


def cmd_createuser(args) -> int:
    from server.errors import UserError

    try:
        print(asyncio.run(_createuser(args, _read_password())))
    except UserError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    return 0


async def _token_create(args) -> str:
    from server.auth.models import Team
    from server.auth.services import create_api_token, parse_scopes

    scopes = parse_scopes(args.scopes)
    await _open_db()
    try:
        team = None
        if args.team:
            team = await Team.get_or_none(name=args.team)
            if team is None:
                raise SystemExit(f"error: no team named {args.team!r}")
        _, secret = await create_api_token(args.name, scopes, team=team)
        return secret
    finally:
        await _close_db()


def cmd_token_create(args) -> int:
    from server.errors import UserError

    try:
        secret = asyncio.run(_token_create(args))
    except UserError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(secret)
    print("Store it now: it is shown only once. Send it as 'Authorization: Bearer <token>'.", file=sys.stderr)
    return 0


def _progress_bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // total if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


async def _import(args) -> int:
    from server.auth.models import User
    from server.auth.principal import SYSTEM, principal_for_user
    from server.errors import UserError
    from server.ingestion import imports

    path = Path(args.file)
    await _open_db()
    try:
        principal = SYSTEM
        if args.user:
            user = await User.get_or_none(username=args.user)
            if user is None:
                print(f"error: no user named {args.user!r}", file=sys.stderr)
                return 2
            principal = principal_for_user(user)
        try:
            job = await imports.create_import(principal, path.name, Channel(args.channel.upper()), path.read_bytes())
        except UserError as exc:
            print(f"error: {path.name}: {exc.message}", file=sys.stderr)
            return 2
        show = sys.stderr.isatty() or args.progress

        def progress(job) -> None:
            if show:
                print("\r" + _progress_bar(job.processed_rows, job.total_rows), end="", file=sys.stderr, flush=True)

        job = await imports.run_import(job, progress)
        if show:
            print(file=sys.stderr)
        print(f"{path.name}: {job.total_rows} rows — {job.created_count} new, {job.merged_count} merged, "
              f"{job.review_count} to review, {job.rejected_count} rejected, "
              f"{imports.flagged_count(job)} imported with problems")
        if job.rejected_rows:
            report = path.with_name(path.stem + ".rejected.csv")
            report.write_text(imports.rejected_report(job), encoding="utf-8")
            print(f"rows with problems, and why: {report}")
        return 0 if job.status == imports.DONE else 1
    finally:
        await _close_db()


def cmd_import(args) -> int:
    if not Path(args.file).is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 2
    return asyncio.run(_import(args))


def export_sdl() -> str:
    from server.api.schema import schema

    return schema.as_str() + "\n"


def cmd_export_schema(args) -> int:
    sdl = export_sdl()
    if args.output:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(sdl)
    return 0


async def _portrait_refresh() -> object:
    from server.portrait.services import refresh_portrait

    await _open_db()
    try:
        return await refresh_portrait()
    finally:
        await _close_db()


def cmd_portrait_refresh(args) -> int:
    print(asyncio.run(_portrait_refresh()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm", description="车销 CRM command line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the web server (and, without REDIS_URL, the in-process worker)",
                       description="Run the web server. Without REDIS_URL the worker jobs run in the same process.")
    p.add_argument("--demo", action="store_true", help="apply migrations and load demo data on first start")
    p.add_argument("--host", help="address to listen on (default: $HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: $PORT or 8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run an arq worker (needs REDIS_URL)",
                       description="Run an arq worker: outbox drain, scheduled rule passes, imports.")
    p.add_argument("--check", action="store_true",
                   help="exit 0 if a worker reported healthy within the last 30 s, 1 otherwise (like arq --check)")
    p.add_argument("--burst", action="store_true", help="run the queued jobs, then exit")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="apply database migrations", description="Apply every pending migration.")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("extract-facts", help="re-read every interaction's summary for facts",
                       description="Extract facts (budget, models …) from every interaction's summary again.")
    p.set_defaults(func=cmd_extract_facts)

    p = sub.add_parser("demo", help="load the demo dealership", description="Load the demo data (once).")
    p.add_argument("--reset", action="store_true", help="delete ALL data first, then load the demo again")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="import customers from an .xlsx or .csv file",
                       description="Import customers from an .xlsx or .csv file (Chinese or English headers: "
                                   "姓名, 手机号, 身份证号, 意向车型, 预算, 来源, 编号 …). Rejected rows are written "
                                   "to FILE.rejected.csv with the reasons.")
    p.add_argument("file", help="the .xlsx or .csv file")
    p.add_argument("--channel", required=True, type=str.upper, choices=[c.value for c in Channel],
                   help="where the list came from, e.g. THIRD_PARTY, AUTO_SHOW, IMPORT")
    p.add_argument("--user", help="import as this staff member (audit log); default: system")
    p.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("createuser", help="create a staff account (password from stdin)",
                       description="Create a staff account. The password is read from stdin (prompted on a terminal).")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["CONSULTANT", "MANAGER", "ADMIN", "consultant", "manager", "admin"])
    p.add_argument("--team", help="team name (created if missing)")
    p.add_argument("--name", help="display name")
    p.set_defaults(func=cmd_createuser)

    p = sub.add_parser("token", help="manage API tokens", description="Manage API tokens for integrators.")
    token_sub = p.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    t = token_sub.add_parser("create", help="create a token and print it once",
                             description="Create an API token with scopes; the token is printed once.")
    t.add_argument("name", help="what the token is for, e.g. the integrator's name")
    t.add_argument("--scopes", required=True, help="comma-separated: read,write,ingest,reveal,admin — or all")
    t.add_argument("--team", help="limit the token to one team's customers")
    t.set_defaults(func=cmd_token_create)

    p = sub.add_parser("outbox", help="outbox counts and dead events",
                       description="The outbox holds effects waiting for the worker; an event that failed "
                                   "OUTBOX_MAX_ATTEMPTS times is dead until it is retried.")
    outbox_sub = p.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    o = outbox_sub.add_parser("status", help="print delivered, pending, retrying and dead counts, and dead events")
    o.add_argument("--show", type=int, default=20, help="dead events to list (default 20)")
    o = outbox_sub.add_parser("retry-dead", help="put dead events back in the queue")
    o.add_argument("--topic", help="only events of this topic, e.g. customer.created")
    o.add_argument("--id", type=int, action="append", help="only this event (repeat for several)")
    p.set_defaults(func=cmd_outbox)

    p = sub.add_parser("export-schema", help="print the GraphQL SDL", description="Print the GraphQL schema (SDL).")
    p.add_argument("--output", help="write to this file instead of stdout")
    p.set_defaults(func=cmd_export_schema)

    p = sub.add_parser("portrait", help="customer portrait upkeep",
                       description="Customer portrait upkeep: generated tags and value tiers.")
    portrait_sub = p.add_subparsers(dest="portrait_command", required=True, metavar="ACTION")
    t = portrait_sub.add_parser("refresh", help="refresh generated tags and value tiers now",
                                description="Refresh every customer's generated tags and RFM value tier now "
                                            "(the worker does it daily); safe to run at any time.")
    t.set_defaults(func=cmd_portrait_refresh)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())

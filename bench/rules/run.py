"""Rules benchmark: a full pass of the built-in rules by the engine (as the worker runs it)
against hand-written set-based SQL writing the same rows, on copies of one seeded data set.

`python -m bench.rules.run --customers 100000 --db sqlite|postgres|both`
(default: 1,000,000 customers on PostgreSQL, 100,000 on SQLite). Prints a Markdown table and
writes RESULTS.md and results.json beside this file.
"""

import argparse
import asyncio
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid

from bench.ingest.databases import PG_URL, _admin, _with_database
from bench.rules import report

DEFAULT_CUSTOMERS = {"postgres": 1_000_000, "sqlite": 100_000}


def phase(url: str, name: str, customers: int, seed: int) -> dict:
    command = [sys.executable, "-m", "bench.rules.phase", "--url", url, "--phase", name,
               "--customers", str(customers), "--seed", str(seed)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def one_database(db: str, customers: int, seed: int) -> dict:
    """Generate once, copy, then the baseline on one copy and the engine on the other."""
    if db == "sqlite":
        folder = tempfile.mkdtemp(prefix="crm_bench_rules_")
        urls = {"baseline": f"sqlite://{folder}/baseline.sqlite3", "engine": f"sqlite://{folder}/engine.sqlite3"}
    else:
        names = {k: f"crm_bench_rules_{k}_{uuid.uuid4().hex[:6]}" for k in ("baseline", "engine")}
        urls = {k: _with_database(PG_URL, n) for k, n in names.items()}
        asyncio.run(_admin(f'CREATE DATABASE "{names["baseline"]}"'))
    try:
        print(f"{db}: generating {customers:,} customers", file=sys.stderr, flush=True)
        generated = phase(urls["baseline"], "generate", customers, seed)
        if db == "sqlite":
            shutil.copyfile(urls["baseline"][len("sqlite://"):], urls["engine"][len("sqlite://"):])
        else:
            asyncio.run(_admin(f'CREATE DATABASE "{names["engine"]}" TEMPLATE "{names["baseline"]}"'))
        print(f"{db}: baseline", file=sys.stderr, flush=True)
        base = phase(urls["baseline"], "baseline", customers, seed)
        print(f"{db}: engine", file=sys.stderr, flush=True)
        engine = phase(urls["engine"], "engine", customers, seed)
        return {"database": db, "customers": customers, "generate": generated, "baseline": base, "engine": engine}
    finally:
        if db == "sqlite":
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for name in names.values():
                asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, help="default: 1,000,000 on PostgreSQL, 100,000 on SQLite")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    runs = [one_database(db, args.customers or DEFAULT_CUSTOMERS[db], args.seed)
            for db in (("sqlite", "postgres") if args.db == "both" else (args.db,))]
    print(report.write(runs, "python -m bench.rules.run " + shlex.join(sys.argv[1:])))


if __name__ == "__main__":
    main()

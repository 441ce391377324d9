"""Ingest benchmark: throughput, memory and matching quality against a plain bulk insert.

For each database: a fresh schema and a plain bulk insert of the generated rows (the
baseline), then a fresh schema and the real `ingest()` in batches; each phase in its own
process. Prints a Markdown table and writes RESULTS.md and results.json beside this file.

`python -m bench.ingest.run --records 100000 --db both --batch 1000`
"""

import argparse
import json
import shlex
import subprocess
import sys

from bench.ingest import report


def run_phase(db: str, phase: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, "-m", "bench.ingest.phase", "--db", db, "--phase", phase,
               "--records", str(args.records), "--seed", str(args.seed), "--batch", str(args.batch)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rows, phases = [], []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        print(f"{db}: baseline", file=sys.stderr, flush=True)
        baseline = run_phase(db, "baseline", args)
        print(f"{db}: ingest", file=sys.stderr, flush=True)
        ingest = run_phase(db, "ingest", args)
        phases += [baseline, ingest]
        rows.append(report.row(baseline, ingest))
    command = "python -m bench.ingest.run " + shlex.join(sys.argv[1:])
    print(report.write(rows, phases, command))


if __name__ == "__main__":
    main()

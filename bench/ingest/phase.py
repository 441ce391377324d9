"""One timed phase (baseline or ingest) on one fresh database, in a process of its own.

A process per phase keeps the peak-memory reading honest: ru_maxrss only ever grows,
so a phase run after another would inherit the other's peak. Prints one JSON object.

`python -m bench.ingest.phase --db sqlite --phase ingest --records 20000 [--profile out.txt]`
"""

import argparse
import asyncio
import cProfile
import gc
import io
import json
import pstats
import resource
import sys
import time

from tortoise.transactions import in_transaction

from bench.ingest.databases import fresh_database
from bench.ingest.generate import generate
from bench.ingest.scoring import score
from server.customers.models import Customer
from server.enums import Channel
from server.ids import reserve_ids
from server.ingestion.models import SourceRecord
from server.ingestion.services import Incoming, ingest

PHASES = ("baseline", "ingest")


async def baseline(payloads: list[dict], batch: int, progress) -> None:
    """The floor: the same rows written as-is, one customer and one source record each,
    a transaction per batch; no cleansing, matching, audit or outbox."""
    for start in range(0, len(payloads), batch):
        chunk = payloads[start:start + batch]
        async with in_transaction():
            customer_ids = await reserve_ids(Customer, len(chunk))
            source_ids = await reserve_ids(SourceRecord, len(chunk))
            await Customer.bulk_create([Customer(id=cid, name="") for cid in customer_ids])
            await SourceRecord.bulk_create([
                SourceRecord(id=sid, customer_id=cid, channel=Channel.IMPORT, payload=payload)
                for sid, cid, payload in zip(source_ids, customer_ids, chunk)
            ])
        progress(start + len(chunk))


async def ingest_all(payloads: list[dict], batch: int, progress) -> list[int | None]:
    """The real path, as a file import would call it; returns each record's source record id."""
    source_ids: list[int | None] = []
    for start in range(0, len(payloads), batch):
        results = await ingest(Channel.IMPORT, [Incoming(p) for p in payloads[start:start + batch]])
        source_ids.extend(r.source_record_id for r in results)
        progress(start + batch)
    return source_ids


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Progress:
    """Elapsed time at each tenth of the records, to see whether throughput decays as the table grows."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label
        self.marks: list[tuple[int, float]] = []
        self.started = time.perf_counter()

    def __call__(self, done: int) -> None:
        done = min(done, self.total)
        tenth = done * 10 // self.total
        if tenth > len(self.marks):
            self.marks.append((done, round(time.perf_counter() - self.started, 3)))
            rate = done / self.marks[-1][1]
            print(f"  {self.label}: {done:>7} records, {rate:8.0f} rec/s so far", file=sys.stderr, flush=True)


async def run_phase(db: str, phase: str, records: int, seed: int, batch: int, profile: str | None) -> dict:
    data = generate(records, seed)
    gc.collect()
    async with fresh_database(db, phase):
        progress = Progress(records, f"{db} {phase}")
        rss_start, maxrss_start = _rss_mb(), _maxrss_mb()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        if phase == "baseline":
            await baseline(data.payloads, batch, progress)
        else:
            source_ids = await ingest_all(data.payloads, batch, progress)
        seconds = time.perf_counter() - started
        if profiler:
            profiler.disable()
            _write_profile(profiler, profile)
        maxrss_end = _maxrss_mb()
        result = {
            "db": db, "phase": phase, "records": records, "batch": batch, "seed": seed,
            "seconds": round(seconds, 3), "records_per_s": round(records / seconds, 1),
            # Growth of the process's peak resident set over what it held when the phase began
            # (data set generated, schema created): the memory the phase itself needed.
            "peak_mb": round(max(0.0, maxrss_end - rss_start), 1),
            "process_peak_mb": round(maxrss_end, 1), "rss_at_start_mb": round(rss_start, 1),
            "peak_before_mb": round(maxrss_start, 1),
            "progress": progress.marks, "profiled": bool(profiler),
        }
        if phase == "ingest":
            result["dataset"] = data.counts()
            result["score"] = await score(data, source_ids)
    return result


def _write_profile(profiler: cProfile.Profile, path: str) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    with open(path, "w") as f:
        f.write(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--phase", choices=PHASES, required=True)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--profile", help="write cProfile statistics of the timed part to this file (slows it down)")
    args = parser.parse_args()
    result = asyncio.run(run_phase(args.db, args.phase, args.records, args.seed, args.batch, args.profile))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""One phase of the rules benchmark in its own process, so its peak memory is its own.

`python -m bench.rules.phase --url URL --phase generate|baseline|engine --customers N` prints one JSON line.
"""

import argparse
import asyncio
import json
import os
import resource
import time
from collections import Counter

from tortoise import Tortoise

from bench.rules import baseline, data
from server.db import tortoise_config


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


async def effects() -> dict:
    """What the pass left behind, in a form both phases can be compared on."""
    conn = Tortoise.get_connection("default")

    async def rows(sql: str) -> list[dict]:
        return await conn.execute_query_dict(sql)

    firing_effects = Counter()
    for r in await rows("SELECT effects, count(*) AS n FROM rule_firing GROUP BY effects"):
        value = r["effects"] if isinstance(r["effects"], list) else json.loads(r["effects"])
        firing_effects[json.dumps(value, ensure_ascii=False)] += r["n"]
    return {
        "firings": await rows("SELECT rule_id, count(*) AS n, sum(customer_id) AS ids FROM rule_firing "
                              "GROUP BY rule_id ORDER BY rule_id"),
        "firing_effects": dict(sorted(firing_effects.items())),
        "tasks": await rows("SELECT kind, count(*) AS n, sum(customer_id) AS ids, count(DISTINCT dedup_key) AS keys, "
                            "min(title) AS title FROM task GROUP BY kind ORDER BY kind"),
        "tags": await rows("SELECT count(*) AS n, sum(customer_id) AS ids FROM customer_tag"),
        "dormant": await rows("SELECT count(*) AS n, sum(version) AS versions FROM customer WHERE lifecycle = 'DORMANT'"),
        "audit": await rows("SELECT actor, action, count(*) AS n, sum(CAST(object_id AS INTEGER)) AS ids FROM audit_log "
                            "GROUP BY actor, action ORDER BY actor, action"),
    }


async def main(args) -> dict:
    await Tortoise.init(config=tortoise_config(args.url), _enable_global_fallback=True)
    try:
        if args.phase == "generate":
            from server.rules.builtin import seed_builtin_rules
            from server.rules.models import Rule

            await Tortoise.generate_schemas()
            started = time.perf_counter()
            counts = await data.generate(args.url, args.customers, args.seed)
            await seed_builtin_rules()
            # Only the rules the baseline knows run: the others are switched off in both copies.
            await Rule.filter(builtin_key__isnull=False).exclude(builtin_key__in=baseline.RULES).update(enabled=False)
            if args.url.startswith("sqlite://"):
                await Tortoise.get_connection("default").execute_script("ANALYZE")
            return {"phase": "generate", "rows": counts, "seconds": round(time.perf_counter() - started, 2)}
        start_rss = rss_mb()
        started = time.perf_counter()
        if args.phase == "baseline":
            matched = await baseline.run(data.AT)
        else:
            from server.rules.engine import run_scheduled

            matched = await run_scheduled(data.AT)
        seconds = time.perf_counter() - started
        return {"phase": args.phase, "seconds": round(seconds, 3), "peak_mb": round(peak_mb(), 1),
                "growth_mb": round(peak_mb() - start_rss, 1), "matched_or_fired": matched, "effects": await effects()}
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--phase", choices=("generate", "baseline", "engine"), required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    print(json.dumps(asyncio.run(main(parser.parse_args())), ensure_ascii=False, default=str))

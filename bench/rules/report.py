"""The results table, RESULTS.md and results.json."""

import json
from datetime import datetime
from pathlib import Path

from bench.ingest.report import machine

HERE = Path(__file__).resolve().parent
TARGETS = {"ratio": 1.5, "peak_mb": 300}
HEADER = ("database", "customers", "matched (dormant / birthday / replacement)", "baseline s", "engine s",
          "ratio", "engine peak MB", "growth MB", "same effects")


def _same(run: dict) -> bool:
    """Firings (and their effects), tasks, tags, dormant customers and audit rows agree."""
    return run["baseline"]["effects"] == run["engine"]["effects"]


def row(run: dict) -> dict:
    b, e = run["baseline"], run["engine"]
    return {"database": run["database"], "customers": run["customers"], "matched": b["matched_or_fired"],
            "baseline_s": b["seconds"], "engine_s": e["seconds"], "ratio": round(e["seconds"] / b["seconds"], 3),
            "peak_mb": e["peak_mb"], "growth_mb": e["growth_mb"], "same_effects": _same(run),
            "generate_s": run["generate"]["seconds"], "rows": run["generate"]["rows"]}


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        m = r["matched"]
        lines.append("| " + " | ".join((
            r["database"], f"{r['customers']:,}", f"{m['dormant']:,} / {m['birthday']:,} / {m['replacement']:,}",
            f"{r['baseline_s']:.2f}", f"{r['engine_s']:.2f}", f"{r['ratio']:.2f}×", f"{r['peak_mb']:.0f}",
            f"{r['growth_mb']:.0f}", "yes" if r["same_effects"] else "NO")) + " |")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    return [f"- {r['database']}: time ≤ {TARGETS['ratio']}× baseline {'met' if r['ratio'] <= TARGETS['ratio'] else 'NOT met'}; "
            f"peak ≤ {TARGETS['peak_mb']} MB {'met' if r['peak_mb'] <= TARGETS['peak_mb'] else 'NOT met'}; "
            f"same rows as the baseline {'yes' if r['same_effects'] else 'NO'}" for r in rows]


def write(runs: list[dict], command: str) -> str:
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    rows = [row(run) for run in runs]
    text = "\n".join([
        "# Rules benchmark results", "",
        f"- date: {when}", f"- machine: {machine()}", f"- command: `{command}`",
        "- engine: `run_scheduled()` as the worker's cron job runs it (chunks of 5,000 on SQLite, 20,000 on PostgreSQL, a transaction each);",
        "  baseline: hand-written set-based SQL in one transaction writing the same rows.",
        "- engine peak MB: the pass process's peak RSS (ru_maxrss), imports included; growth: over its RSS",
        "  when the pass began. Each phase runs in its own process on its own copy of the data.", "",
        table(rows), "", *verdicts(rows), "",
        "Details (row counts, effects compared): `results.json` beside this file.", "",
    ])
    (HERE / "RESULTS.md").write_text(text)
    (HERE / "results.json").write_text(json.dumps({"date": when, "machine": machine(), "command": command,
                                                   "rows": rows, "runs": runs}, ensure_ascii=False, indent=1,
                                                  default=str))
    return text

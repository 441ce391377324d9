"""The results table, RESULTS.md and results.json."""

import json
import os
import platform
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {"ratio": 0.20, "merge_precision": 1.0, "merge_recall": 0.98}
HEADER = ("database", "records", "baseline rec/s", "ingest rec/s", "ratio", "peak MB",
          "auto-merge precision", "recall", "candidate precision", "recall", "rejected")


def row(baseline: dict, ingest: dict) -> dict:
    s = ingest["score"]
    return {
        "database": ingest["db"], "records": ingest["records"],
        "baseline_rps": baseline["records_per_s"], "ingest_rps": ingest["records_per_s"],
        "ratio": round(ingest["records_per_s"] / baseline["records_per_s"], 4),
        "peak_mb": ingest["peak_mb"], "baseline_peak_mb": baseline["peak_mb"],
        "merge_precision": s["auto_merge"]["precision"], "merge_recall": s["auto_merge"]["recall"],
        "candidate_precision": s["candidates"]["precision"], "candidate_recall": s["candidates"]["recall"],
        "rejected": s["rejected"]["rejected"], "garbage": s["rejected"]["garbage"],
        "exactly_garbage_rejected": s["rejected"]["garbage_rejected"] == s["rejected"]["garbage"] == s["rejected"]["rejected"],
    }


def _num(value, digits=4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        cells = (
            r["database"], f"{r['records']:,}", f"{r['baseline_rps']:,.0f}", f"{r['ingest_rps']:,.0f}",
            f"{r['ratio']:.1%}", f"{r['peak_mb']:.0f}", _num(r["merge_precision"]), _num(r["merge_recall"]),
            _num(r["candidate_precision"]), _num(r["candidate_recall"]), f"{r['rejected']:,} / {r['garbage']:,} garbage",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        checks = (
            ("throughput ≥ 20% of baseline", r["ratio"] >= TARGETS["ratio"]),
            ("auto-merge precision 1.0", r["merge_precision"] == TARGETS["merge_precision"]),
            ("auto-merge recall ≥ 0.98", (r["merge_recall"] or 0) >= TARGETS["merge_recall"]),
            ("every garbage row rejected, nothing else", r["exactly_garbage_rejected"]),
        )
        out.append(f"- {r['database']}: " + "; ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in checks))
    return out


def machine() -> str:
    return f"{platform.node()} — {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def write(rows: list[dict], phases: list[dict], command: str) -> str:
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    text = "\n".join([
        "# Ingest benchmark results",
        "",
        f"- date: {when}",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        "- peak MB: growth of the ingest process's peak RSS (ru_maxrss) over its RSS when the phase began",
        "  (data set already generated); each phase runs in its own process.",
        "",
        table(rows),
        "",
        *verdicts(rows),
        "",
        "Details (wrong merges, missed candidates, per-tenth timings): `results.json` beside this file.",
        "",
    ])
    (HERE / "RESULTS.md").write_text(text)
    (HERE / "results.json").write_text(json.dumps(
        {"date": when, "machine": machine(), "command": command, "rows": rows, "phases": phases},
        ensure_ascii=False, indent=1, default=str))
    return text

"""Precision and recall per fact type of the note extractor on the labelled notes."""

import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from server.demo.catalog import CATALOG
from server.portrait.extraction import KINDS, Catalog, extract

LABELLED = Path(__file__).resolve().parents[2] / "tests" / "portrait" / "notes_labelled.jsonl"
# Written after the extractor was built and measured once without tuning to it (see bench/README.md).
HOLDOUT = LABELLED.with_name("notes_holdout.jsonl")


def demo_catalog() -> Catalog:
    """The demo dealership's catalog, without a database (the labels are written against it)."""
    return Catalog.from_rows([
        SimpleNamespace(id=i, brand=e.brand, series=e.series, trim=e.trim, aliases=list(e.aliases), body_type=e.body)
        for i, e in enumerate(CATALOG, 1)
    ])


def load_notes(path: Path = LABELLED) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _keys(facts) -> set[tuple[str, str, bool]]:
    return {(f["kind"], f["normalized"], bool(f.get("negated"))) for f in facts}


def measure(notes: list[dict], catalog: Catalog) -> tuple[dict[str, dict], list[dict]]:
    """{kind: {tp, fp, fn, precision, recall}} and the notes the extractor got wrong."""
    tp, fp, fn = Counter(), Counter(), Counter()
    wrong = []
    for note in notes:
        got = _keys(f.as_dict() for f in extract(note["text"], catalog))
        want = _keys(note["facts"])
        for kind, *_ in got & want:
            tp[kind] += 1
        for kind, *_ in got - want:
            fp[kind] += 1
        for kind, *_ in want - got:
            fn[kind] += 1
        if got != want:
            wrong.append({"text": note["text"], "extra": sorted(got - want), "missed": sorted(want - got)})
    table = {}
    for kind in (*KINDS, "all"):
        t, p, n = (sum(c.values()) if kind == "all" else c[kind] for c in (tp, fp, fn))
        table[kind] = {"tp": t, "fp": p, "fn": n, "precision": t / (t + p) if t + p else 1.0,
                       "recall": t / (t + n) if t + n else 1.0}
    return table, wrong


def markdown(table: dict[str, dict], notes: int) -> str:
    lines = [f"Extractor quality on {notes} labelled notes", "",
             "| fact type | labelled | found right | wrong | missed | precision | recall |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, row in table.items():
        lines.append(f"| {kind} | {row['tp'] + row['fn']} | {row['tp']} | {row['fp']} | {row['fn']} | "
                     f"{row['precision']:.2f} | {row['recall']:.2f} |")
    return "\n".join(lines)

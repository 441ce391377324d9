"""python -m bench.extraction [--wrong]: the quality table (and the misread notes), plus speed."""

import json
import sys
import time
from pathlib import Path

from bench.extraction.quality import HOLDOUT, demo_catalog, load_notes, markdown, measure
from server.portrait.extraction import extract


def main() -> None:
    notes, catalog = load_notes(), demo_catalog()
    table, wrong = measure(notes, catalog)
    print(markdown(table, len(notes)))
    holdout = load_notes(HOLDOUT)
    held, held_wrong = measure(holdout, catalog)
    print("\nHeld out: " + markdown(held, len(holdout)))
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for note in notes:
            extract(note["text"], catalog)
    per_note_ms = (time.perf_counter() - started) * 1000 / (rounds * len(notes))
    print(f"\n{per_note_ms:.3f} ms per note")
    if "--wrong" in sys.argv:
        for w in wrong + held_wrong:
            print(json.dumps(w, ensure_ascii=False))
    out = Path(__file__).resolve().parents[1] / "results" / "extraction.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"table": table, "holdout": held, "ms_per_note": per_note_ms}, indent=2), encoding="utf-8")


main()

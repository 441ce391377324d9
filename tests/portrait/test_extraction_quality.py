"""Precision and recall per fact type on the labelled notes (run `python -m bench.extraction`
for the table and `--wrong` for the notes the extractor misreads)."""

import pytest

from bench.extraction.quality import HOLDOUT, demo_catalog, load_notes, markdown, measure
from server.portrait.extraction import KINDS

# Floors a little under what the extractor measured when this set was written (see bench/extraction).
FLOORS = {
    "budget": (0.93, 0.93), "model": (0.95, 0.95), "colour": (0.95, 0.95), "energy": (0.88, 0.88),
    "body": (0.9, 0.9), "timeframe": (0.93, 0.78), "competitor": (0.95, 0.95), "financing": (0.87, 0.95),
    "purchase_kind": (0.95, 0.95), "all": (0.94, 0.93),
}


@pytest.fixture(scope="module")
def table():
    notes = load_notes()
    result, _ = measure(notes, demo_catalog())
    print("\n" + markdown(result, len(notes)))
    return result


def test_the_labelled_set_is_large_and_covers_every_fact_type():
    notes = load_notes()
    assert len(notes) >= 200
    kinds = {f["kind"] for note in notes for f in note["facts"]}
    assert kinds == set(KINDS)
    assert sum(1 for note in notes if not note["facts"]) >= 20  # notes with nothing to read


@pytest.mark.parametrize("kind", [*KINDS, "all"])
def test_precision_and_recall_stay_above_their_floor(table, kind):
    precision_floor, recall_floor = FLOORS[kind]
    assert table[kind]["precision"] >= precision_floor, table[kind]
    assert table[kind]["recall"] >= recall_floor, table[kind]


def test_the_held_out_notes_are_read_about_as_well():
    # Too few per fact type for per-type floors: the whole set only.
    notes = load_notes(HOLDOUT)
    result, _ = measure(notes, demo_catalog())
    print("\n" + markdown(result, len(notes)))
    assert result["all"]["precision"] >= 0.9 and result["all"]["recall"] >= 0.85, result["all"]

"""How well ingest told people apart, read back from the database and held against the truth.

Automatic merges are scored over pairs of records: a predicted pair is two records that
ended on one customer; a true pair is two records of one person that share an identifier
chain ("first"/"repeat" records of that person). A near duplicate is its own group: merging
it automatically is a false merge even though it is the same person, because nothing exact
says so. Candidates are scored over DuplicateCandidate rows: a row is right when both
customers hold records of one person; recall is the share of near duplicates with a
candidate linking them to their person's customer.
"""

from collections import Counter, defaultdict

from bench.ingest.generate import Dataset
from server.customers.models import Customer
from server.ingestion.matching import pair
from server.ingestion.models import DuplicateCandidate, SourceRecord

EXAMPLES = 5


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None


async def score(data: Dataset, source_ids: list[int | None]) -> dict:
    rows = {r["id"]: r for r in await SourceRecord.all().values("id", "customer_id", "status")}
    survivor = await _survivors()
    customer_of: list[int | None] = []
    status_of: list[str | None] = []
    for sid in source_ids:
        row = rows.get(sid)
        cid = row["customer_id"] if row else None
        customer_of.append(survivor.get(cid, cid) if cid else None)
        status_of.append(row["status"] if row else None)
    candidates = await DuplicateCandidate.all().values("customer_a_id", "customer_b_id", "reasons")
    return {
        "statuses": dict(Counter(status_of)),
        "customers": len({c for c in customer_of if c}),
        "people": len(data.people),
        "auto_merge": _merges(data, customer_of),
        "candidates": _candidates(data, customer_of, candidates, survivor),
        "rejected": _rejections(data, status_of),
    }


async def _survivors() -> dict[int, int]:
    """Customer id → the customer it was finally merged into (itself if never merged)."""
    moved = {r["id"]: r["merged_into_id"] for r in await Customer.filter(merged_into_id__isnull=False).values("id", "merged_into_id")}
    out = {}
    for cid in moved:
        seen, current = set(), cid
        while current in moved and current not in seen:
            seen.add(current)
            current = moved[current]
        out[cid] = current
    return out


def _group(data: Dataset, i: int) -> tuple:
    truth = data.truth[i]
    return ("person", truth.person) if truth.kind in ("first", "repeat") else (truth.kind, i)


def _merges(data: Dataset, customer_of: list[int | None]) -> dict:
    records_of: dict[int, list[int]] = defaultdict(list)
    for i, cid in enumerate(customer_of):
        if cid:
            records_of[cid].append(i)
    true_total = sum(pairs(n) for n in Counter(_group(data, i) for i in range(len(data.truth))
                                               if data.truth[i].kind in ("first", "repeat")).values())
    predicted = correct = 0
    wrong: list[dict] = []
    kinds: Counter = Counter()
    for cid, members in records_of.items():
        groups = Counter(_group(data, i) for i in members)
        predicted += pairs(len(members))
        correct += sum(pairs(n) for n in groups.values())
        if len(groups) > 1:
            kind = _wrong_kind(data, members)
            kinds[kind] += 1
            if len(wrong) < EXAMPLES:
                wrong.append({"customer": cid, "kind": kind, "records": [_show(data, i) for i in members[:6]]})
    split = _split_people(data, customer_of)
    return {
        "true_pairs": true_total, "predicted_pairs": predicted, "correct_pairs": correct,
        "precision": ratio(correct, predicted), "recall": ratio(correct, true_total),
        "customers_with_wrong_merges": dict(kinds), "wrong_examples": wrong,
        "people_split": split["count"], "split_examples": split["examples"],
    }


def _wrong_kind(data: Dataset, members: list[int]) -> str:
    kinds = {data.truth[i].kind for i in members}
    people = {data.truth[i].person for i in members if data.truth[i].kind in ("first", "repeat")}
    if len(people) > 1:
        names = {data.people[p].name for p in people}
        return "different people, same name" if len(names) == 1 else "different people"
    if "garbage" in kinds:
        return "garbage row merged"
    return "near duplicate merged automatically"


def _split_people(data: Dataset, customer_of: list[int | None]) -> dict:
    """People whose exactly-linked records did not all end on one customer."""
    where: dict[int, set] = defaultdict(set)
    for i, truth in enumerate(data.truth):
        if truth.kind in ("first", "repeat"):
            where[truth.person].add(customer_of[i])
    split = [p for p, cids in where.items() if len(cids) > 1]
    examples = []
    for p in split[:EXAMPLES]:
        members = [i for i, t in enumerate(data.truth) if t.person == p and t.kind in ("first", "repeat")]
        examples.append({"person": p, "records": [dict(_show(data, i), customer=customer_of[i]) for i in members[:6]]})
    return {"count": len(split), "examples": examples}


def _candidates(data: Dataset, customer_of: list[int | None], rows: list[dict], survivor: dict[int, int]) -> dict:
    people_on: dict[int, set] = defaultdict(set)
    for i, cid in enumerate(customer_of):
        if cid and data.truth[i].person is not None:
            people_on[cid].add(data.truth[i].person)
    found: dict[tuple[int, int], list[str]] = {}
    for row in rows:
        a = survivor.get(row["customer_a_id"], row["customer_a_id"])
        b = survivor.get(row["customer_b_id"], row["customer_b_id"])
        if a != b:
            found[pair(a, b)] = row["reasons"]
    right = [p for p in found if people_on[p[0]] & people_on[p[1]]]
    wrong = [p for p in found if not people_on[p[0]] & people_on[p[1]]]

    main_customers: dict[int, set] = defaultdict(set)
    for i, truth in enumerate(data.truth):
        if truth.kind in ("first", "repeat") and customer_of[i]:
            main_customers[truth.person].add(customer_of[i])
    near = [i for i, t in enumerate(data.truth) if t.kind == "near_dup"]
    hits, misses = 0, []
    for i in near:
        mine = customer_of[i]
        others = main_customers[data.truth[i].person] - {mine}
        if mine and any(pair(mine, other) in found for other in others):
            hits += 1
        elif len(misses) < EXAMPLES:
            misses.append({"near_dup": _show(data, i), "customer": mine, "person_customers": sorted(others)})
    wrong_reasons = Counter(reason for p in wrong for reason in found[p])
    return {
        "rows": len(found), "right": len(right), "wrong": len(wrong),
        "precision": ratio(len(right), len(found)), "recall": ratio(hits, len(near)),
        "near_duplicates": len(near), "near_duplicates_found": hits,
        "wrong_reasons": dict(wrong_reasons), "right_reasons": dict(Counter(r for p in right for r in found[p])),
        "wrong_examples": [{"pair": p, "reasons": found[p], "people": sorted(people_on[p[0]] | people_on[p[1]]),
                            "names": sorted({data.people[x].name for x in people_on[p[0]] | people_on[p[1]]})}
                           for p in wrong[:EXAMPLES]],
        "missed_examples": misses,
    }


def _rejections(data: Dataset, status_of: list[str | None]) -> dict:
    garbage = {i for i, t in enumerate(data.truth) if t.kind == "garbage"}
    rejected = {i for i, s in enumerate(status_of) if s == "REJECTED"}
    return {
        "garbage": len(garbage), "rejected": len(rejected),
        "garbage_rejected": len(garbage & rejected),
        "garbage_accepted": [_show(data, i) for i in sorted(garbage - rejected)[:EXAMPLES]],
        "valid_rejected": [_show(data, i) for i in sorted(rejected - garbage)[:EXAMPLES]],
        "valid_rejected_count": len(rejected - garbage),
    }


def _show(data: Dataset, i: int) -> dict:
    truth = data.truth[i]
    return {"record": i, "kind": truth.kind, "person": truth.person, "payload": data.payloads[i]}

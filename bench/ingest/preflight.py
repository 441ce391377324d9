"""Checks that cleansing reads every generated record the way the ground truth says.

Run before trusting a score: a merge the truth calls wrong must come from matching,
not from a generator that wrote an identifier cleansing cannot read (or vice versa).
No database is needed. `python -m bench.ingest.preflight --records 100000`
"""

import argparse
from collections import Counter

from bench.ingest.generate import Dataset, generate
from server.enums import Channel
from server.ingestion.cleansing import clean_record
from server.ingestion.synonyms import SynonymTable
from server.privacy.crypto import blind_index


COLUMNS = {"phone": "phone", "id_number": "id_number_hash", "email": "email",
           "openid": "wechat_openid", "unionid": "wechat_unionid"}


def expected_identifiers(data: Dataset, index: int) -> dict[str, str] | None:
    """The identifiers cleansing should find in a record, or None when it should reject it."""
    truth = data.truth[index]
    if truth.kind == "garbage":
        return None
    if truth.kind == "near_dup":
        return {"phone": None}  # a mistyped phone: present, but not the person's
    person = data.people[truth.person]
    read = {"phone": lambda v: "+86" + v, "id_number": blind_index, "email": str.lower}
    return {COLUMNS[kind]: read.get(kind, str)(getattr(person, kind)) for kind in truth.sent}


def check(data: Dataset) -> Counter:
    synonyms = SynonymTable()
    problems: Counter = Counter()
    for i, payload in enumerate(data.payloads):
        record = clean_record(payload, Channel.IMPORT, synonyms)
        want = expected_identifiers(data, i)
        if want is None:
            if not record.rejected:
                problems["garbage accepted"] += 1
            continue
        if record.rejected:
            problems[f"{data.truth[i].kind} rejected: {record.problems}"] += 1
            continue
        got = record.identifiers
        if set(want) != set(got):
            problems[f"{data.truth[i].kind}: wanted {sorted(want)}, cleansing found {sorted(got)}"] += 1
        elif any(v is not None and got[k] != v for k, v in want.items()):
            problems[f"{data.truth[i].kind}: identifier read differently"] += 1
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    data = generate(args.records, args.seed)
    problems = check(data)
    print(data.counts())
    print("no disagreement" if not problems else "\n".join(f"{n:6d}  {what}" for what, n in problems.most_common(20)))


if __name__ == "__main__":
    main()

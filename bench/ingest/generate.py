"""A seeded set of messy incoming records with the truth about who is who.

Each record is one of:
- "first":    the first record of a new person;
- "repeat":   the same person again, sharing at least one identifier with an earlier
              record of theirs (ground truth: must merge automatically);
- "near_dup": the same person, same name, phone mistyped by one digit or one swap and
              no other identifier (ground truth: a duplicate candidate, never a merge);
- "garbage":  nothing that identifies anyone (ground truth: rejected).
Some new people are given the name of an earlier person on purpose ("namesakes"):
different people who must never be merged.

`python -m bench.ingest.generate --records 20 --seed 7` prints a sample.
"""

import argparse
import json
import random
from dataclasses import dataclass, field

from bench.ingest import messy
from bench.ingest.people import Person, PersonFactory

RECENT = 300  # repeats often come soon (same form sent twice, a call after a web lead)


@dataclass(frozen=True)
class Mix:
    repeat: float = 0.30
    near_dup: float = 0.02
    garbage: float = 0.02
    namesake: float = 0.05  # share of new people that copy an earlier person's name


@dataclass
class Truth:
    person: int | None  # None for garbage
    kind: str  # first / repeat / near_dup / garbage
    sent: tuple[str, ...] = ()  # the person's identifiers this record carries (Person.identifiers keys)


@dataclass
class Dataset:
    payloads: list[dict] = field(default_factory=list)
    truth: list[Truth] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.truth:
            out[t.kind] = out.get(t.kind, 0) + 1
        out["people"] = len(self.people)
        out["namesakes"] = sum(1 for p in self.people if p.namesake_of is not None)
        return out


def generate(records: int, seed: int = 2026, mix: Mix = Mix()) -> Dataset:
    rng = random.Random(seed)
    factory = PersonFactory(rng)
    data = Dataset()
    for n in range(records):
        roll = rng.random()
        if roll < mix.garbage:
            data.payloads.append(_garbage(rng, factory))
            data.truth.append(Truth(None, "garbage"))
            continue
        if roll < mix.garbage + mix.near_dup and (found := _near_dup(rng, factory, data.people)):
            person, payload = found
            kind, sent = "near_dup", ()
        elif roll < mix.garbage + mix.near_dup + mix.repeat and data.people:
            person = _earlier(rng, data.people)
            payload, sent = _record(rng, person, first=False)
            kind = "repeat"
        else:
            namesake = rng.choice(data.people) if data.people and rng.random() < mix.namesake else None
            person = factory.person(len(data.people), namesake)
            data.people.append(person)
            payload, sent = _record(rng, person, first=True)
            kind = "first"
        if rng.random() < 0.25:
            payload[messy.key(rng, "external_id")] = f"L{seed}-{n:07d}"
        data.payloads.append(payload)
        data.truth.append(Truth(person.pid, kind, sent))
    return data


def _earlier(rng: random.Random, people: list[Person]) -> Person:
    if rng.random() < 0.5:
        return rng.choice(people[-RECENT:])
    return rng.choice(people)


def _record(rng: random.Random, person: Person, first: bool) -> tuple[dict, tuple[str, ...]]:
    """A record of a known person: a first one with some of their identifiers, or a repeat
    that carries at least one identifier already sent (so it can be recognised)."""
    held = person.identifiers()
    # Lists, not sets: set order changes with the process's hash seed, and so would the data.
    if first:
        chosen = [k for k in held if rng.random() < (0.9 if k == "phone" else 0.5)] or [next(iter(held))]
    else:
        anchor = rng.choice(sorted(person.seen))
        chosen = [k for k in held if k == anchor or (rng.random() < (0.4 if k in person.seen else 0.3))]
    person.seen.update(chosen)
    payload: dict = {}
    if first or rng.random() < 0.95:  # a repeat sometimes comes without a name (a WeChat follow)
        payload[messy.key(rng, "name")] = messy.name(rng, person.name)
    for kind in sorted(chosen, key=lambda _: rng.random()):
        payload[messy.key(rng, kind)] = _messy_identifier(rng, kind, held[kind])
    if rng.random() < 0.1:
        payload[messy.key(rng, "birthday")] = messy.birthday(rng, person.birthday)
    if "email" not in chosen and rng.random() < 0.03:
        payload[messy.key(rng, "email")] = f"{person.pid}#mail"  # a typed-in e-mail that is not one
    payload.update(messy.extras(rng, person.gender))
    return payload, tuple(sorted(chosen))


def _messy_identifier(rng: random.Random, kind: str, value: str) -> str:
    if kind == "phone":
        return messy.phone(rng, value)
    if kind == "id_number":
        return messy.id_number(rng, value)
    if kind == "email":
        return messy.email(rng, value)
    return value  # WeChat ids are case-sensitive tokens: channels pass them through untouched


def _near_dup(rng: random.Random, factory: PersonFactory, people: list[Person]) -> tuple[Person, dict] | None:
    """Same person, same name, a mistyped phone and nothing else that identifies them."""
    known = [p for p in people[-5000:] if "phone" in p.seen]
    if not known:
        return None
    person = rng.choice(known)
    typed = factory.typo(person.phone)
    if typed is None:
        return None
    payload = {messy.key(rng, "name"): messy.name(rng, person.name), messy.key(rng, "phone"): messy.phone(rng, typed)}
    payload.update(messy.extras(rng, person.gender))
    return person, payload


def _garbage(rng: random.Random, factory: PersonFactory) -> dict:
    """A row with nothing that identifies a person; a few kinds seen in real imports."""
    name = factory.name(rng.choice(("MALE", "FEMALE")))
    bad_id = "11010119900307123" + "0"  # right length, wrong check digit (it should be X)
    kinds = (
        {messy.key(rng, "name"): name, messy.key(rng, "phone"): "12345"},
        {messy.key(rng, "name"): name, messy.key(rng, "phone"): "1380013800"},  # a digit short
        {messy.key(rng, "name"): name, messy.key(rng, "phone"): "138001380001"},  # a digit too many
        {messy.key(rng, "name"): name, messy.key(rng, "phone"): "无"},
        {messy.key(rng, "phone"): "00000000000"},
        {messy.key(rng, "notes"): "路过看看", messy.key(rng, "model"): rng.choice(messy.MODELS)},
        {messy.key(rng, "name"): name, messy.key(rng, "id_number"): bad_id},
        {messy.key(rng, "name"): name, messy.key(rng, "email"): "zhang.qq.com"},
        {messy.key(rng, "name"): "", messy.key(rng, "phone"): ""},
    )
    payload = dict(rng.choice(kinds))
    payload.update(messy.extras(rng, "MALE"))
    return payload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    data = generate(args.records, args.seed)
    for payload, truth in zip(data.payloads, data.truth):
        print(truth.kind, truth.person, json.dumps(payload, ensure_ascii=False))
    print(json.dumps(data.counts()))


if __name__ == "__main__":
    main()

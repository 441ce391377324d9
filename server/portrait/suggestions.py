"""Facts read from notes, offered to the consultant as tags and field updates to accept in one tap.

Interaction.facts holds {"extractor": version, "facts": [fact + "status"]}. A suggestion is keyed
by what it would do (`body:SUV`), so the same fact in three notes is one suggestion, shown with
its latest note. Accepting or dismissing marks the fact in every note of the customer; a later
note that says it again offers it again. Negated facts (不要SUV) are kept but never offered.
"""

import time
from dataclasses import dataclass, field

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Interaction
from server.audit import services as audit
from server.auth.principal import Principal
from server.customers.models import Customer
from server.customers.services import get_visible_customer, update_customer
from server.enums import TagCategory, TagSource
from server.errors import ErrorCode, UserError
from server.portrait.extraction import EXTRACTOR_VERSION, Catalog, extract, load_catalog
from server.portrait.extraction.attributes import BODY_LABELS, ENERGY_LABELS
from server.portrait.extraction.budget import budget_label, budget_range
from server.portrait.extraction.financing import LABELS as FINANCING_LABELS
from server.portrait.extraction.purchase_kind import LABELS as PURCHASE_LABELS
from server.portrait.extraction.timeframe import LABELS as TIMEFRAME_LABELS
from server.portrait.models import CustomerTag, Tag

# How many of a customer's latest notes are read for suggestions: older facts are stale.
RECENT_NOTES = 30
# The catalog changes a few times a year; re-read it at most this often per process.
CATALOG_TTL_SECONDS = 60
_catalog: tuple[float, Catalog] | None = None


async def current_catalog() -> Catalog:
    global _catalog
    if _catalog is None or time.monotonic() - _catalog[0] > CATALOG_TTL_SECONDS:
        _catalog = (time.monotonic(), await load_catalog())
    return _catalog[1]


def forget_catalog() -> None:
    global _catalog
    _catalog = None


def facts_document(text: str, catalog: Catalog) -> dict:
    return {"extractor": EXTRACTOR_VERSION, "facts": [f.as_dict() for f in extract(text, catalog)]}


async def refresh_facts(chunk: int = 500) -> int:
    """Re-read every interaction's summary (after an extractor change, or for notes logged before
    there was one), in chunks by id, one transaction each; the catalog is loaded once. Decisions
    already taken (accepted, dismissed) stay with their facts."""
    catalog = await load_catalog()
    last, done = 0, 0
    while rows := await Interaction.filter(id__gt=last).order_by("id").limit(chunk).only("id", "summary", "facts"):
        async with in_transaction():
            for row in rows:
                decided = {_key(f): f for f in (row.facts or {}).get("facts", []) if f.get("status")}
                document = facts_document(row.summary, catalog)
                for fact in document["facts"]:
                    if (old := decided.get(_key(fact))) is not None:
                        fact.update({k: old[k] for k in ("status", "decided_by", "decided_at") if k in old})
                if document != row.facts:
                    await Interaction.filter(id=row.id).update(facts=document)
        last, done = rows[-1].id, done + len(rows)
    return done


@dataclass
class Suggestion:
    key: str
    kind: str
    label: str  # what the consultant reads: 意向:SUV, 预算:20-30万
    value: str  # the note's words
    interaction_id: int
    start: int
    end: int
    confidence: float
    tag: str | None = None
    fields: dict = field(default_factory=dict)


def _key(fact: dict) -> str:
    return f"{fact['kind']}:{fact['normalized']}"


def _offer(fact: dict, customer: Customer) -> tuple[str, str | None, dict] | None:
    """(label, tag name, field updates) for a fact, or None when it has nothing to add."""
    kind, value = fact["kind"], fact["normalized"]
    if kind == "budget":
        low, high = budget_range(value)
        label = f"预算:{budget_label(value)}"
        return label, label, {"budget_min": low, "budget_max": high}
    if kind == "model":
        models = list(customer.interested_models or [])
        # Already there, as the series or as one of its trims (比亚迪 汉 EV 创世版).
        if any(str(m) == value or str(m).startswith(value + " ") for m in models):
            return None
        return f"意向车型:{value}", None, {"interested_models": [*models, value]}
    if kind == "timeframe":
        label = TIMEFRAME_LABELS[value]
        return f"购车时间:{label}", None, {"purchase_timeframe": label}
    tags = {
        "body": lambda: f"意向:{BODY_LABELS[value]}", "energy": lambda: f"意向:{ENERGY_LABELS[value]}",
        "colour": lambda: f"颜色:{value}", "competitor": lambda: f"竞品:{value}",
        "financing": lambda: FINANCING_LABELS[value], "purchase_kind": lambda: PURCHASE_LABELS[value],
    }
    name = tags[kind]()
    return name, name, {}


_CATEGORY = {"budget": TagCategory.CONSUMPTION, "financing": TagCategory.CONSUMPTION,
             "purchase_kind": TagCategory.BASIC}


async def suggestions_for(customer: Customer) -> list[Suggestion]:
    rows = await Interaction.filter(customer_id=customer.id).order_by("-occurred_at", "-id").limit(RECENT_NOTES) \
        .values("id", "facts")
    tagged = set(await CustomerTag.filter(customer_id=customer.id).values_list("tag__name", flat=True))
    seen: set[str] = set()
    out = []
    for row in rows:
        for fact in (row["facts"] or {}).get("facts", []):
            key = _key(fact)
            if key in seen or fact.get("negated"):
                continue
            seen.add(key)  # the newest note decides: accepted or dismissed there means done
            if fact.get("status"):
                continue
            offer = _offer(fact, customer)
            if offer is None:
                continue
            label, tag, fields = offer
            unchanged = all(getattr(customer, k) == v for k, v in fields.items())
            if (tag is None or tag in tagged) and unchanged:
                continue
            out.append(Suggestion(key, fact["kind"], label, fact["value"], row["id"], fact["start"], fact["end"],
                                  fact["confidence"], tag, fields))
    return out


async def _mark(customer_id: int, key: str, status: str, principal: Principal) -> None:
    rows = await Interaction.filter(customer_id=customer_id).order_by("-occurred_at", "-id").limit(RECENT_NOTES) \
        .only("id", "facts")
    for row in rows:
        facts = (row.facts or {}).get("facts", [])
        if any(_key(f) == key and not f.get("status") for f in facts):
            for f in facts:
                if _key(f) == key:
                    f.update(status=status, decided_by=principal.user_id, decided_at=now().isoformat())
            await Interaction.filter(id=row.id).update(facts=row.facts)


async def _find(principal: Principal, customer_id: int, key: str) -> tuple[Customer, Suggestion]:
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    suggestion = next((s for s in await suggestions_for(customer) if s.key == key), None)
    if suggestion is None:
        raise UserError(ErrorCode.NOT_FOUND, "no such suggestion, or it was already accepted or dismissed",
                        "suggestion_key")
    return customer, suggestion


def _provenance(s: Suggestion) -> dict:
    return {"suggestion": s.key, "interaction_id": s.interaction_id, "span": [s.start, s.end], "text": s.value,
            "extractor": EXTRACTOR_VERSION}


async def accept_suggestion(principal: Principal, customer_id: int, suggestion_key: str,
                            version: int | None = None) -> Customer:
    """Apply a suggestion: field updates through update_customer (a stale version is a CONFLICT),
    the tag with source EXTRACTOR; the field sources and the audit log name the note and span."""
    customer, s = await _find(principal, customer_id, suggestion_key)
    async with in_transaction():
        if s.fields:
            customer = await update_customer(principal, customer.id, customer.version if version is None else version,
                                             s.fields)
            sources = dict(customer.field_sources or {})
            for name in s.fields:
                sources[name] = {"extractor": EXTRACTOR_VERSION, "interaction": s.interaction_id,
                                 "span": [s.start, s.end]}
            await Customer.filter(id=customer.id).update(field_sources=sources)
        if s.tag:
            await Tag.bulk_create([Tag(name=s.tag, category=_CATEGORY.get(s.kind, TagCategory.BEHAVIOR))],
                                  ignore_conflicts=True)
            tag = await Tag.get(name=s.tag)
            await CustomerTag.bulk_create([CustomerTag(customer_id=customer.id, tag_id=tag.id,
                                                       source=TagSource.EXTRACTOR, assigned_by_id=principal.user_id)],
                                          ignore_conflicts=True)
        await _mark(customer.id, s.key, "accepted", principal)
        await audit.record(principal, "accept_suggestion", "Customer", customer.id, _provenance(s))
    return await Customer.get(id=customer.id)


async def dismiss_suggestion(principal: Principal, customer_id: int, suggestion_key: str) -> Customer:
    customer, s = await _find(principal, customer_id, suggestion_key)
    async with in_transaction():
        await _mark(customer.id, s.key, "dismissed", principal)
        await audit.record(principal, "dismiss_suggestion", "Customer", customer.id, _provenance(s))
    return customer

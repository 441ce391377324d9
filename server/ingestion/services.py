"""Receiving records from every channel into one customer file.

One path for every entry point (webhook, GraphQL, file import, WeChat): a batch
of raw records is cleansed, matched and merged in one transaction. Identifiers
that match merge automatically; near matches become duplicate candidates for a
person to review; every record is kept as a source record.
"""

from dataclasses import dataclass, field

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.audit.models import AuditLog
from server.auth.principal import SYSTEM, Principal
from server.customers.models import Customer
from server.enums import CandidateStatus, Channel, Lifecycle, SourceRecordStatus
from server.events.models import OutboxEvent
from server.ids import reserve_ids
from server.ingestion.cleansing import IDENTIFIERS, CleanRecord, clean_record
from server.ingestion.matching import near_match, pair
from server.ingestion.models import DuplicateCandidate, SourceRecord
from server.ingestion.survivorship import merge_values
from server.ingestion.synonyms import SynonymTable
from server.sales.models import Campaign

MAX_BATCH = 1000
RACE_RETRIES = 3
_CUSTOMER_COLUMNS = (
    "id", "name", "name_pinyin", "name_initials", "gender", "birthday", "phone", "phone_tail", "email",
    "wechat_openid", "wechat_unionid", "id_number_encrypted", "id_number_hash", "province", "city", "district",
    "address", "occupation", "company_name", "intent", "budget_min", "budget_max", "purchase_timeframe",
    "interested_models", "field_sources", "merged_into_id",
)
# How strongly an identifier names one person: an ID number is one person's for life; a phone
# is shared in families and reassigned; an e-mail like 123@qq.com is typed by many.
_STRENGTH = {"id_number_hash": 4, "wechat_unionid": 3, "wechat_openid": 3, "phone": 2, "email": 1}
_IDENTIFIER_COMPANIONS = {"phone": ("phone_tail",), "id_number_hash": ("id_number_encrypted",)}
_IDENTIFIER_LABELS = {"phone": "phone", "id_number_hash": "ID number", "wechat_openid": "WeChat openid",
                      "wechat_unionid": "WeChat unionid", "email": "e-mail"}


@dataclass
class Incoming:
    payload: dict
    external_id: str | None = None
    idempotency_key: str | None = None


@dataclass
class IngestResult:
    status: SourceRecordStatus
    customer_id: int | None
    source_record_id: int | None
    reasons: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)
    replayed: bool = False


@dataclass
class _Target:
    """A customer records land on in this batch: an existing one, or one this batch creates."""

    customer_id: int | None
    values: dict
    sources: dict
    is_new: bool
    changes: dict = field(default_factory=dict)


async def ingest(
    channel: Channel,
    items: list[Incoming],
    *,
    principal: Principal = SYSTEM,
    import_job_id: int | None = None,
) -> list[IngestResult]:
    """Ingest up to MAX_BATCH records; one result per record, in order."""
    if len(items) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} records per batch")
    synonyms = await SynonymTable.load()
    cleaned = [clean_record(item.payload, channel, synonyms) for item in items]
    for item, record in zip(items, cleaned):
        record.external_id = item.external_id or record.external_id
    keys = [_idempotency_key(channel, item, record) for item, record in zip(items, cleaned)]
    try:
        async with in_transaction():
            return await _ingest_batch(channel, cleaned, keys, principal, import_job_id)
    except IntegrityError:
        pass
    # Another delivery of the same person committed first. One at a time, matching now
    # sees what it created, so this delivery merges into it instead of duplicating it.
    results = []
    for record, key in zip(cleaned, keys):
        for attempt in range(RACE_RETRIES):
            try:
                async with in_transaction():
                    results.extend(await _ingest_batch(channel, [record], [key], principal, import_job_id))
                break
            except IntegrityError:
                if attempt == RACE_RETRIES - 1:
                    raise
    return results


def _idempotency_key(channel: Channel, item: Incoming, record: CleanRecord) -> str | None:
    if item.idempotency_key:
        return f"{channel.value}:key:{item.idempotency_key}"[:200]
    if record.external_id:
        return f"{channel.value}:ext:{record.external_id}"[:200]
    return None


async def _replays(keys: list[str | None]) -> dict[str, IngestResult]:
    wanted = [k for k in keys if k]
    if not wanted:
        return {}
    found = {}
    rows = await SourceRecord.filter(idempotency_key__in=wanted).values(
        "id", "idempotency_key", "status", "customer_id", "errors", "corrections"
    )
    survivors = await _current_ids([r["customer_id"] for r in rows if r["customer_id"]])
    for r in rows:
        found[r["idempotency_key"]] = IngestResult(
            status=SourceRecordStatus(r["status"]),
            customer_id=survivors.get(r["customer_id"], r["customer_id"]),
            source_record_id=r["id"],
            problems=r["errors"] or [],
            corrections=r["corrections"] or [],
            replayed=True,
        )
    return found


async def _current_ids(customer_ids: list[int]) -> dict[int, int]:
    """Follow merge tombstones to the customer that survives."""
    result = {cid: cid for cid in customer_ids}
    pending = set(customer_ids)
    for _ in range(10):
        if not pending:
            break
        rows = await Customer.filter(id__in=pending, merged_into_id__isnull=False).values("id", "merged_into_id")
        moved = {r["id"]: r["merged_into_id"] for r in rows}
        for original, current in result.items():
            if current in moved:
                result[original] = moved[current]
        pending = set(moved.values())
    return result


async def _ingest_batch(
    channel: Channel,
    records: list[CleanRecord],
    keys: list[str | None],
    principal: Principal,
    import_job_id: int | None,
) -> list[IngestResult]:
    replays = await _replays(keys)
    results: list[IngestResult | None] = [None] * len(records)
    first_with_key: dict[str, int] = {}
    live: list[int] = []
    for i, key in enumerate(keys):
        if key and key in replays:
            results[i] = replays[key]
        elif key and key in first_with_key:
            continue  # a repeat within this batch: answered with the first one's result below
        else:
            if key:
                first_with_key[key] = i
            live.append(i)

    db_owner = await _existing_by_identifier([records[i] for i in live if not records[i].rejected])
    targets: dict[tuple, _Target] = {}
    if db_owner:
        rows = await Customer.filter(id__in=set(db_owner.values())).values(*_CUSTOMER_COLUMNS)
        for row in rows:
            targets[("db", row["id"])] = _Target(row["id"], row, dict(row["field_sources"] or {}), is_new=False)

    source_ids = await reserve_ids(SourceRecord, len(live))
    claimed: dict[tuple[str, str], tuple] = {(k, v): ("db", cid) for (k, v), cid in db_owner.items()}
    landed: dict[int, tuple] = {}
    conflicts: list[tuple[tuple, tuple, str]] = []
    reasons: dict[int, list[str]] = {}
    for n, i in enumerate(live):
        record = records[i]
        if record.rejected:
            continue
        ref = {"channel": record.channel.value, "record": source_ids[n]}
        matched: list[tuple] = []
        matched_kinds: list[str] = []
        why: list[str] = []
        for kind, value in record.identifiers.items():
            key = claimed.get((kind, value))
            if key is not None:
                matched_kinds.append(kind)
                why.append(f"same {_IDENTIFIER_LABELS[kind]}")
                if key not in matched:
                    matched.append(key)
        contradiction = _contradiction(record, targets[matched[0]], matched_kinds) if matched else None
        if matched and contradiction is None:
            target_key = matched[0]
            target = targets[target_key]
            changes = merge_values({**target.values, **target.changes}, target.sources, record.values, record.channel.value, ref)
            target.changes.update(changes)
            for other in matched[1:]:
                conflicts.append((target_key, other, "identifiers point at two customers: " + ", ".join(why)))
            reasons[i] = why
        else:
            target_key = ("new", i)
            values = dict(record.values)
            for kind, value in record.identifiers.items():
                if (kind, value) in claimed:
                    # Held by someone else: the identifier stays in the source record only.
                    for column in (kind, *_IDENTIFIER_COMPANIONS.get(kind, ())):
                        values.pop(column, None)
            sources = {f: ref for f, v in values.items() if v not in (None, "", [])}
            targets[target_key] = _Target(None, values, sources, is_new=True)
            if contradiction is not None:
                conflicts.append((target_key, matched[0], contradiction))
        landed[i] = target_key
        for kind, value in record.identifiers.items():
            claimed.setdefault((kind, value), target_key)

    new_keys = [k for k in targets if k[0] == "new"]
    for key, cid in zip(new_keys, await reserve_ids(Customer, len(new_keys))):
        targets[key].customer_id = cid

    candidates = await _near_matches(targets, new_keys)
    for a, b, why in conflicts:
        candidates[pair(targets[a].customer_id, targets[b].customer_id)] = (0.99, [why])
    campaigns = await _campaign_ids({r.campaign_code for r in records if r.campaign_code})

    await _write_customers(targets, new_keys, records, landed, campaigns)
    review = {cid for pair_ids in candidates for cid in pair_ids}
    stored = now()
    sources_out, audit, events = [], [], []
    for n, i in enumerate(live):
        record = records[i]
        target = targets.get(landed.get(i)) if i in landed else None
        if record.rejected:
            status = SourceRecordStatus.REJECTED
        elif target.is_new and landed[i] == ("new", i):
            status = SourceRecordStatus.NEEDS_REVIEW if target.customer_id in review else SourceRecordStatus.CREATED
        else:
            status = SourceRecordStatus.MERGED
        problems = list(record.problems)
        if record.campaign_code and record.campaign_code not in campaigns:
            problems.append({"field": "campaign_code", "message": f"unknown campaign {record.campaign_code!r}"})
        result = IngestResult(status, target.customer_id if target else None, source_ids[n],
                              reasons.get(i, []), problems, record.corrections)
        results[i] = result
        sources_out.append(SourceRecord(
            id=source_ids[n], customer_id=result.customer_id, channel=record.channel, external_id=record.external_id,
            idempotency_key=keys[i], payload=record.payload, status=status, corrections=record.corrections,
            errors=problems, import_job_id=import_job_id, received_at=stored,
        ))
        if target is not None:
            audit.append(AuditLog(
                actor_user_id=principal.user_id, actor_token_id=principal.token_id,
                action="ingest", object_type="Customer", object_id=str(target.customer_id),
                changes={"source_record": source_ids[n], "status": status.value, "channel": record.channel.value},
                ip=principal.ip[:64], user_agent=principal.user_agent[:255],
            ))
    for key, target in targets.items():
        if target.is_new:
            events.append(OutboxEvent(topic="customer.created", payload={"customer_id": target.customer_id}))
        elif target.changes:
            events.append(OutboxEvent(topic="customer.updated",
                                      payload={"customer_id": target.customer_id, "fields": sorted(target.changes)}))
    await SourceRecord.bulk_create(sources_out)
    if candidates:
        await DuplicateCandidate.bulk_create(
            [DuplicateCandidate(customer_a_id=a, customer_b_id=b, score=score, reasons=why)
             for (a, b), (score, why) in candidates.items()],
            ignore_conflicts=True,
        )
    if audit:
        await AuditLog.bulk_create(audit)
    if events:
        await OutboxEvent.bulk_create(events)

    for i, key in enumerate(keys):
        if results[i] is None:
            first = results[first_with_key[key]]
            results[i] = IngestResult(first.status, first.customer_id, first.source_record_id, first.reasons,
                                      first.problems, first.corrections, replayed=True)
    return results


def _contradiction(record: CleanRecord, target: "_Target", matched_kinds: list[str]) -> str | None:
    """Why the record cannot be the matched customer, or None.

    A match on a weaker identifier is overruled by a different value of an equal or stronger
    one: the same phone with a different ID number is two people sharing a phone; the same
    e-mail with different phones is a placeholder address. Such pairs go to review.
    """
    held = {**target.values, **target.changes}
    best = max(_STRENGTH[k] for k in matched_kinds)
    for kind, value in record.identifiers.items():
        theirs = held.get(kind)
        if theirs and theirs != value and _STRENGTH[kind] >= best:
            shared = "/".join(_IDENTIFIER_LABELS[k] for k in matched_kinds)
            return f"same {shared}, different {_IDENTIFIER_LABELS[kind]}"
    return None


async def _existing_by_identifier(records: list[CleanRecord]) -> dict[tuple[str, str], int]:
    """(identifier kind, value) → id of the live customer that holds it."""
    found: dict[tuple[str, str], int] = {}
    for kind in IDENTIFIERS:
        values = {r.values[kind] for r in records if r.values.get(kind)}
        if not values:
            continue
        # Tombstones are dropped here, not in SQL: with `merged_into_id IS NULL` in the query,
        # planners pick that index (nearly every row) over the identifier's own.
        rows = await Customer.filter(**{f"{kind}__in": values}).values("id", kind, "merged_into_id")
        for row in rows:
            if row["merged_into_id"] is None:
                found.setdefault((kind, row[kind]), row["id"])
    return found


async def _near_matches(targets: dict[tuple, _Target], new_keys: list[tuple]) -> dict[tuple[int, int], tuple[float, list[str]]]:
    """Candidate pairs between each new customer and existing or other new ones."""
    if not new_keys:
        return {}
    new = [targets[k] for k in new_keys]
    now_values = [{**t.values, **t.changes} for t in new]
    names = {v["name"] for v in now_values if v.get("name")}
    pinyins = {v["name_pinyin"] for v in now_values if v.get("name_pinyin") and v.get("phone_tail")}
    query = Q(name__in=names) if names else Q(id__isnull=True)
    if pinyins:
        query |= Q(name_pinyin__in=pinyins, phone_tail__in={v["phone_tail"] for v in now_values if v.get("phone_tail")})
    rows = await Customer.filter(query).values(
        "id", "name", "name_pinyin", "phone", "phone_tail", "birthday", "address", "merged_into_id")
    # An existing customer as this batch leaves it: a record earlier in the batch may have added its phone.
    changed = {t.customer_id: t.changes for t in targets.values() if not t.is_new and t.changes}
    others = [dict(row, **changed.get(row["id"], {}), customer_id=row["id"]) for row in rows if row["merged_into_id"] is None]
    others += [dict(t.values, **t.changes, customer_id=t.customer_id) for t in new]
    by_name: dict[str, list[dict]] = {}
    by_pinyin: dict[tuple, list[dict]] = {}
    for other in others:
        by_name.setdefault(other.get("name") or "", []).append(other)
        by_pinyin.setdefault((other.get("name_pinyin"), other.get("phone_tail")), []).append(other)
    found: dict[tuple[int, int], tuple[float, list[str]]] = {}
    for t in new:
        me = {**t.values, **t.changes}
        pool = by_name.get(me.get("name") or "", []) if me.get("name") else []
        pool = pool + by_pinyin.get((me.get("name_pinyin"), me.get("phone_tail")), [])
        for other in pool:
            if other["customer_id"] == t.customer_id:
                continue
            score, why = near_match(me, other)
            if score:
                found[pair(t.customer_id, other["customer_id"])] = (score, why)
    return found


async def _campaign_ids(codes: set[str]) -> dict[str, int]:
    if not codes:
        return {}
    return {row["code"]: row["id"] for row in await Campaign.filter(code__in=codes).values("id", "code")}


async def _write_customers(targets, new_keys, records, landed, campaigns) -> None:
    record_of = {key: records[i] for i, key in landed.items() if key[0] == "new"}
    rows = []
    for key in new_keys:
        target = targets[key]
        record = record_of[key]
        # A later record in the same batch may have filled or improved fields (changes win).
        values = {k: v for k, v in {**target.values, **target.changes}.items() if k in _INSERTABLE}
        rows.append(Customer(
            id=target.customer_id, **values,
            field_sources=target.sources, lifecycle=Lifecycle.LEAD, pool_entered_at=now(),
            campaign_id=campaigns.get(record.campaign_code) if record.campaign_code else None,
        ))
    if rows:
        await Customer.bulk_create(rows)
    for key, target in targets.items():
        if target.is_new or not target.changes:
            continue
        await Customer.filter(id=target.customer_id).update(
            **target.changes, field_sources=target.sources, version=F("version") + 1
        )


_INSERTABLE = {
    "name", "name_pinyin", "name_initials", "gender", "birthday", "phone", "phone_tail", "email", "wechat_openid",
    "wechat_unionid", "id_number_encrypted", "id_number_hash", "province", "city", "district", "address",
    "occupation", "company_name", "intent", "channel", "budget_min", "budget_max", "purchase_timeframe",
    "interested_models", "notes",
}

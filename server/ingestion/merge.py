"""Merging customers into one, and splitting a source record back out into its own customer."""

from tortoise.expressions import F
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Interaction, Task
from server.audit import services as audit
from server.auth.principal import Principal
from server.customers.models import Contact, Customer, ServiceRecord, Vehicle
from server.customers.services import get_visible_customer
from server.enums import CandidateStatus
from server.errors import ErrorCode, UserError
from server.events.services import emit
from server.ingestion.cleansing import clean_record
from server.ingestion.matching import pair
from server.ingestion.models import DuplicateCandidate, SourceRecord
from server.ingestion.survivorship import IDENTITY_FIELDS, MERGEABLE, _COMPANIONS
from server.ingestion.synonyms import SynonymTable
from server.portrait.models import CustomerTag
from server.privacy.crypto import decrypt
from server.rules.models import RuleFiring
from server.sales.models import Opportunity, OwnershipChange, ShowroomVisit, TestDrive

# Everything that hangs off a customer and follows it into the survivor.
_RELATED = (Contact, Interaction, Task, Opportunity, TestDrive, Vehicle, ServiceRecord, SourceRecord, RuleFiring, OwnershipChange,
            ShowroomVisit)
CHOOSABLE = tuple(f for f in MERGEABLE + IDENTITY_FIELDS if f not in ("name_pinyin", "name_initials", "phone_tail", "id_number_encrypted")) + (
    "lifecycle", "grade", "value_tier", "notes",
)


def _empty(value) -> bool:
    return value is None or value == "" or value == []


async def merge_customers(
    principal: Principal, survivor_id: int, merged_ids: list[int], field_choices: dict[str, int] | None = None
) -> Customer:
    """Merge `merged_ids` into `survivor_id`. `field_choices` says, per field, whose value to keep;
    other fields keep the survivor's value, or the first non-empty one of the others."""
    merged_ids = [m for m in dict.fromkeys(merged_ids) if m != survivor_id]
    if not merged_ids:
        raise UserError(ErrorCode.INVALID, "name at least one other customer to merge", "merged_ids")
    survivor = await get_visible_customer(principal, survivor_id, for_write=True)
    others = [await get_visible_customer(principal, m, for_write=True) for m in merged_ids]
    everyone = {c.id: c for c in [survivor, *others]}
    choices = field_choices or {}
    for field_name, chosen in choices.items():
        if field_name not in CHOOSABLE:
            raise UserError(ErrorCode.INVALID, f"{field_name} cannot be chosen", "field_choices")
        if chosen not in everyone:
            raise UserError(ErrorCode.INVALID, f"{field_name}: choose one of the customers being merged", "field_choices")

    values, sources = {}, dict(survivor.field_sources or {})
    recent_first = sorted(others, key=lambda c: c.updated_at, reverse=True)
    for field_name in CHOOSABLE:
        if field_name in choices:
            donor = everyone[choices[field_name]]
        elif _empty(getattr(survivor, field_name)):
            donor = next((c for c in recent_first if not _empty(getattr(c, field_name))), survivor)
        else:
            continue
        if donor is survivor:
            continue
        values[field_name] = getattr(donor, field_name)
        for companion in _COMPANIONS.get(field_name, ()):
            values[companion] = getattr(donor, companion)
        if field_name in (donor.field_sources or {}):
            sources[field_name] = donor.field_sources[field_name]
        else:
            sources.pop(field_name, None)
    models = list(survivor.interested_models or [])
    for other in others:
        models += [m for m in other.interested_models or [] if m not in models]

    async with in_transaction():
        # Identifiers are unique: take them off the tombstones before the survivor takes them.
        cleared = {f: None for f in ("phone", "id_number_hash", "id_number_encrypted", "wechat_openid", "wechat_unionid")}
        await Customer.filter(id__in=merged_ids).update(**cleared, phone_tail="", merged_into_id=survivor.id,
                                                        version=F("version") + 1)
        await Customer.filter(id=survivor.id).update(**values, interested_models=models, field_sources=sources,
                                                     version=F("version") + 1)
        for model in _RELATED:
            await model.filter(customer_id__in=merged_ids).update(customer_id=survivor.id)
        held = set(await CustomerTag.filter(customer_id=survivor.id).values_list("tag_id", flat=True))
        await CustomerTag.filter(customer_id__in=merged_ids, tag_id__in=held).delete()
        await CustomerTag.filter(customer_id__in=merged_ids).update(customer_id=survivor.id)
        await _repoint_candidates(survivor.id, merged_ids, principal)
        await Customer.filter(merged_into_id__in=merged_ids).update(merged_into_id=survivor.id)
        await audit.record(principal, "merge", "Customer", survivor.id,
                           {"merged": merged_ids, "fields_taken": sorted(k for k in values if k in CHOOSABLE)})
        await emit("customer.merged", {"customer_id": survivor.id, "merged": merged_ids})
    return await Customer.get(id=survivor.id)


async def _repoint_candidates(survivor_id: int, merged_ids: list[int], principal: Principal) -> None:
    rows = await DuplicateCandidate.filter(customer_a_id__in=merged_ids) + await DuplicateCandidate.filter(
        customer_b_id__in=merged_ids
    )
    for candidate in {c.id: c for c in rows}.values():
        ends = {candidate.customer_a_id, candidate.customer_b_id}
        rest = [c for c in ends if c not in merged_ids and c != survivor_id]
        if not rest:
            await DuplicateCandidate.filter(id=candidate.id).update(
                status=CandidateStatus.MERGED, resolved_at=now(), resolved_by_id=principal.user_id
            )
            continue
        a, b = pair(survivor_id, rest[0])
        if await DuplicateCandidate.filter(customer_a_id=a, customer_b_id=b).exists():
            await DuplicateCandidate.filter(id=candidate.id).delete()
        else:
            await DuplicateCandidate.filter(id=candidate.id).update(customer_a_id=a, customer_b_id=b)


def _raw_payload(payload: dict) -> dict:
    return {k: decrypt(v["$encrypted"]) if isinstance(v, dict) and "$encrypted" in v else v for k, v in payload.items()}


async def unmerge_source_record(principal: Principal, source_record_id: int) -> Customer:
    """Split one source record out of its customer into a customer of its own."""
    record = await SourceRecord.get_or_none(id=source_record_id)
    if record is None or record.customer_id is None:
        raise UserError(ErrorCode.NOT_FOUND, "source record not found", "source_record_id")
    customer = await get_visible_customer(principal, record.customer_id, for_write=True)
    if await SourceRecord.filter(customer_id=customer.id).count() < 2:
        raise UserError(ErrorCode.INVALID, "the customer has no other source record to keep", "source_record_id")
    synonyms = await SynonymTable.load()
    cleaned = clean_record(_raw_payload(record.payload), record.channel, synonyms).values
    sources = dict(customer.field_sources or {})
    from_record = {f for f, src in sources.items() if src.get("record") == record.id}
    moved: dict = {}
    kept_changes: dict = {}
    for field_name in from_record:
        if field_name in IDENTITY_FIELDS:
            moved[field_name] = getattr(customer, field_name)
            for companion in _COMPANIONS.get(field_name, ()):
                moved[companion] = getattr(customer, companion)
                kept_changes[companion] = None if companion != "phone_tail" else ""
            kept_changes[field_name] = None
        sources.pop(field_name)
    async with in_transaction():
        if kept_changes:
            await Customer.filter(id=customer.id).update(**kept_changes)
        values = {k: v for k, v in cleaned.items() if k not in IDENTITY_FIELDS or k in moved}
        values.update(moved)
        values.pop("channel", None)
        split = await Customer.create(
            **{k: v for k, v in values.items() if k in Customer._meta.fields_map},
            channel=record.channel, owner_id=customer.owner_id, team_id=customer.team_id,
            field_sources={f: {"channel": record.channel.value, "record": record.id} for f in values},
        )
        await Customer.filter(id=customer.id).update(field_sources=sources, version=F("version") + 1)
        await SourceRecord.filter(id=record.id).update(customer_id=split.id)
        await audit.record(principal, "unmerge", "Customer", customer.id,
                           {"source_record": record.id, "new_customer": split.id, "fields_moved": sorted(moved)})
        await emit("customer.created", {"customer_id": split.id})
    return split


async def dismiss_candidate(principal: Principal, candidate_id: int) -> DuplicateCandidate:
    """'Not the same person': remembered, so the pair is never suggested again."""
    candidate = await _visible_candidate(principal, candidate_id)
    candidate.status = CandidateStatus.DISMISSED
    candidate.resolved_at = now()
    candidate.resolved_by_id = principal.user_id
    await candidate.save(update_fields=["status", "resolved_at", "resolved_by_id"])
    await audit.record(principal, "dismiss", "DuplicateCandidate", candidate.id)
    return candidate


async def _visible_candidate(principal: Principal, candidate_id: int) -> DuplicateCandidate:
    from server.auth.scope import customer_q

    candidate = await DuplicateCandidate.filter(
        customer_q(principal, "customer_a__", for_write=True), customer_q(principal, "customer_b__", for_write=True),
        id=candidate_id,
    ).first()
    if candidate is None:
        raise UserError(ErrorCode.NOT_FOUND, "candidate not found or not yours", "id")
    return candidate


async def merge_candidate(principal: Principal, candidate_id: int, survivor_id: int | None,
                          field_choices: dict[str, int] | None) -> Customer:
    candidate = await _visible_candidate(principal, candidate_id)
    if candidate.status is not CandidateStatus.OPEN:
        raise UserError(ErrorCode.CONFLICT, "this pair was already resolved", "id")
    pair_ids = (candidate.customer_a_id, candidate.customer_b_id)
    survivor = survivor_id or pair_ids[0]
    if survivor not in pair_ids:
        raise UserError(ErrorCode.INVALID, "the survivor must be one of the pair", "survivor_id")
    other = pair_ids[1] if survivor == pair_ids[0] else pair_ids[0]
    return await merge_customers(principal, survivor, [other], field_choices)

from server.activity.models import Interaction
from server.auth.principal import SYSTEM
from server.customers.models import Contact, Customer
from server.enums import CandidateStatus, Channel, InteractionKind, TagCategory
from server.ingestion.merge import dismiss_candidate, merge_candidate, merge_customers, unmerge_source_record
from server.ingestion.models import DuplicateCandidate, SourceRecord
from server.ingestion.services import Incoming, ingest
from server.portrait.models import CustomerTag, Tag
from tortoise.timezone import now


async def _two_near_duplicates():
    a, b = await ingest(Channel.WEBSITE, [
        Incoming({"name": "王五", "phone": "13700137000", "邮箱": "wang@example.com"}),
        Incoming({"name": "王五", "phone": "13700137001", "地址": "南山区科技园"}),
    ])
    return a.customer_id, b.customer_id


async def test_merging_moves_everything_to_the_survivor_and_leaves_a_tombstone(db):
    keep, gone = await _two_near_duplicates()
    tag = await Tag.create(name="高意向", category=TagCategory.BEHAVIOR)
    await CustomerTag.create(customer_id=keep, tag=tag)
    await CustomerTag.create(customer_id=gone, tag=tag)
    await Contact.create(customer_id=gone, name="王太太")
    await Interaction.create(customer_id=gone, kind=InteractionKind.CALL, occurred_at=now(), summary="打过电话")
    survivor = await merge_customers(SYSTEM, keep, [gone], {"phone": gone})
    assert survivor.phone == "+8613700137001" and survivor.phone_tail == "7001"
    assert survivor.email == "wang@example.com" and survivor.address == "南山区科技园"
    assert await Contact.filter(customer_id=keep).count() == 1
    assert await Interaction.filter(customer_id=keep).count() == 1
    assert await SourceRecord.filter(customer_id=keep).count() == 2
    assert await CustomerTag.filter(customer_id=keep).count() == 1
    tombstone = await Customer.get(id=gone)
    assert tombstone.merged_into_id == keep and tombstone.phone is None
    candidate = await DuplicateCandidate.get(customer_a_id=keep, customer_b_id=gone)
    assert candidate.status == CandidateStatus.MERGED


async def test_a_later_record_with_the_tombstones_number_is_sent_to_review_not_lost(db):
    keep, gone = await _two_near_duplicates()
    await merge_customers(SYSTEM, keep, [gone])
    # The survivor kept its own phone; the merged one's number left with the tombstone.
    result = (await ingest(Channel.PHONE, [Incoming({"name": "王五", "phone": "13700137001"})]))[0]
    assert result.status.value == "NEEDS_REVIEW"
    assert await DuplicateCandidate.filter(customer_a_id=keep, customer_b_id=result.customer_id, status="OPEN").exists()


async def test_a_source_record_can_be_split_back_out(db):
    keep, gone = await _two_near_duplicates()
    await merge_customers(SYSTEM, keep, [gone], {"phone": gone})
    record = await SourceRecord.filter(customer_id=keep).order_by("-id").first()
    split = await unmerge_source_record(SYSTEM, record.id)
    assert split.phone == "+8613700137001" and split.name == "王五"
    assert (await SourceRecord.get(id=record.id)).customer_id == split.id
    assert (await Customer.get(id=keep)).phone is None


async def test_not_the_same_person_is_remembered(db):
    keep, gone = await _two_near_duplicates()
    candidate = await DuplicateCandidate.get(customer_a_id=keep, customer_b_id=gone)
    await dismiss_candidate(SYSTEM, candidate.id)
    await ingest(Channel.WEBSITE, [Incoming({"name": "王五", "phone": "13700137001", "编号": "again"})])
    assert await DuplicateCandidate.filter(status=CandidateStatus.OPEN).count() == 0
    assert (await DuplicateCandidate.get(id=candidate.id)).status == CandidateStatus.DISMISSED


async def test_merging_a_candidate_uses_the_chosen_survivor(db):
    keep, gone = await _two_near_duplicates()
    candidate = await DuplicateCandidate.get(customer_a_id=keep, customer_b_id=gone)
    survivor = await merge_candidate(SYSTEM, candidate.id, gone, {"email": keep})
    assert survivor.id == gone and survivor.email == "wang@example.com"


async def test_ownership_history_follows_the_merge_so_cooling_off_still_holds(db):
    from server.enums import OwnershipChangeKind
    from server.sales.models import OwnershipChange

    keep, gone = await _two_near_duplicates()
    await OwnershipChange.create(customer_id=gone, kind=list(OwnershipChangeKind)[0])
    await merge_customers(SYSTEM, keep, [gone])
    assert await OwnershipChange.filter(customer_id=keep).count() == 1

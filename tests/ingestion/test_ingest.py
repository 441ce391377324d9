import asyncio

import pytest
from tortoise import Tortoise

from server.customers.models import Customer
from server.enums import Channel, SourceRecordStatus
from server.ingestion.models import DuplicateCandidate, SourceRecord
from server.ingestion.services import Incoming, ingest
from tests.conftest import USE_PG

ID_NUMBER = "440305198511230024"


async def one(channel: Channel, payload: dict, **kw):
    return (await ingest(channel, [Incoming(payload, **kw)]))[0]


async def test_one_person_from_three_channels_becomes_one_customer_with_every_record_kept(db):
    web = await one(Channel.WEBSITE, {"姓名": "张三", "手机号": "138 0013 8000", "意向车型": "汉EV"})
    shop = await one(Channel.SHOWROOM, {"name": "张 三", "phone": "+86-138-0013-8000", "身份证号": ID_NUMBER})
    wechat = await one(Channel.WECHAT, {"openid": "o-123", "phone": "8613800138000"})
    assert web.status is SourceRecordStatus.CREATED
    assert shop.status is SourceRecordStatus.MERGED and shop.reasons == ["same phone"]
    assert wechat.status is SourceRecordStatus.MERGED
    assert web.customer_id == shop.customer_id == wechat.customer_id
    assert await Customer.all().count() == 1
    records = await SourceRecord.filter(customer_id=web.customer_id).order_by("id")
    assert [r.channel for r in records] == ["WEBSITE", "SHOWROOM", "WECHAT"]
    assert records[0].payload == {"姓名": "张三", "手机号": "138 0013 8000", "意向车型": "汉EV"}
    customer = await Customer.get(id=web.customer_id)
    assert customer.wechat_openid == "o-123" and customer.birthday.isoformat() == "1985-11-23"
    assert customer.interested_models == ["汉EV"]


async def test_the_same_id_number_merges_through_the_blind_index(db):
    a = await one(Channel.WEBSITE, {"name": "李四", "身份证号": ID_NUMBER})
    b = await one(Channel.IMPORT, {"name": "李四", "身份证号": ID_NUMBER.replace("4", "4"), "phone": "13900139000"})
    assert b.status is SourceRecordStatus.MERGED and b.reasons == ["same ID number"]
    assert (await Customer.get(id=a.customer_id)).phone == "+8613900139000"


async def test_a_near_match_is_queued_for_review_and_never_merged(db):
    a = await one(Channel.WEBSITE, {"name": "王五", "phone": "13700137000"})
    b = await one(Channel.DOUYIN, {"name": "王五", "phone": "13700137001"})  # one digit off
    c = await one(Channel.PHONE, {"name": "王五", "phone": "13700130700"})  # a transposition
    assert b.status is SourceRecordStatus.NEEDS_REVIEW and c.status is SourceRecordStatus.NEEDS_REVIEW
    assert len({a.customer_id, b.customer_id, c.customer_id}) == 3
    candidates = await DuplicateCandidate.all().order_by("id")
    assert {(x.customer_a_id, x.customer_b_id) for x in candidates} >= {(a.customer_id, b.customer_id), (a.customer_id, c.customer_id)}
    assert "same name, phone one digit or one transposition apart" in candidates[0].reasons


async def test_same_pinyin_and_phone_tail_is_a_candidate(db):
    a = await one(Channel.WEBSITE, {"name": "张伟", "phone": "13800001234"})
    b = await one(Channel.WEBSITE, {"name": "章伟", "phone": "13900001234"})
    assert b.status is SourceRecordStatus.NEEDS_REVIEW
    candidate = await DuplicateCandidate.get(customer_a_id=a.customer_id, customer_b_id=b.customer_id)
    assert candidate.reasons == ["same pinyin and phone tail"]


async def test_a_retried_delivery_returns_the_first_result_and_creates_nothing(db):
    first = await one(Channel.WEBSITE, {"name": "赵六", "phone": "13600136000"}, idempotency_key="abc")
    again = await one(Channel.WEBSITE, {"name": "赵六", "phone": "13600136000"}, idempotency_key="abc")
    by_external = await one(Channel.WEBSITE, {"编号": "L-9", "name": "钱七", "phone": "13500135000"})
    by_external_again = await one(Channel.WEBSITE, {"编号": "L-9", "name": "钱七", "phone": "13500135000"})
    assert again.replayed and again.customer_id == first.customer_id and again.source_record_id == first.source_record_id
    assert by_external_again.replayed and by_external_again.source_record_id == by_external.source_record_id
    assert await SourceRecord.all().count() == 2


async def test_bad_rows_are_rejected_with_reasons_and_the_good_ones_are_kept(db):
    results = await ingest(Channel.IMPORT, [
        Incoming({"姓名": "好客户", "手机号": "13800138000"}),
        Incoming({"姓名": "坏号码", "手机号": "12345"}),
        Incoming({"姓名": "坏证件", "身份证号": "110101199003071234", "手机号": "13900139000"}),
    ])
    assert [r.status for r in results] == [SourceRecordStatus.CREATED, SourceRecordStatus.REJECTED, SourceRecordStatus.CREATED]
    assert results[1].customer_id is None
    assert {p["field"] for p in results[1].problems} == {"phone", "record"}
    assert results[2].problems == [{"field": "id_number", "message": "ID-card number check digit does not match"}]
    rejected = await SourceRecord.get(id=results[1].source_record_id)
    assert rejected.payload == {"姓名": "坏号码", "手机号": "12345"} and rejected.status == "REJECTED"


async def test_a_showroom_value_outranks_a_website_value_and_staff_edits_outrank_both(db):
    from server.auth.principal import SYSTEM
    from server.customers.services import update_customer

    a = await one(Channel.WEBSITE, {"name": "孙八", "phone": "13300133000", "地址": "网上填的地址"})
    await one(Channel.SHOWROOM, {"name": "孙八", "phone": "13300133000", "地址": "展厅登记的地址"})
    await one(Channel.WEBSITE, {"name": "孙八", "phone": "13300133000", "地址": "又一个网上地址"})
    assert (await Customer.get(id=a.customer_id)).address == "展厅登记的地址"
    customer = await Customer.get(id=a.customer_id)
    await update_customer(SYSTEM, customer.id, customer.version, {"address": "顾问核实的地址"})
    await one(Channel.SHOWROOM, {"name": "孙八", "phone": "13300133000", "地址": "再次登记"})
    assert (await Customer.get(id=a.customer_id)).address == "顾问核实的地址"


async def test_the_region_is_completed_from_the_id_number_or_the_phone(db):
    by_id = await one(Channel.WEBSITE, {"name": "周九", "身份证号": ID_NUMBER})
    by_phone = await one(Channel.WEBSITE, {"name": "吴十", "phone": "13912345678"})
    c1, c2 = await Customer.get(id=by_id.customer_id), await Customer.get(id=by_phone.customer_id)
    assert (c1.province, c1.city, c1.district) == ("广东省", "深圳市", "南山区")
    assert (c2.province, c2.city) == ("江苏省", "常州市")


async def test_duplicates_inside_one_batch_become_one_customer(db):
    results = await ingest(Channel.IMPORT, [
        Incoming({"name": "郑一", "phone": "13800000001"}),
        Incoming({"name": "郑一", "phone": "+8613800000001", "email": "zheng@example.com"}),
    ])
    assert results[0].customer_id == results[1].customer_id
    assert [r.status for r in results] == [SourceRecordStatus.CREATED, SourceRecordStatus.MERGED]
    assert (await Customer.get(id=results[0].customer_id)).email == "zheng@example.com"


async def test_no_id_number_is_stored_in_clear_anywhere(db):
    await one(Channel.WEBSITE, {"name": "冯二", "身份证号": ID_NUMBER, "phone": "13800138000"})
    conn = Tortoise.get_connection("default")
    tables = [m._meta.db_table for m in Tortoise.apps["models"].values()]
    for table in tables:
        rows = await conn.execute_query_dict(f'SELECT * FROM "{table}"')
        assert ID_NUMBER not in repr(rows), table
        assert ID_NUMBER[:17] not in repr(rows), table


@pytest.mark.skipif(not USE_PG, reason="concurrent writers need PostgreSQL; SQLite serializes them")
async def test_two_deliveries_of_one_person_at_the_same_moment_end_as_one_customer(db, monkeypatch):
    from server.ingestion import services

    # Hold both transactions after they have looked for the person and before either writes,
    # so both decide "new customer": the worst interleaving, every time.
    barrier, calls, fallbacks = asyncio.Barrier(2), [], []
    real_reserve, real_batch = services.reserve_ids, services._ingest_batch

    async def reserve_after_both_looked(model, count):
        if model is Customer and len(calls) < 2:
            calls.append(model)
            await barrier.wait()
        return await real_reserve(model, count)

    async def batch(channel, records, keys, *args):
        if len(calls) >= 2:
            fallbacks.append(keys)
        return await real_batch(channel, records, keys, *args)

    monkeypatch.setattr(services, "reserve_ids", reserve_after_both_looked)
    monkeypatch.setattr(services, "_ingest_batch", batch)
    payloads = [{"name": "陈晨", "phone": "13800138888", "编号": f"race-{i}"} for i in range(2)]
    results = await asyncio.gather(*(one(Channel.WEBSITE, p) for p in payloads))
    assert fallbacks, "the two deliveries did not collide"
    assert results[0].customer_id == results[1].customer_id
    assert sorted(r.status for r in results) == [SourceRecordStatus.CREATED, SourceRecordStatus.MERGED]
    assert await Customer.all().count() == 1
    assert await SourceRecord.all().count() == 2


async def test_a_shared_phone_with_a_different_id_number_is_two_people_sent_to_review(db):
    husband, wife = await ingest(Channel.SHOWROOM, [
        Incoming({"姓名": "王建国", "手机号": "13911112222", "身份证号": "110101197001010016"}),
        Incoming({"姓名": "李秀英", "手机号": "13911112222", "身份证号": "110101197202020026"}),
    ])
    assert wife.status.value == "NEEDS_REVIEW"
    assert husband.customer_id != wife.customer_id
    him, her = await Customer.get(id=husband.customer_id), await Customer.get(id=wife.customer_id)
    assert him.name == "王建国" and her.name == "李秀英"
    assert her.phone is None and her.id_number_hash  # the phone stays his; hers is in her source record
    candidate = await DuplicateCandidate.get(customer_a_id=him.id, customer_b_id=her.id)
    assert "different ID number" in " ".join(candidate.reasons)


async def test_a_placeholder_email_does_not_merge_people_with_different_phones(db):
    first = (await ingest(Channel.WEBSITE, [Incoming({"name": "刘洋", "phone": "13911113333", "email": "123@qq.com"})]))[0]
    second = (await ingest(Channel.WEBSITE, [Incoming({"name": "陈静", "phone": "13733334444", "email": "123@qq.com"})]))[0]
    assert second.status.value == "NEEDS_REVIEW" and second.customer_id != first.customer_id
    assert (await Customer.get(id=first.customer_id)).name == "刘洋"
    assert (await Customer.get(id=second.customer_id)).phone == "+8613733334444"


async def test_an_id_number_match_still_merges_a_new_phone(db):
    first = (await ingest(Channel.SHOWROOM, [Incoming({"name": "赵敏", "phone": "13911114444", "身份证": "110101197001010016"})]))[0]
    again = (await ingest(Channel.PHONE, [Incoming({"name": "赵敏", "phone": "13655556666", "身份证": "110101197001010016"})]))[0]
    assert again.status.value == "MERGED" and again.customer_id == first.customer_id


async def test_a_phone_added_earlier_in_the_batch_counts_for_near_matches(db):
    await ingest(Channel.WEBSITE, [Incoming({"name": "黄思萱", "身份证号": "110101197001010016"})])
    results = await ingest(Channel.PHONE, [
        Incoming({"name": "黄思萱", "身份证号": "110101197001010016", "phone": "13911115555"}),
        Incoming({"name": "黄思萱", "phone": "13911115556"}),  # a one-digit typo of the phone just added
    ])
    assert results[0].status.value == "MERGED" and results[1].status.value == "NEEDS_REVIEW"
    assert await DuplicateCandidate.filter(customer_a_id=results[0].customer_id, customer_b_id=results[1].customer_id).exists()

"""POST /ingest/{channel}: signed deliveries from lead sites, retried freely."""

import json

import httpx
import pytest

from server import config
from server.app import create_app
from server.customers.models import Customer
from server.ingestion.models import SourceRecord
from server.ingestion.webhook import MAX_BODY_BYTES, sign

SECRET = "douyin-secret-for-tests"


@pytest.fixture
async def hook(db, monkeypatch):
    monkeypatch.setenv("INGEST_SECRET_DOUYIN", SECRET)
    monkeypatch.setattr(config, "settings", config.load_settings())
    transport = httpx.ASGITransport(app=create_app(manage_db=False, embedded_worker=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        async def post(body, *, channel="douyin", signature=None, headers=None):
            raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            sent = {"content-type": "application/json", "x-signature-256": signature or sign(SECRET, raw), **(headers or {})}
            return await client.post(f"/ingest/{channel}", content=raw, headers=sent)
        yield post


async def test_a_signed_delivery_creates_a_lead_and_a_retry_creates_nothing(hook):
    lead = {"姓名": "周九", "手机号": "139 1234 5678", "意向": "很想买", "车型": "汉EV"}
    first = await hook(lead, headers={"Idempotency-Key": "dy-delivery-1"})
    assert first.status_code == 200
    result = first.json()["results"][0]
    assert result["status"] == "CREATED" and result["customerId"] and not result["replayed"]
    customer = await Customer.get(phone="+8613912345678")
    assert customer.name == "周九" and customer.channel == "DOUYIN" and customer.intent == "STRONG"

    retry = await hook(lead, headers={"Idempotency-Key": "dy-delivery-1"})
    again = retry.json()["results"][0]
    assert again["replayed"] and again["customerId"] == result["customerId"]
    assert await SourceRecord.all().count() == 1 and await Customer.all().count() == 1


async def test_the_records_own_external_id_also_makes_retries_safe(hook):
    lead = {"线索编号": "DY-778", "name": "吴十", "phone": "13911112222"}
    await hook(lead)
    await hook(lead)
    assert await SourceRecord.filter(external_id="DY-778").count() == 1


async def test_a_batch_gets_one_result_per_record_and_bad_rows_do_not_sink_good_ones(hook):
    response = await hook([
        {"name": "郑一", "phone": "13700001111"},
        {"name": "郑一", "phone": "0086-137-0000-1111", "城市": "杭州"},
        {"name": "", "phone": "garbage"},
    ])
    assert response.status_code == 200
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["CREATED", "MERGED", "REJECTED"]
    rejected = response.json()["results"][2]
    assert {p["field"] for p in rejected["problems"]} >= {"phone"}
    assert await Customer.all().count() == 1 and await SourceRecord.all().count() == 3


@pytest.mark.parametrize("case, expected_status, expected_field", [
    ("wrong signature", 401, "x-signature-256"),
    ("missing signature", 401, "x-signature-256"),
    ("unknown channel", 404, "channel"),
    ("channel without a secret", 403, None),
    ("malformed JSON", 400, "body"),
    ("not an object", 400, "records[1]"),
    ("empty list", 400, "body"),
    ("oversize", 413, None),
])
async def test_bad_deliveries_are_refused_with_a_reason_and_write_nothing(hook, case, expected_status, expected_field):
    good = {"name": "钱二", "phone": "13700002222"}
    if case == "wrong signature":
        response = await hook(good, signature=sign("not-the-secret", b"{}"))
    elif case == "missing signature":
        response = await hook(good, signature=" ")
    elif case == "unknown channel":
        response = await hook(good, channel="myspace")
    elif case == "channel without a secret":
        response = await hook(good, channel="website")
    elif case == "malformed JSON":
        response = await hook('{"name": "钱二", "phone": '.encode())
    elif case == "not an object":
        response = await hook([good, "钱二"])
    elif case == "empty list":
        response = await hook([])
    else:
        response = await hook(b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}')
    assert response.status_code == expected_status, response.text
    error = response.json()["error"]
    assert error["message"] and error["field"] == expected_field
    assert await SourceRecord.all().count() == 0 and await Customer.all().count() == 0


async def test_malformed_json_says_where(hook):
    response = await hook(b'{"name": "a",\n "phone": }')
    assert "line 2" in response.json()["error"]["message"]

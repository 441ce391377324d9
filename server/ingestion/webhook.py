"""POST /ingest/{channel}: lead sites and forms push records here.

The body is one record (a JSON object) or a list of up to MAX_BATCH of them, signed with
HMAC-SHA256 over the raw body under the channel's secret (`INGEST_SECRET_<CHANNEL>`), sent
as `X-Signature-256: sha256=<hex>`. An `Idempotency-Key` header (or each record's own
external id) makes a retried delivery return the first result and create nothing.
"""

import hashlib
import hmac
import json

from starlette.requests import Request
from starlette.responses import JSONResponse

from server import config
from server.api.relay import to_global_id
from server.enums import Channel
from server.ingestion.services import MAX_BATCH, Incoming, IngestResult, ingest

MAX_BODY_BYTES = 2 * 1024 * 1024
SIGNATURE_HEADER = "x-signature-256"


class WebhookError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def response(self) -> JSONResponse:
        return JSONResponse({"error": {"code": self.code, "field": self.field, "message": self.message}},
                            status_code=self.status)


def sign(secret: str, body: bytes) -> str:
    """The header value a sender computes; also what tests and integrators' examples use."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _channel(name: str) -> Channel:
    try:
        return Channel(name.upper())
    except ValueError:
        known = ", ".join(c.value.lower() for c in Channel)
        raise WebhookError(404, "NOT_FOUND", f"unknown channel '{name}'; known channels: {known}", "channel") from None


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise WebhookError(413, "LIMIT_EXCEEDED", f"body larger than {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    # A missing or lying Content-Length must not let a sender fill memory.
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise WebhookError(413, "LIMIT_EXCEEDED", f"body larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _verify(channel: Channel, body: bytes, header: str | None) -> None:
    secret = config.settings.ingest_secrets.get(channel.value.lower())
    if not secret:
        raise WebhookError(403, "FORBIDDEN",
                           f"the {channel.value.lower()} webhook is not enabled: set INGEST_SECRET_{channel.value}")
    if not header:
        raise WebhookError(401, "UNAUTHENTICATED", f"missing {SIGNATURE_HEADER} header", SIGNATURE_HEADER)
    if not hmac.compare_digest(sign(secret, body), header.strip() if header.startswith("sha256=") else "sha256=" + header.strip()):
        raise WebhookError(401, "UNAUTHENTICATED", "signature does not match the body", SIGNATURE_HEADER)


def _records(body: bytes) -> list[dict]:
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise WebhookError(400, "INVALID", f"body is not UTF-8 (byte {exc.start})", "body") from None
    except json.JSONDecodeError as exc:
        raise WebhookError(400, "INVALID", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                           "body") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise WebhookError(400, "INVALID", "no records in the body", "body")
    if len(records) > MAX_BATCH:
        raise WebhookError(413, "LIMIT_EXCEEDED", f"at most {MAX_BATCH} records per delivery", "body")
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            where = f"records[{i}]" if isinstance(data, list) else "body"
            raise WebhookError(400, "INVALID", f"{where} must be a JSON object", where)
    return records


def result_json(index: int, r: IngestResult) -> dict:
    return {
        "index": index,
        "status": r.status.value,
        "customerId": to_global_id("Customer", r.customer_id) if r.customer_id else None,
        "sourceRecordId": to_global_id("SourceRecord", r.source_record_id) if r.source_record_id else None,
        "reasons": r.reasons,
        "problems": r.problems,
        "corrections": [{"field": c["field"], "before": c["from"], "after": c["to"], "reason": c["reason"]}
                        for c in r.corrections],
        "replayed": r.replayed,
    }


async def receive(request: Request) -> JSONResponse:
    try:
        channel = _channel(request.path_params["channel"])
        body = await _body(request)
        _verify(channel, body, request.headers.get(SIGNATURE_HEADER))
        records = _records(body)
    except WebhookError as exc:
        return exc.response()
    key = request.headers.get("idempotency-key", "").strip()[:150] or None
    items = [
        Incoming(record, idempotency_key=(key if len(records) == 1 else f"{key}:{i}") if key else None)
        for i, record in enumerate(records)
    ]
    results = await ingest(channel, items)
    return JSONResponse({"results": [result_json(i, r) for i, r in enumerate(results)]})

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from server.api.enums import Channel
from server.api.errors import ErrorCode, UserError
from server.api.ingestion.types import Correction, FieldProblem, SourceRecordStatus
from server.api.permissions import BasePermission
from server.api.relay import to_global_id
from server.enums import TokenScope
from server.ingestion.services import MAX_BATCH, Incoming, ingest


class CanIngest(BasePermission):
    message = "ingesting needs staff write access or a token with the ingest scope"

    def has_permission(self, source, info: Info, **kwargs) -> bool:
        p = info.context.principal
        return p is not None and (p.allows(TokenScope.INGEST) if p.is_token else True)


@strawberry.input(description="One record as a channel sent it.")
class IngestRecordInput:
    data: JSON = strawberry.field(description="The fields as sent: English or Chinese keys (姓名, 手机号, 身份证号 …).")
    external_id: str | None = strawberry.field(default=None, description="The sender's id; a repeat returns the first result.")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retried call return the first result.")


@strawberry.input(description="Up to 1,000 records from one channel.")
class IngestRecordsInput:
    channel: Channel = strawberry.field(description="Where the records come from.")
    records: list[IngestRecordInput] = strawberry.field(description="The records, at most 1,000.")


@strawberry.type(description="What became of one record.")
class IngestRecordResult:
    index: int = strawberry.field(description="The record's position in the input, from 0.")
    status: SourceRecordStatus = strawberry.field(description="CREATED, MERGED, NEEDS_REVIEW or REJECTED.")
    customer_id: strawberry.ID | None = strawberry.field(description="The customer it created or merged into.")
    source_record_id: strawberry.ID | None = strawberry.field(description="The kept source record.")
    reasons: list[str] = strawberry.field(description="Why it merged (same phone, same ID number …).")
    problems: list[FieldProblem] = strawberry.field(description="Values that could not be used, and why.")
    corrections: list[Correction] = strawberry.field(description="What cleansing changed.")
    replayed: bool = strawberry.field(description="True when this repeats an earlier delivery: nothing new was created.")


@strawberry.type(description="The result of ingestRecords.")
class IngestRecordsPayload:
    results: list[IngestRecordResult] = strawberry.field(description="One result per record, in input order.")
    errors: list[UserError] = strawberry.field(description="Problems with the call as a whole.")


def to_result(index: int, r) -> IngestRecordResult:
    return IngestRecordResult(
        index=index, status=r.status,
        customer_id=to_global_id("Customer", r.customer_id) if r.customer_id else None,
        source_record_id=to_global_id("SourceRecord", r.source_record_id) if r.source_record_id else None,
        reasons=r.reasons, problems=[FieldProblem(field=p["field"], message=p["message"]) for p in r.problems],
        corrections=[Correction(field=c["field"], before=c["from"], after=c["to"], reason=c["reason"]) for c in r.corrections],
        replayed=r.replayed,
    )


async def ingest_records(info: Info, input: IngestRecordsInput) -> IngestRecordsPayload:
    if len(input.records) > MAX_BATCH:
        return IngestRecordsPayload(results=[], errors=[UserError(
            field="records", code=ErrorCode.LIMIT_EXCEEDED, message=f"at most {MAX_BATCH} records per call")])
    bad = [i for i, r in enumerate(input.records) if not isinstance(r.data, dict)]
    if bad:
        return IngestRecordsPayload(results=[], errors=[UserError(
            field=f"records.{bad[0]}.data", code=ErrorCode.INVALID, message="data must be a JSON object")])
    items = [Incoming(r.data, external_id=r.external_id, idempotency_key=r.idempotency_key) for r in input.records]
    results = await ingest(input.channel, items, principal=info.context.principal)
    return IngestRecordsPayload(results=[to_result(i, r) for i, r in enumerate(results)], errors=[])


field = strawberry.mutation(
    resolver=ingest_records,
    description="Bring in records from a channel: cleansed, matched and merged; every record kept.",
    permission_classes=[CanIngest],
)

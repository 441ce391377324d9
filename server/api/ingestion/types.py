from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from server.api.enums import Channel
from server.api.relay import Node, to_global_id
from server.enums import CandidateStatus as CandidateStatusEnum
from server.enums import SourceRecordStatus as SourceRecordStatusEnum
from server.privacy.masking import mask_id_number

if TYPE_CHECKING:
    from server.api.customers.types import Customer

CustomerRef = Annotated["Customer", strawberry.lazy("server.api.customers.types")]
SourceRecordStatus = strawberry.enum(SourceRecordStatusEnum, description="What became of a received record.")
CandidateStatus = strawberry.enum(CandidateStatusEnum, description="Whether a possible duplicate pair was reviewed.")


@strawberry.type(description="A problem with one field of a received record.")
class FieldProblem:
    field: str = strawberry.field(description="The field at fault, or `record` for the record as a whole.")
    message: str = strawberry.field(description="Why, in plain words.")


@strawberry.type(description="A change cleansing made to a received value.")
class Correction:
    field: str = strawberry.field(description="The field changed.")
    before: str = strawberry.field(description="The value as received.")
    after: str = strawberry.field(description="The standard value kept.")
    reason: str = strawberry.field(description="Why it was changed.")


def _masked(payload: dict) -> dict:
    from server.privacy.crypto import decrypt

    shown = {}
    for key, value in payload.items():
        if isinstance(value, dict) and "$encrypted" in value:
            shown[key] = mask_id_number(decrypt(value["$encrypted"]).strip().upper())
        else:
            shown[key] = value
    return shown


@strawberry.type(description="A record as received from a channel (来源记录), kept verbatim; ID numbers masked.")
class SourceRecord(Node):
    channel: Channel = strawberry.field(description="Where it came from.")
    external_id: str | None = strawberry.field(description="The sender's id for the record.")
    received_at: datetime = strawberry.field(description="When it arrived.")
    payload: JSON = strawberry.field(description="The record as received (ID numbers masked).")
    status: SourceRecordStatus = strawberry.field(description="Created a customer, merged, sent to review or rejected.")
    corrections: list[Correction] = strawberry.field(description="What cleansing changed.")
    problems: list[FieldProblem] = strawberry.field(description="Values that could not be used, and why.")

    @classmethod
    def from_model(cls, r) -> "SourceRecord":
        return cls(
            id=to_global_id("SourceRecord", r.id), channel=r.channel, external_id=r.external_id,
            received_at=r.received_at, payload=_masked(r.payload or {}), status=r.status,
            corrections=[Correction(field=c["field"], before=c["from"], after=c["to"], reason=c["reason"])
                         for c in r.corrections or []],
            problems=[FieldProblem(field=p["field"], message=p["message"]) for p in r.errors or []],
        )


@strawberry.type(description="Two customers that may be one person, waiting for a person to decide.")
class DuplicateCandidate(Node):
    score: float = strawberry.field(description="How likely they are one person, 0–1.")
    reasons: list[str] = strawberry.field(description="What they have in common.")
    status: CandidateStatus = strawberry.field(description="Open, merged or dismissed.")
    created_at: datetime = strawberry.field(description="When the pair was found.")
    a_pk: strawberry.Private[int]
    b_pk: strawberry.Private[int]

    async def _customer(self, info: Info, pk: int):
        from server.api.customers.types import Customer
        from server.auth.scope import scoped
        from server.customers.models import Customer as CustomerModel

        row = await scoped(CustomerModel, info.context.principal).filter(id=pk).first()
        return Customer.from_model(row) if row else None

    @strawberry.field(description="The first customer of the pair.")
    async def customer_a(self, info: Info) -> CustomerRef | None:
        return await self._customer(info, self.a_pk)

    @strawberry.field(description="The second customer of the pair.")
    async def customer_b(self, info: Info) -> CustomerRef | None:
        return await self._customer(info, self.b_pk)

    @classmethod
    def from_model(cls, c) -> "DuplicateCandidate":
        return cls(id=to_global_id("DuplicateCandidate", c.id), score=c.score, reasons=list(c.reasons or []),
                   status=c.status, created_at=c.created_at, a_pk=c.customer_a_id, b_pk=c.customer_b_id)

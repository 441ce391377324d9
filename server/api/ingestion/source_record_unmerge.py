import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.ingestion import merge


@strawberry.input(description="The source record to split out of its customer.")
class UnmergeSourceRecordInput:
    source_record_id: strawberry.ID = strawberry.field(description="The record.")


@strawberry.type(description="The result of unmergeSourceRecord.")
class UnmergeSourceRecordPayload:
    customer: Customer | None = strawberry.field(description="The new customer made from the record.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def unmerge_source_record(info: Info, input: UnmergeSourceRecordInput) -> UnmergeSourceRecordPayload:
    try:
        row = await merge.unmerge_source_record(
            info.context.principal, decode_id(input.source_record_id, "SourceRecord", "sourceRecordId"))
    except USER_ERRORS as exc:
        return UnmergeSourceRecordPayload(customer=None, errors=to_user_errors(exc))
    return UnmergeSourceRecordPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(resolver=unmerge_source_record, permission_classes=[CanWrite],
                            description="Split a wrongly merged source record back out into a customer of its own.")

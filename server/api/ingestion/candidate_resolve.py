from enum import Enum

import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.ingestion.customers_merge import FieldChoice, choices
from server.api.ingestion.types import DuplicateCandidate
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.ingestion import merge
from server.ingestion.models import DuplicateCandidate as CandidateModel


@strawberry.enum(description="What to do with a possible duplicate.")
class CandidateAction(Enum):
    MERGE = "MERGE"
    NOT_SAME_PERSON = "NOT_SAME_PERSON"


@strawberry.input(description="A decision on a possible duplicate.")
class ResolveDuplicateCandidateInput:
    id: strawberry.ID = strawberry.field(description="The candidate pair.")
    action: CandidateAction = strawberry.field(description="Merge them, or remember they are different people.")
    survivor_id: strawberry.ID | None = strawberry.field(default=None, description="With MERGE: which one remains.")
    field_choices: list[FieldChoice] | None = strawberry.field(default=None, description="With MERGE: whose value to keep, per field.")


@strawberry.type(description="The result of resolveDuplicateCandidate.")
class ResolveDuplicateCandidatePayload:
    candidate: DuplicateCandidate | None = strawberry.field(description="The pair, now resolved.")
    customer: Customer | None = strawberry.field(description="With MERGE: the surviving customer.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def resolve(info: Info, input: ResolveDuplicateCandidateInput) -> ResolveDuplicateCandidatePayload:
    principal = info.context.principal
    try:
        pk = decode_id(input.id, "DuplicateCandidate")
        customer = None
        if input.action is CandidateAction.MERGE:
            survivor = decode_id(input.survivor_id, "Customer", "survivorId") if input.survivor_id else None
            customer = Customer.from_model(await merge.merge_candidate(principal, pk, survivor, choices(input.field_choices)))
        else:
            await merge.dismiss_candidate(principal, pk)
    except USER_ERRORS as exc:
        return ResolveDuplicateCandidatePayload(candidate=None, customer=None, errors=to_user_errors(exc))
    return ResolveDuplicateCandidatePayload(
        candidate=DuplicateCandidate.from_model(await CandidateModel.get(id=pk)), customer=customer, errors=[])


field = strawberry.mutation(resolver=resolve, permission_classes=[CanWrite],
                            description="Merge a possible duplicate pair, or mark it as two different people (remembered).")

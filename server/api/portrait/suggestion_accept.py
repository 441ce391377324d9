import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.portrait import suggestions


@strawberry.input(description="A suggestion to accept: its tag goes on the customer, its fields are set.")
class AcceptSuggestionInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer the suggestion is for.")
    suggestion_key: str = strawberry.field(description="The suggestion's key, from Customer.suggestions.")
    version: int | None = strawberry.field(
        default=None, description="The customer's version read; a stale one is a CONFLICT when fields change.")


@strawberry.type(description="The result of acceptSuggestion.")
class AcceptSuggestionPayload:
    customer: Customer | None = strawberry.field(description="The customer as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def accept_suggestion(info: Info, input: AcceptSuggestionInput) -> AcceptSuggestionPayload:
    try:
        row = await suggestions.accept_suggestion(info.context.principal,
                                                  decode_id(input.customer_id, "Customer", "customer_id"),
                                                  input.suggestion_key, input.version)
    except USER_ERRORS as exc:
        return AcceptSuggestionPayload(customer=None, errors=to_user_errors(exc))
    return AcceptSuggestionPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=accept_suggestion,
    description="Accept a suggestion read from the customer's notes; it is recorded with the note and words it came from.",
    permission_classes=[CanWrite],
)

import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.portrait import suggestions


@strawberry.input(description="A suggestion not to offer again (until a new note says it again).")
class DismissSuggestionInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer the suggestion is for.")
    suggestion_key: str = strawberry.field(description="The suggestion's key, from Customer.suggestions.")


@strawberry.type(description="The result of dismissSuggestion.")
class DismissSuggestionPayload:
    customer: Customer | None = strawberry.field(description="The customer.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def dismiss_suggestion(info: Info, input: DismissSuggestionInput) -> DismissSuggestionPayload:
    try:
        row = await suggestions.dismiss_suggestion(info.context.principal,
                                                   decode_id(input.customer_id, "Customer", "customer_id"),
                                                   input.suggestion_key)
    except USER_ERRORS as exc:
        return DismissSuggestionPayload(customer=None, errors=to_user_errors(exc))
    return DismissSuggestionPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=dismiss_suggestion,
    description="Dismiss a suggestion read from the customer's notes.",
    permission_classes=[CanWrite],
)

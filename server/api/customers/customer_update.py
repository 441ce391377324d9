import strawberry
from strawberry.types import Info

from server.api.customers.inputs import CustomerFields
from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.customers import services


@strawberry.input(description="Changes to a customer. Fields left out stay as they are.")
class UpdateCustomerInput(CustomerFields):
    id: strawberry.ID = strawberry.field(description="The customer to change.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The customer's name.")


@strawberry.type(description="The result of updateCustomer.")
class UpdateCustomerPayload:
    customer: Customer | None = strawberry.field(description="The customer as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_customer(info: Info, input: UpdateCustomerInput) -> UpdateCustomerPayload:
    try:
        pk = decode_id(input.id, "Customer")
        data = given_fields(input, skip=("id", "version"), ids={"owner_id": "User"})
        row = await services.update_customer(info.context.principal, pk, input.version, data)
    except USER_ERRORS as exc:
        return UpdateCustomerPayload(customer=None, errors=to_user_errors(exc))
    return UpdateCustomerPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=update_customer,
    description="Change a customer; carries the version read so no one's save is overwritten.",
    permission_classes=[CanWrite],
)

import strawberry
from strawberry.types import Info

from server.api.customers.inputs import CustomerFields
from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.customers import services


@strawberry.input(description="A new customer. Only the name is required; the owner defaults to the viewer.")
class CreateCustomerInput(CustomerFields):
    name: str = strawberry.field(description="The customer's name.")


@strawberry.type(description="The result of createCustomer.")
class CreateCustomerPayload:
    customer: Customer | None = strawberry.field(description="The new customer, if created.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_customer(info: Info, input: CreateCustomerInput) -> CreateCustomerPayload:
    try:
        row = await services.create_customer(info.context.principal, given_fields(input, ids={"owner_id": "User"}))
    except USER_ERRORS as exc:
        return CreateCustomerPayload(customer=None, errors=to_user_errors(exc))
    return CreateCustomerPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=create_customer, description="Create a customer owned by the viewer.", permission_classes=[CanWrite]
)

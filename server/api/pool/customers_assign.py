import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id, decode_ids
from server.auth.scope import scoped
from server.customers.models import Customer as CustomerModel
from server.sales import assignment


@strawberry.input(description="Customers to give to one consultant.")
class AssignCustomersInput:
    customer_ids: list[strawberry.ID] = strawberry.field(description="The customers (owned or in the pool), up to 500; all or none move.")
    owner_id: strawberry.ID = strawberry.field(description="The new owner, in the manager's team.")


@strawberry.type(description="The result of assignCustomers.")
class AssignCustomersPayload:
    customers: list[Customer] = strawberry.field(description="The customers with their new owner.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def assign_customers(info: Info, input: AssignCustomersInput) -> AssignCustomersPayload:
    principal = info.context.principal
    try:
        ids = decode_ids(input.customer_ids, "Customer", "customer_ids")
        await assignment.assign_customers(principal, ids, decode_id(input.owner_id, "User", "owner_id"))
    except USER_ERRORS as exc:
        return AssignCustomersPayload(customers=[], errors=to_user_errors(exc))
    rows = await scoped(CustomerModel, principal).filter(id__in=ids).order_by("id")
    return AssignCustomersPayload(customers=[Customer.from_model(r) for r in rows], errors=[])


field = strawberry.mutation(
    resolver=assign_customers,
    description="Assign or reassign customers in bulk (managers within their team, admins); each new owner gets a task.",
    permission_classes=[CanWrite],
)

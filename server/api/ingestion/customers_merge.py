import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.ingestion import merge


@strawberry.input(description="Keep this customer's value for this field.")
class FieldChoice:
    field: str = strawberry.field(description="The field, in camelCase (phone, address, grade …).")
    customer_id: strawberry.ID = strawberry.field(description="The customer whose value to keep.")


def choices(items: list[FieldChoice] | None) -> dict[str, int]:
    import re

    return {re.sub(r"(?<!^)(?=[A-Z])", "_", c.field).lower(): decode_id(c.customer_id, "Customer", "fieldChoices")
            for c in items or []}


@strawberry.input(description="Customers to merge into one.")
class MergeCustomersInput:
    survivor_id: strawberry.ID = strawberry.field(description="The customer that remains.")
    merged_ids: list[strawberry.ID] = strawberry.field(description="Customers merged into it; they become tombstones.")
    field_choices: list[FieldChoice] | None = strawberry.field(default=None, description="Whose value to keep, per field.")


@strawberry.type(description="The result of mergeCustomers.")
class MergeCustomersPayload:
    customer: Customer | None = strawberry.field(description="The surviving customer.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def merge_customers(info: Info, input: MergeCustomersInput) -> MergeCustomersPayload:
    try:
        row = await merge.merge_customers(
            info.context.principal, decode_id(input.survivor_id, "Customer", "survivorId"),
            [decode_id(m, "Customer", "mergedIds") for m in input.merged_ids], choices(input.field_choices),
        )
    except USER_ERRORS as exc:
        return MergeCustomersPayload(customer=None, errors=to_user_errors(exc))
    return MergeCustomersPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(resolver=merge_customers, permission_classes=[CanWrite],
                            description="Merge customers: contacts, interactions, deals, tasks, tags and cars move to the survivor.")

import strawberry
from strawberry.types import Info

from server.api.customers.types import Contact
from server.api.enums import DecisionRole
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.customers import services

UNSET = strawberry.UNSET


@strawberry.input(description="Contact fields; those left out are not touched.")
class ContactFields:
    phone: str | None = strawberry.field(default=UNSET, description="Phone number.")
    title: str | None = strawberry.field(default=UNSET, description="Job title or relation to the customer.")
    role: DecisionRole | None = strawberry.field(default=UNSET, description="Their part in the buying decision.")
    reports_to_id: strawberry.ID | None = strawberry.field(default=UNSET, description="A contact of the same customer they report to.")
    notes: str | None = strawberry.field(default=UNSET, description="Free notes.")


@strawberry.input(description="A new contact on a customer.")
class AddContactInput(ContactFields):
    customer_id: strawberry.ID = strawberry.field(description="The customer the contact belongs to.")
    name: str = strawberry.field(description="The contact's name.")


@strawberry.type(description="The result of addContact.")
class AddContactPayload:
    contact: Contact | None = strawberry.field(description="The new contact.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def add_contact(info: Info, input: AddContactInput) -> AddContactPayload:
    try:
        customer_pk = decode_id(input.customer_id, "Customer", "customer_id")
        data = given_fields(input, skip=("customer_id",), ids={"reports_to_id": "Contact"})
        row = await services.add_contact(info.context.principal, customer_pk, data)
    except USER_ERRORS as exc:
        return AddContactPayload(contact=None, errors=to_user_errors(exc))
    return AddContactPayload(contact=Contact.from_model(row), errors=[])


field = strawberry.mutation(resolver=add_contact, description="Add a contact with a decision role.", permission_classes=[CanWrite])

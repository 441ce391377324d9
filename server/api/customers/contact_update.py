import strawberry
from strawberry.types import Info

from server.api.customers.contact_add import ContactFields
from server.api.customers.types import Contact
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.customers import services


@strawberry.input(description="Changes to a contact. Fields left out stay as they are.")
class UpdateContactInput(ContactFields):
    id: strawberry.ID = strawberry.field(description="The contact to change.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The contact's name.")


@strawberry.type(description="The result of updateContact.")
class UpdateContactPayload:
    contact: Contact | None = strawberry.field(description="The contact as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_contact(info: Info, input: UpdateContactInput) -> UpdateContactPayload:
    try:
        pk = decode_id(input.id, "Contact")
        data = given_fields(input, skip=("id", "version"), ids={"reports_to_id": "Contact"})
        row = await services.update_contact(info.context.principal, pk, input.version, data)
    except USER_ERRORS as exc:
        return UpdateContactPayload(contact=None, errors=to_user_errors(exc))
    return UpdateContactPayload(contact=Contact.from_model(row), errors=[])


field = strawberry.mutation(resolver=update_contact, description="Change a contact.", permission_classes=[CanWrite])

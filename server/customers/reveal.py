"""Showing a personal field in full: allowed to the owner's side only, and always logged."""

from enum import StrEnum

from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import may_reveal
from server.customers.services import get_visible_customer
from server.errors import ErrorCode, UserError
from server.privacy.crypto import decrypt
from server.privacy.masking import national_phone


class RevealableField(StrEnum):
    PHONE = "PHONE"
    ID_NUMBER = "ID_NUMBER"
    EMAIL = "EMAIL"


async def reveal_field(principal: Principal, customer_id: int, field: RevealableField) -> str:
    customer = await get_visible_customer(principal, customer_id)
    if not may_reveal(principal, customer):
        raise UserError(ErrorCode.FORBIDDEN, "you may not see this field in full", "field")
    if field is RevealableField.PHONE:
        value = national_phone(customer.phone)
    elif field is RevealableField.ID_NUMBER:
        value = decrypt(customer.id_number_encrypted) if customer.id_number_encrypted else ""
    else:
        value = customer.email or ""
    await audit.record(principal, "reveal", "Customer", customer.id, {"field": field.value})
    return value

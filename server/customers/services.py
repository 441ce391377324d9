"""Every write to a customer or a contact goes through these functions."""

from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.models import User
from server.auth.principal import Principal
from server.auth.scope import customer_q, scoped
from server.customers.id_numbers import parse_id_number
from server.customers.models import Contact, Customer
from server.customers.normalize import (
    InvalidValue,
    clean_name,
    clean_text,
    normalize_phone,
    phone_tail,
    pinyin_keys,
)
from server.enums import Channel, CustomerKind, DecisionRole, Gender, Grade, Intent, Lifecycle, Role, ValueTier
from server.errors import ErrorCode, UserError, UserErrors
from server.events.services import emit
from server.privacy.crypto import blind_index, encrypt

TEXT_FIELDS = {
    "email": 254, "province": 30, "city": 30, "district": 30, "address": 255,
    "occupation": 60, "company_name": 150, "company_size": 30, "purchase_timeframe": 30,
}
ENUM_FIELDS = {
    "kind": CustomerKind, "gender": Gender, "lifecycle": Lifecycle, "intent": Intent,
    "grade": Grade, "value_tier": ValueTier, "channel": Channel,
}
PLAIN_FIELDS = {"budget_min", "budget_max", "interested_models", "custom_fields", "notes", "consent_marketing", "birthday"}


def _standardize(data: dict) -> tuple[dict, list[UserError]]:
    """Turn raw input into column values; collect every problem, not only the first."""
    values: dict = {}
    errors: list[UserError] = []
    for key, raw in data.items():
        try:
            if key == "name":
                name = clean_name(raw)
                if not name:
                    raise InvalidValue("name is required")
                if len(name) > 100:
                    raise InvalidValue("name is longer than 100 characters")
                values["name"] = name
                values["name_pinyin"], values["name_initials"] = pinyin_keys(name)
            elif key == "phone":
                phone = normalize_phone(raw)
                values["phone"] = phone
                values["phone_tail"] = phone_tail(phone)
            elif key == "id_number":
                parsed = parse_id_number(raw)
                values["id_number_encrypted"] = encrypt(parsed.number) if parsed else None
                values["id_number_hash"] = blind_index(parsed.number) if parsed else None
                if parsed:
                    values.setdefault("birthday", parsed.birthday)
                    values.setdefault("gender", Gender(parsed.gender))
            elif key in TEXT_FIELDS:
                text = clean_text(raw)
                if len(text) > TEXT_FIELDS[key]:
                    raise InvalidValue(f"longer than {TEXT_FIELDS[key]} characters")
                values[key] = text or (None if key == "email" else "")
            elif key in ENUM_FIELDS:
                values[key] = ENUM_FIELDS[key](raw) if raw is not None else None
            elif key in PLAIN_FIELDS:
                values[key] = raw
            elif key == "owner_id":
                values[key] = raw
            else:
                raise InvalidValue(f"unknown field {key}")
        except (InvalidValue, ValueError) as exc:
            errors.append(UserError(ErrorCode.INVALID, str(exc), key))
    if values.get("budget_min") and values.get("budget_max") and values["budget_min"] > values["budget_max"]:
        errors.append(UserError(ErrorCode.INVALID, "minimum budget is above the maximum", "budget_min"))
    if isinstance(values.get("birthday"), date) and values["birthday"] > date.today():
        errors.append(UserError(ErrorCode.INVALID, "birthday is in the future", "birthday"))
    return values, errors


async def _check_unique(values: dict, exclude_id: int | None = None) -> list[UserError]:
    errors = []
    for column, field in (("phone", "phone"), ("id_number_hash", "id_number")):
        if not values.get(column):
            continue
        query = Customer.filter(**{column: values[column]})
        if exclude_id:
            query = query.exclude(id=exclude_id)
        existing = await query.first().only("id")
        if existing:
            errors.append(
                UserError(ErrorCode.DUPLICATE, f"a customer with this {field.replace('_', ' ')} already exists", field,
                          existing_id=existing.id)
            )
    return errors


async def _resolve_owner(principal: Principal, owner_id: int | None) -> User | None:
    """Who owns a new customer: the consultant themself, or whom a manager names in their team."""
    if owner_id is None:
        return await User.get_or_none(id=principal.user_id) if principal.user_id else None
    owner = await User.get_or_none(id=owner_id, is_active=True)
    if owner is None:
        raise UserError(ErrorCode.NOT_FOUND, "no such user", "owner_id")
    if principal.role is Role.CONSULTANT and owner.id != principal.user_id:
        raise UserError(ErrorCode.FORBIDDEN, "consultants cannot give customers to others", "owner_id")
    if principal.role is Role.MANAGER and owner.team_id != principal.team_id:
        raise UserError(ErrorCode.FORBIDDEN, "this user is not in your team", "owner_id")
    return owner


def _snapshot(customer: Customer, keys) -> dict:
    return {k: getattr(customer, k) for k in keys}


async def create_customer(principal: Principal, data: dict) -> Customer:
    data = dict(data)
    data.setdefault("name", "")
    owner_id = data.pop("owner_id", None)
    values, errors = _standardize(data)
    errors += await _check_unique(values)
    if errors:
        raise UserErrors(errors)
    owner = await _resolve_owner(principal, owner_id)
    async with in_transaction():
        try:
            customer = await Customer.create(
                **values,
                owner=owner,
                assigned_at=now() if owner else None,
                team_id=owner.team_id if owner else principal.team_id,
            )
        except IntegrityError:
            # Lost a race with a concurrent create of the same person.
            raise UserErrors(await _check_unique(values) or [UserError(ErrorCode.DUPLICATE, "customer already exists")])
        await audit.record(principal, "create", "Customer", customer.id, audit.diff({}, _audit_view(values)))
        await emit("customer.created", {"customer_id": customer.id})
    return customer


def _audit_view(values: dict) -> dict:
    """Never write personal identifiers into the audit log in clear."""
    hidden = ("id_number_encrypted", "name_pinyin", "name_initials", "phone_tail", "field_sources")
    view = {k: v for k, v in values.items() if k not in hidden}
    if "id_number_hash" in view:
        view["id_number_hash"] = "(changed)" if view["id_number_hash"] else None
    return view


async def get_visible_customer(principal: Principal, customer_id: int, *, for_write: bool = False) -> Customer:
    customer = await Customer.filter(customer_q(principal, for_write=for_write), id=customer_id).first()
    if customer is None:
        raise UserError(ErrorCode.NOT_FOUND, "customer not found or not yours", "id")
    return customer


async def update_customer(principal: Principal, customer_id: int, version: int, data: dict) -> Customer:
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    data = dict(data)
    owner_id = data.pop("owner_id", None)
    values, errors = _standardize(data)
    errors += await _check_unique(values, exclude_id=customer.id)
    if owner_id is not None and owner_id != customer.owner_id:
        owner = await _resolve_owner(principal, owner_id)
        values["owner_id"] = owner.id
        values["team_id"] = owner.team_id
        values["assigned_at"] = now()
        values["previous_owner_id"] = customer.owner_id
    if errors:
        raise UserErrors(errors)
    if customer.version != version:
        raise _conflict()
    if any(key in (customer.field_sources or {}) for key in values):
        # A value staff set outranks every channel: it no longer has a channel source.
        values["field_sources"] = {k: v for k, v in customer.field_sources.items() if k not in values}
    before = _snapshot(customer, values.keys())
    async with in_transaction():
        try:
            # The version in the WHERE clause makes a concurrent save lose cleanly, never overwrite.
            updated = await Customer.filter(id=customer.id, version=version).update(**values, version=version + 1)
        except IntegrityError:
            raise UserErrors(await _check_unique(values, exclude_id=customer.id))
        if not updated:
            raise _conflict()
        changes = audit.diff(_audit_view(before), _audit_view(values))
        if changes:
            await audit.record(principal, "update", "Customer", customer.id, changes)
            await emit("customer.updated", {"customer_id": customer.id, "fields": sorted(changes)})
    return await Customer.get(id=customer.id)


def _conflict() -> UserError:
    return UserError(ErrorCode.CONFLICT, "someone else saved this record first: reload and try again", "version")


async def _contact_values(customer_id: int, data: dict) -> dict:
    values: dict = {}
    errors: list[UserError] = []
    for key, raw in data.items():
        try:
            if key == "name":
                values["name"] = clean_name(raw)
                if not values["name"]:
                    raise InvalidValue("name is required")
            elif key == "phone":
                values["phone"] = normalize_phone(raw)
            elif key == "title":
                values["title"] = clean_text(raw)[:60]
            elif key == "notes":
                values["notes"] = raw or ""
            elif key == "role":
                values["role"] = DecisionRole(raw) if raw else None
            elif key == "reports_to_id":
                if raw is not None and not await Contact.filter(id=raw, customer_id=customer_id).exists():
                    raise InvalidValue("reports_to must be a contact of the same customer")
                values["reports_to_id"] = raw
            else:
                raise InvalidValue(f"unknown field {key}")
        except (InvalidValue, ValueError) as exc:
            errors.append(UserError(ErrorCode.INVALID, str(exc), key))
    if errors:
        raise UserErrors(errors)
    return values


async def add_contact(principal: Principal, customer_id: int, data: dict) -> Contact:
    customer = await get_visible_customer(principal, customer_id, for_write=True)
    data = dict(data)
    data.setdefault("name", "")
    values = await _contact_values(customer.id, data)
    async with in_transaction():
        contact = await Contact.create(customer_id=customer.id, **values)
        await audit.record(principal, "create", "Contact", contact.id, audit.diff({}, values))
        await emit("customer.updated", {"customer_id": customer.id, "fields": ["contacts"]})
    return contact


async def update_contact(principal: Principal, contact_id: int, version: int, data: dict) -> Contact:
    contact = await scoped(Contact, principal, "customer__", for_write=True).filter(id=contact_id).first()
    if contact is None:
        raise UserError(ErrorCode.NOT_FOUND, "contact not found or not yours", "id")
    values = await _contact_values(contact.customer_id, data)
    if values.get("reports_to_id") == contact.id:
        raise UserError(ErrorCode.INVALID, "a contact cannot report to themself", "reports_to_id")
    if contact.version != version:
        raise _conflict()
    before = {k: getattr(contact, k) for k in values}
    async with in_transaction():
        if not await Contact.filter(id=contact.id, version=version).update(**values, version=version + 1):
            raise _conflict()
        await audit.record(principal, "update", "Contact", contact.id, audit.diff(before, values))
    return await Contact.get(id=contact.id)

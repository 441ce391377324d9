"""Turning the customers(filter:, orderBy:) arguments into a queryset."""

from datetime import date, datetime
from enum import Enum

import strawberry
from tortoise.expressions import Q

from server.analytics.period import start_of
from server.api.enums import Channel, Grade, Intent, Lifecycle, ValueTier
from server.api.relay import decode_id
from server.customers.normalize import InvalidValue, clean_text, normalize_phone, search_kind


@strawberry.input(description="Which customers to list; every condition given must hold.")
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Name, full pinyin (zhangsan), pinyin initials (zs) or the last digits of the phone.",
    )
    lifecycle: list[Lifecycle] | None = strawberry.field(default=None, description="Any of these lifecycle stages.")
    intent: list[Intent] | None = strawberry.field(default=None, description="Any of these intents.")
    grade: list[Grade] | None = strawberry.field(default=None, description="Any of these grades.")
    value_tier: list[ValueTier] | None = strawberry.field(default=None, description="Any of these value tiers.")
    channel: list[Channel] | None = strawberry.field(default=None, description="Any of these first channels.")
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Owned by this user.")
    in_pool: bool | None = strawberry.field(default=None, description="Only pool customers (true) or only owned ones (false).")
    tags: list[str] | None = strawberry.field(default=None, description="Carrying every one of these tag names.")
    phone: str | None = strawberry.field(default=None, description="Exactly this phone number, in any common format.")
    assigned_after: datetime | None = strawberry.field(default=None, description="Assigned to their owner after this moment.")
    created_from: date | None = strawberry.field(
        default=None, description="First created on or after this day, in the dealership's time zone.")
    created_to: date | None = strawberry.field(
        default=None, description="First created before this day (excluded), in the dealership's time zone.")
    tags_any: list[str] | None = strawberry.field(default=None, description="Carrying at least one of these tag names.")


@strawberry.enum(description="What to sort customers by.")
class CustomerOrderField(Enum):
    UPDATED_AT = "updated_at"
    CREATED_AT = "created_at"
    NAME = "name_pinyin"
    LAST_CONTACT_AT = "last_contact_at"
    NEXT_FOLLOW_UP_AT = "next_follow_up_at"


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="How to sort customers.")
class CustomerOrder:
    field: CustomerOrderField = strawberry.field(description="The field to sort by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="Ascending or descending.")


def search_q(text: str) -> Q:
    text = clean_text(text).lower()
    kind = search_kind(text)
    if kind == "digits":
        if len(text) <= 4:
            return Q(phone_tail__endswith=text)
        return Q(phone__contains=text)
    if kind == "latin":
        compact = text.replace(" ", "")
        return Q(name_initials__startswith=compact) | Q(name_pinyin__startswith=compact)
    return Q(name__contains=text) | Q(company_name__contains=text)


def apply_filter(query, flt: CustomerFilter | None):
    if flt is None:
        return query
    if flt.search and flt.search.strip():
        query = query.filter(search_q(flt.search))
    for field_name in ("lifecycle", "intent", "grade", "value_tier", "channel"):
        values = getattr(flt, field_name)
        if values:
            query = query.filter(**{f"{field_name}__in": [v.value for v in values]})
    if flt.owner_id:
        query = query.filter(owner_id=decode_id(flt.owner_id, "User", "ownerId"))
    if flt.in_pool is not None:
        query = query.filter(owner_id__isnull=flt.in_pool)
    if flt.phone:
        try:
            query = query.filter(phone=normalize_phone(flt.phone))
        except InvalidValue:
            query = query.filter(id__isnull=True)
    if flt.assigned_after is not None:
        query = query.filter(assigned_at__gt=flt.assigned_after)
    # Whole local days, as the analytics reports count them: a funnel's leads link here.
    if flt.created_from is not None:
        query = query.filter(created_at__gte=start_of(flt.created_from))
    if flt.created_to is not None:
        query = query.filter(created_at__lt=start_of(flt.created_to))
    for tag in flt.tags or []:
        query = query.filter(id__in=_tagged(tag))
    if flt.tags_any:
        query = query.filter(id__in=_tagged(*flt.tags_any))
    return query


def _tagged(*tag_names: str):
    from tortoise.expressions import Subquery

    from server.portrait.models import CustomerTag

    return Subquery(CustomerTag.filter(tag__name__in=list(tag_names)).values("customer_id"))


def apply_order(query, order: CustomerOrder | None):
    if order is None:
        return query.order_by("-updated_at", "-id")
    sign = "-" if order.direction is OrderDirection.DESC else ""
    return query.order_by(f"{sign}{order.field.value}", f"{sign}id")

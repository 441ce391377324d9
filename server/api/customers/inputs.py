"""The customer fields createCustomer and updateCustomer share."""

from datetime import date

import strawberry
from strawberry.scalars import JSON

from server.api.enums import Channel, CustomerKind, Gender, Grade, Intent, Lifecycle, ValueTier

UNSET = strawberry.UNSET


@strawberry.input(description="Customer fields; those left out are not touched.")
class CustomerFields:
    phone: str | None = strawberry.field(default=UNSET, description="Mobile number in any common format; stored as E.164.")
    email: str | None = strawberry.field(default=UNSET, description="E-mail address.")
    id_number: str | None = strawberry.field(default=UNSET, description="ID-card number; fills birthday and gender.")
    kind: CustomerKind | None = strawberry.field(default=UNSET, description="Individual (default) or company.")
    gender: Gender | None = strawberry.field(default=UNSET, description="Gender.")
    birthday: date | None = strawberry.field(default=UNSET, description="Date of birth.")
    province: str | None = strawberry.field(default=UNSET, description="Province.")
    city: str | None = strawberry.field(default=UNSET, description="City.")
    district: str | None = strawberry.field(default=UNSET, description="District.")
    address: str | None = strawberry.field(default=UNSET, description="Street address.")
    occupation: str | None = strawberry.field(default=UNSET, description="Occupation.")
    company_name: str | None = strawberry.field(default=UNSET, description="Company name.")
    company_size: str | None = strawberry.field(default=UNSET, description="Company size band.")
    lifecycle: Lifecycle | None = strawberry.field(default=UNSET, description="Lifecycle stage; LEAD by default.")
    intent: Intent | None = strawberry.field(default=UNSET, description="Purchase intent.")
    grade: Grade | None = strawberry.field(default=UNSET, description="Intent grade.")
    value_tier: ValueTier | None = strawberry.field(default=UNSET, description="Value tier.")
    channel: Channel | None = strawberry.field(default=UNSET, description="Where the customer came from.")
    budget_min: int | None = strawberry.field(default=UNSET, description="Budget lower bound in CNY.")
    budget_max: int | None = strawberry.field(default=UNSET, description="Budget upper bound in CNY.")
    purchase_timeframe: str | None = strawberry.field(default=UNSET, description="When the customer plans to buy.")
    interested_models: list[str] | None = strawberry.field(default=UNSET, description="Vehicle models of interest.")
    custom_fields: JSON | None = strawberry.field(default=UNSET, description="Extension fields.")
    notes: str | None = strawberry.field(default=UNSET, description="Free notes.")
    consent_marketing: bool | None = strawberry.field(default=UNSET, description="Agreed to marketing messages.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Owner; managers may name someone in their team, consultants only themselves."
    )

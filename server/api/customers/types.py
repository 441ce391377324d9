from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from server.api.auth.types import Team, User
from server.api.enums import Channel, CustomerKind, DecisionRole, Gender, Grade, Intent, Lifecycle, ValueTier
from server.api.portrait.suggestion_types import Suggestion
from server.api.portrait.types import CustomerTag
from server.api.relay import Connection, Node, paginate, to_global_id
from server.customers.models import Contact as ContactModel
from server.customers.models import Customer as CustomerModel
from server.customers.models import Vehicle as VehicleModel
from server.privacy.crypto import decrypt
from server.privacy.masking import mask_email, mask_id_number, mask_phone

if TYPE_CHECKING:
    from server.api.activity.types import Interaction
    from server.api.campaigns.types import Campaign
    from server.api.ingestion.types import SourceRecord
    from server.api.sales.types import Opportunity


@strawberry.type(description="A car the customer owns (车辆).")
class Vehicle(Node):
    model_name: str = strawberry.field(description="Brand, series and trim as recorded.")
    vin: str | None = strawberry.field(description="The vehicle identification number.")
    plate: str = strawberry.field(description="The licence plate.")
    purchase_date: date | None = strawberry.field(description="When the customer bought it.")
    mileage_km: int | None = strawberry.field(description="The last known mileage in km.")
    insurance_expiry: date | None = strawberry.field(description="When the insurance runs out.")

    @classmethod
    def from_model(cls, v: VehicleModel) -> "Vehicle":
        return cls(
            id=to_global_id("Vehicle", v.id), model_name=v.model_name, vin=v.vin, plate=v.plate,
            purchase_date=v.purchase_date, mileage_km=v.mileage_km, insurance_expiry=v.insurance_expiry,
        )


@strawberry.type(description="A person on the customer's side (联系人), with their part in the decision.")
class Contact(Node):
    name: str = strawberry.field(description="The contact's name.")
    phone: str = strawberry.field(description="The phone number, masked.")
    title: str = strawberry.field(description="Job title or relation to the customer.")
    role: DecisionRole | None = strawberry.field(description="Their part in the buying decision.")
    notes: str = strawberry.field(description="Free notes.")
    version: int = strawberry.field(description="Pass back with an update; a stale one is a CONFLICT.")
    customer_pk: strawberry.Private[int]
    reports_to_pk: strawberry.Private[int | None]

    @strawberry.field(description="The contact this one reports to, if known.")
    async def reports_to(self, info: Info) -> "Contact | None":
        if self.reports_to_pk is None:
            return None
        siblings = await info.context.loaders.contacts.load(self.customer_pk)
        boss = next((c for c in siblings if c.id == self.reports_to_pk), None)
        return Contact.from_model(boss) if boss else None

    @classmethod
    def from_model(cls, c: ContactModel) -> "Contact":
        return cls(
            id=to_global_id("Contact", c.id), name=c.name, phone=mask_phone(c.phone), title=c.title,
            role=c.role, notes=c.notes, version=c.version, customer_pk=c.customer_id, reports_to_pk=c.reports_to_id,
        )


@strawberry.type(description="A customer (客户): one person or company, merged from every channel.")
class Customer(Node):
    kind: CustomerKind = strawberry.field(description="An individual or a company.")
    name: str = strawberry.field(description="The customer's name.")
    gender: Gender = strawberry.field(description="Gender.")
    birthday: date | None = strawberry.field(description="Date of birth.")
    phone: str = strawberry.field(description="The mobile number, masked (138****8000); see revealField.")
    email: str = strawberry.field(description="The e-mail address, masked.")
    province: str = strawberry.field(description="Province.")
    city: str = strawberry.field(description="City.")
    district: str = strawberry.field(description="District.")
    address: str = strawberry.field(description="Street address.")
    occupation: str = strawberry.field(description="Occupation.")
    company_name: str = strawberry.field(description="Company name, for company customers or employers.")
    company_size: str = strawberry.field(description="Company size band.")
    lifecycle: Lifecycle = strawberry.field(description="Lifecycle stage.")
    intent: Intent | None = strawberry.field(description="Purchase intent.")
    grade: Grade | None = strawberry.field(description="Intent grade, A highest.")
    value_tier: ValueTier | None = strawberry.field(description="Value tier.")
    channel: Channel = strawberry.field(description="The channel the customer first came from.")
    in_pool: bool = strawberry.field(description="Whether the customer is in the public pool (公海), owned by no one.")
    last_contact_at: datetime | None = strawberry.field(description="When someone last had contact.")
    next_follow_up_at: datetime | None = strawberry.field(description="When the next follow-up is due.")
    budget_min: int | None = strawberry.field(description="Budget lower bound in CNY.")
    budget_max: int | None = strawberry.field(description="Budget upper bound in CNY.")
    purchase_timeframe: str = strawberry.field(description="When the customer plans to buy.")
    interested_models: list[str] = strawberry.field(description="Vehicle models of interest.")
    custom_fields: JSON = strawberry.field(description="Extension fields such as goals and pain points.")
    notes: str = strawberry.field(description="Free notes.")
    consent_marketing: bool = strawberry.field(description="Whether the customer agreed to marketing messages.")
    version: int = strawberry.field(description="Pass back with an update; a stale one is a CONFLICT.")
    created_at: datetime = strawberry.field(description="When the customer file was created.")
    updated_at: datetime = strawberry.field(description="When the customer file last changed.")
    pk: strawberry.Private[int]
    id_number_encrypted: strawberry.Private[str | None]
    sources: strawberry.Private[dict]
    owner_pk: strawberry.Private[int | None]
    team_pk: strawberry.Private[int | None]
    campaign_pk: strawberry.Private[int | None] = None

    @strawberry.field(description="The ID-card number, masked (110101********123X); see revealField.")
    def id_number(self) -> str:
        return mask_id_number(decrypt(self.id_number_encrypted)) if self.id_number_encrypted else ""

    @strawberry.field(description="The consultant who owns the customer; null while in the pool.")
    async def owner(self, info: Info) -> User | None:
        if self.owner_pk is None:
            return None
        user = await info.context.loaders.user.load(self.owner_pk)
        return User.from_model(user) if user else None

    @strawberry.field(description="The team the customer belongs to.")
    async def team(self, info: Info) -> Team | None:
        if self.team_pk is None:
            return None
        team = await info.context.loaders.team.load(self.team_pk)
        return Team.from_model(team) if team else None

    @strawberry.field(description="Tags on the customer, with their source.")
    async def tags(self, info: Info) -> list[CustomerTag]:
        return [CustomerTag.from_model(link) for link in await info.context.loaders.customer_tags.load(self.pk)]

    @strawberry.field(description="Tags and field updates read from the customer's notes, not yet accepted or dismissed.")
    async def suggestions(self) -> list[Suggestion]:
        from server.portrait.suggestions import suggestions_for

        # Reached only through a customer that passed the scope.
        return [Suggestion.from_service(s) for s in await suggestions_for(await CustomerModel.get(id=self.pk))]

    @strawberry.field(description="People on the customer's side.")
    async def contacts(self, info: Info) -> list[Contact]:
        return [Contact.from_model(c) for c in await info.context.loaders.contacts.load(self.pk)]

    @strawberry.field(description="Cars the customer owns.")
    async def vehicles(self, info: Info) -> list[Vehicle]:
        return [Vehicle.from_model(v) for v in await info.context.loaders.vehicles.load(self.pk)]

    @strawberry.field(description="How many times the customer came to the showroom (到店次数).")
    async def showroom_visit_count(self, info: Info) -> int:
        return await info.context.loaders.showroom_visit_counts.load(self.pk)

    @strawberry.field(description="Where each field's value came from: {field: {channel, record}}; absent means typed by staff.")
    def field_sources(self) -> JSON:
        return self.sources

    @strawberry.field(description="Every record received for this customer, from every channel, newest first.")
    async def source_records(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated["SourceRecord", strawberry.lazy("server.api.ingestion.types")]]:
        from server.api.ingestion.types import SourceRecord
        from server.ingestion.models import SourceRecord as SourceRecordModel

        query = SourceRecordModel.filter(customer_id=self.pk).order_by("-received_at", "-id")
        return await paginate(query, first, after, SourceRecord.from_model)

    @strawberry.field(description="Calls, visits, messages and notes, newest first.")
    async def interactions(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated["Interaction", strawberry.lazy("server.api.activity.types")]]:
        from server.activity.models import Interaction as InteractionModel
        from server.api.activity.types import Interaction

        query = InteractionModel.filter(customer_id=self.pk).order_by("-occurred_at", "-id")
        return await paginate(query, first, after, Interaction.from_model)

    @strawberry.field(description="Deals with this customer, most recently changed first.")
    async def opportunities(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated["Opportunity", strawberry.lazy("server.api.sales.types")]]:
        from server.api.sales.types import Opportunity
        from server.sales.models import Opportunity as OpportunityModel

        query = OpportunityModel.filter(customer_id=self.pk).order_by("-updated_at", "-id")
        return await paginate(query, first, after, Opportunity.from_model)

    @strawberry.field(description="The marketing campaign the customer is attributed to, if any.")
    async def campaign(self, info: Info) -> Annotated["Campaign", strawberry.lazy("server.api.campaigns.types")] | None:
        from server.api.campaigns.types import Campaign

        if self.campaign_pk is None:
            return None
        row = await info.context.loaders.campaign.load(self.campaign_pk)
        return Campaign.from_model(row) if row else None

    @classmethod
    def from_model(cls, c: CustomerModel) -> "Customer":
        return cls(
            id=to_global_id("Customer", c.id),
            kind=c.kind, name=c.name, gender=c.gender, birthday=c.birthday,
            phone=mask_phone(c.phone), email=mask_email(c.email),
            province=c.province, city=c.city, district=c.district, address=c.address,
            occupation=c.occupation, company_name=c.company_name, company_size=c.company_size,
            lifecycle=c.lifecycle, intent=c.intent, grade=c.grade, value_tier=c.value_tier, channel=c.channel,
            in_pool=c.owner_id is None, last_contact_at=c.last_contact_at, next_follow_up_at=c.next_follow_up_at,
            budget_min=c.budget_min, budget_max=c.budget_max, purchase_timeframe=c.purchase_timeframe,
            interested_models=list(c.interested_models or []), custom_fields=c.custom_fields or {},
            notes=c.notes, consent_marketing=c.consent_marketing, version=c.version,
            created_at=c.created_at, updated_at=c.updated_at,
            pk=c.id, id_number_encrypted=c.id_number_encrypted, sources=c.field_sources or {}, owner_pk=c.owner_id, team_pk=c.team_id,
            campaign_pk=c.campaign_id,
        )

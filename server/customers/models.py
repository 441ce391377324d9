from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from server.enums import (
    Channel,
    CustomerKind,
    DecisionRole,
    Gender,
    Grade,
    Intent,
    Lifecycle,
    ServiceKind,
    ValueTier,
)


class Customer(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(CustomerKind, max_length=16, default=CustomerKind.INDIVIDUAL)
    name = fields.CharField(max_length=100)
    # Search keys derived from the name: full pinyin and initials ("zhangsan", "zs").
    name_pinyin = fields.CharField(max_length=300, default="")
    name_initials = fields.CharField(max_length=100, default="")
    gender = fields.CharEnumField(Gender, max_length=8, default=Gender.UNKNOWN)
    birthday = fields.DateField(null=True)
    # E.164; unique so that two deliveries of one person cannot become two customers.
    phone = fields.CharField(max_length=20, null=True, unique=True)
    phone_tail = fields.CharField(max_length=4, default="")
    email = fields.CharField(max_length=254, null=True)
    wechat_openid = fields.CharField(max_length=64, null=True, unique=True)
    wechat_unionid = fields.CharField(max_length=64, null=True, unique=True)
    # ID-card number: encrypted at rest, matched through a keyed hash (blind index).
    id_number_encrypted = fields.TextField(null=True)
    id_number_hash = fields.CharField(max_length=64, null=True, unique=True)
    province = fields.CharField(max_length=30, default="")
    city = fields.CharField(max_length=30, default="")
    district = fields.CharField(max_length=30, default="")
    address = fields.CharField(max_length=255, default="")
    occupation = fields.CharField(max_length=60, default="")
    company_name = fields.CharField(max_length=150, default="")
    company_size = fields.CharField(max_length=30, default="")
    lifecycle = fields.CharEnumField(Lifecycle, max_length=16, default=Lifecycle.LEAD)
    intent = fields.CharEnumField(Intent, max_length=16, null=True)
    grade = fields.CharEnumField(Grade, max_length=1, null=True)
    value_tier = fields.CharEnumField(ValueTier, max_length=16, null=True)
    channel = fields.CharEnumField(Channel, max_length=16, default=Channel.OTHER)
    campaign = fields.ForeignKeyField("models.Campaign", related_name="customers", null=True, on_delete=fields.SET_NULL)
    # No owner means the customer is in the public pool (公海).
    owner = fields.ForeignKeyField("models.User", related_name="customers", null=True, on_delete=fields.SET_NULL)
    team = fields.ForeignKeyField("models.Team", related_name="customers", null=True, on_delete=fields.SET_NULL)
    previous_owner = fields.ForeignKeyField(
        "models.User", related_name="previous_customers", null=True, on_delete=fields.SET_NULL
    )
    pool_entered_at = fields.DatetimeField(null=True)
    assigned_at = fields.DatetimeField(null=True)
    last_contact_at = fields.DatetimeField(null=True)
    next_follow_up_at = fields.DatetimeField(null=True)
    budget_min = fields.IntField(null=True)
    budget_max = fields.IntField(null=True)
    purchase_timeframe = fields.CharField(max_length=30, default="")
    interested_models = fields.JSONField(default=list)
    custom_fields = fields.JSONField(default=dict)
    # Where each field's value came from: {"phone": {"source_record": 12, "channel": "WEBSITE"}}.
    field_sources = fields.JSONField(default=dict)
    consent_marketing = fields.BooleanField(default=False)
    consent_at = fields.DatetimeField(null=True)
    # A merged customer becomes a tombstone pointing at the survivor, so old ids resolve.
    merged_into = fields.ForeignKeyField("models.Customer", related_name="merged_from", null=True, on_delete=fields.SET_NULL)
    notes = fields.TextField(default="")
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customer"
        indexes = [
            Index(fields=("owner_id", "updated_at")),
            Index(fields=("team_id", "updated_at")),
            Index(fields=("name",)),
            Index(fields=("name_pinyin",)),
            Index(fields=("name_initials",)),
            Index(fields=("phone_tail",)),
            Index(fields=("lifecycle",)),
            Index(fields=("grade",)),
            Index(fields=("owner_id", "next_follow_up_at")),
            Index(fields=("merged_into_id",)),
            Index(fields=("email",)),
            Index(fields=("birthday",)),
            # Campaign pages count and list a campaign's leads.
            Index(fields=("campaign_id",)),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="contacts", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=100)
    phone = fields.CharField(max_length=20, null=True)
    title = fields.CharField(max_length=60, default="")
    role = fields.CharEnumField(DecisionRole, max_length=20, null=True)
    reports_to = fields.ForeignKeyField("models.Contact", related_name="reports", null=True, on_delete=fields.SET_NULL)
    notes = fields.TextField(default="")
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact"
        indexes = [Index(fields=("customer_id",))]


class Vehicle(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="vehicles", on_delete=fields.CASCADE)
    vehicle_model = fields.ForeignKeyField("models.VehicleModel", related_name="vehicles", null=True, on_delete=fields.SET_NULL)
    model_name = fields.CharField(max_length=120, default="")
    vin = fields.CharField(max_length=17, null=True, unique=True)
    plate = fields.CharField(max_length=16, default="")
    purchase_date = fields.DateField(null=True)
    mileage_km = fields.IntField(null=True)
    insurance_expiry = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "vehicle"
        indexes = [Index(fields=("customer_id",)), Index(fields=("purchase_date",))]


class ServiceRecord(Model):
    id = fields.IntField(primary_key=True)
    vehicle = fields.ForeignKeyField("models.Vehicle", related_name="service_records", on_delete=fields.CASCADE)
    customer = fields.ForeignKeyField("models.Customer", related_name="service_records", on_delete=fields.CASCADE)
    kind = fields.CharEnumField(ServiceKind, max_length=16)
    service_date = fields.DateField()
    mileage_km = fields.IntField(null=True)
    amount = fields.DecimalField(max_digits=12, decimal_places=2, default=0)
    description = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "service_record"
        indexes = [Index(fields=("customer_id", "service_date")), Index(fields=("vehicle_id", "service_date"))]

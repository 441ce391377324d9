from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from server.enums import (
    AssignmentStrategy,
    BodyType,
    Channel,
    CloseReasonKind,
    EnergyType,
    OpportunityStage,
    OpportunityStatus,
    OwnershipChangeKind,
    TestDriveStatus,
)


class VehicleModel(Model):
    id = fields.IntField(primary_key=True)
    brand = fields.CharField(max_length=50)
    series = fields.CharField(max_length=80)
    trim = fields.CharField(max_length=120, default="")
    body_type = fields.CharEnumField(BodyType, max_length=12)
    energy_type = fields.CharEnumField(EnergyType, max_length=8)
    price = fields.DecimalField(max_digits=12, decimal_places=2)
    colors = fields.JSONField(default=list)
    # Other spellings people type (for extraction and import mapping).
    aliases = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "vehicle_model"
        unique_together = (("brand", "series", "trim"),)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.brand, self.series, self.trim) if part)


class CloseReason(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(CloseReasonKind, max_length=8)
    label = fields.CharField(max_length=100)
    # A loss to a competitor (选择竞品) must name the brand and model bought instead.
    # db_default: the column is added to tables that already hold rows.
    requires_competitor = fields.BooleanField(default=False, db_default=False)
    is_active = fields.BooleanField(default=True)
    position = fields.IntField(default=0)

    class Meta:
        table = "close_reason"
        unique_together = (("kind", "label"),)


class Campaign(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=150)
    code = fields.CharField(max_length=40, unique=True)
    channel = fields.CharEnumField(Channel, max_length=16)
    starts_on = fields.DateField(null=True)
    ends_on = fields.DateField(null=True)
    budget = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    # db_default: the column is added to a table that already holds rows.
    version = fields.IntField(default=1, db_default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "campaign"


class Opportunity(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="opportunities", on_delete=fields.CASCADE)
    owner = fields.ForeignKeyField("models.User", related_name="opportunities", null=True, on_delete=fields.SET_NULL)
    vehicle_model = fields.ForeignKeyField("models.VehicleModel", related_name="opportunities", null=True, on_delete=fields.SET_NULL)
    campaign = fields.ForeignKeyField("models.Campaign", related_name="opportunities", null=True, on_delete=fields.SET_NULL)
    title = fields.CharField(max_length=200)
    stage = fields.CharEnumField(OpportunityStage, max_length=20, default=OpportunityStage.INITIAL_CONTACT)
    status = fields.CharEnumField(OpportunityStatus, max_length=8, default=OpportunityStatus.OPEN)
    probability = fields.IntField(default=10)
    amount = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    expected_close_date = fields.DateField(null=True)
    close_reason = fields.ForeignKeyField("models.CloseReason", related_name="opportunities", null=True, on_delete=fields.SET_NULL)
    competitor_brand = fields.CharField(max_length=50, default="")
    competitor_model = fields.CharField(max_length=80, default="")
    close_note = fields.TextField(default="")
    closed_at = fields.DatetimeField(null=True)
    # A loss can wait for a manager's approval: the consultant's request is stored here.
    loss_pending = fields.BooleanField(default=False)
    # Why a manager sent a loss request back, shown to the consultant until the next request.
    loss_review_note = fields.TextField(default="", db_default="")
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "opportunity"
        indexes = [
            Index(fields=("owner_id", "status", "stage")),
            Index(fields=("customer_id",)),
            Index(fields=("status", "closed_at")),
            # Campaign numbers group a campaign's deals by status.
            Index(fields=("campaign_id", "status")),
        ]


class Quote(Model):
    id = fields.IntField(primary_key=True)
    opportunity = fields.ForeignKeyField("models.Opportunity", related_name="quotes", on_delete=fields.CASCADE)
    created_by = fields.ForeignKeyField("models.User", related_name="quotes", null=True, on_delete=fields.SET_NULL)
    discount = fields.DecimalField(max_digits=12, decimal_places=2, default=0)
    down_payment = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    term_months = fields.IntField(null=True)
    annual_rate = fields.DecimalField(max_digits=6, decimal_places=4, null=True)
    valid_until = fields.DateField(null=True)
    total = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "quote"


class QuoteItem(Model):
    id = fields.IntField(primary_key=True)
    quote = fields.ForeignKeyField("models.Quote", related_name="items", on_delete=fields.CASCADE)
    description = fields.CharField(max_length=200)
    vehicle_model = fields.ForeignKeyField("models.VehicleModel", related_name="quote_items", null=True, on_delete=fields.SET_NULL)
    quantity = fields.IntField(default=1)
    unit_price = fields.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        table = "quote_item"


class TestDrive(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="test_drives", on_delete=fields.CASCADE)
    opportunity = fields.ForeignKeyField("models.Opportunity", related_name="test_drives", null=True, on_delete=fields.SET_NULL)
    vehicle_model = fields.ForeignKeyField("models.VehicleModel", related_name="test_drives", null=True, on_delete=fields.SET_NULL)
    consultant = fields.ForeignKeyField("models.User", related_name="test_drives", null=True, on_delete=fields.SET_NULL)
    scheduled_at = fields.DatetimeField()
    status = fields.CharEnumField(TestDriveStatus, max_length=10, default=TestDriveStatus.BOOKED)
    feedback = fields.TextField(default="")
    rating = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "test_drive"
        indexes = [Index(fields=("customer_id", "scheduled_at"))]


class Objection(Model):
    id = fields.IntField(primary_key=True)
    opportunity = fields.ForeignKeyField("models.Opportunity", related_name="objections", on_delete=fields.CASCADE)
    category = fields.CharField(max_length=40)
    text = fields.TextField()
    resolved = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "objection"


class AssignmentRule(Model):
    """Routes a new pool lead to a team by channel, region and vehicle model (empty matches any).

    Inside the team the lead goes round-robin or to the least-loaded consultant.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    team = fields.ForeignKeyField("models.Team", related_name="assignment_rules", on_delete=fields.CASCADE)
    strategy = fields.CharEnumField(AssignmentStrategy, max_length=16, default=AssignmentStrategy.ROUND_ROBIN)
    channel = fields.CharEnumField(Channel, max_length=16, null=True)
    province = fields.CharField(max_length=30, default="")
    city = fields.CharField(max_length=30, default="")
    vehicle_model = fields.ForeignKeyField(
        "models.VehicleModel", related_name="assignment_rules", null=True, on_delete=fields.SET_NULL
    )
    # Lower first, the first rule that matches wins.
    position = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "assignment_rule"


class OwnershipChange(Model):
    """One move of a customer between owners and the pool (claim caps and cooling-off read it)."""

    id = fields.BigIntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="ownership_changes", on_delete=fields.CASCADE)
    kind = fields.CharEnumField(OwnershipChangeKind, max_length=12)
    from_user = fields.ForeignKeyField("models.User", related_name="customers_given_up", null=True, on_delete=fields.SET_NULL)
    to_user = fields.ForeignKeyField("models.User", related_name="customers_received", null=True, on_delete=fields.SET_NULL)
    actor_user = fields.ForeignKeyField("models.User", related_name="ownership_moves", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ownership_change"
        indexes = [
            Index(fields=("customer_id", "created_at")),
            Index(fields=("to_user_id", "kind", "created_at")),
        ]


class ShowroomVisit(Model):
    """One walk-in at the showroom (展厅客流), as reception logged it.

    A walk-in who leaves a phone number is matched to their customer or becomes a lead; one who
    leaves none is still counted (traffic is traffic), with what the desk noted, and no customer.
    """

    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="showroom_visits", null=True,
                                      on_delete=fields.CASCADE)
    # The name as given at the desk: for a walk-in without a phone it is all there is.
    visitor_name = fields.CharField(max_length=100, default="")
    arrived_at = fields.DatetimeField()
    left_at = fields.DatetimeField(null=True)
    party_size = fields.IntField(default=1)
    is_first_visit = fields.BooleanField(default=True)
    consultant = fields.ForeignKeyField("models.User", related_name="showroom_visits", null=True,
                                        on_delete=fields.SET_NULL)
    vehicle_model = fields.ForeignKeyField("models.VehicleModel", related_name="showroom_visits", null=True,
                                           on_delete=fields.SET_NULL)
    # The timeline entry the visit wrote on its customer.
    interaction = fields.ForeignKeyField("models.Interaction", related_name="showroom_visits", null=True,
                                         on_delete=fields.SET_NULL)
    recorded_by = fields.ForeignKeyField("models.User", related_name="showroom_visits_recorded", null=True,
                                         on_delete=fields.SET_NULL)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "showroom_visit"
        indexes = [
            Index(fields=("arrived_at",)),
            Index(fields=("customer_id", "arrived_at")),
            Index(fields=("consultant_id", "arrived_at")),
        ]

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from server.enums import Channel, Direction, InteractionKind, TaskKind, TaskStatus


class Interaction(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="interactions", on_delete=fields.CASCADE)
    contact = fields.ForeignKeyField("models.Contact", related_name="interactions", null=True, on_delete=fields.SET_NULL)
    user = fields.ForeignKeyField("models.User", related_name="interactions", null=True, on_delete=fields.SET_NULL)
    kind = fields.CharEnumField(InteractionKind, max_length=16)
    channel = fields.CharEnumField(Channel, max_length=16, null=True)
    direction = fields.CharEnumField(Direction, max_length=8, default=Direction.OUTBOUND)
    occurred_at = fields.DatetimeField()
    summary = fields.TextField(default="")
    next_step = fields.CharField(max_length=255, default="")
    next_follow_up_at = fields.DatetimeField(null=True)
    # Facts extracted from the summary (budget, models, timeframe …) with provenance.
    facts = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "interaction"
        indexes = [Index(fields=("customer_id", "occurred_at")), Index(fields=("user_id", "occurred_at"))]


class Task(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="tasks", null=True, on_delete=fields.CASCADE)
    owner = fields.ForeignKeyField("models.User", related_name="tasks", on_delete=fields.CASCADE)
    kind = fields.CharEnumField(TaskKind, max_length=24)
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    due_at = fields.DatetimeField()
    status = fields.CharEnumField(TaskStatus, max_length=12, default=TaskStatus.OPEN)
    # (rule, customer, period) for rule-made tasks: a retried pass creates nothing new.
    dedup_key = fields.CharField(max_length=200, null=True, unique=True)
    rule = fields.ForeignKeyField("models.Rule", related_name="tasks", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "task"
        indexes = [Index(fields=("owner_id", "status", "due_at")), Index(fields=("customer_id", "status"))]

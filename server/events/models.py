from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class OutboxEvent(Model):
    """An effect that must not be lost, written in the same transaction as its cause."""

    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=60)
    payload = fields.JSONField(default=dict)
    dedup_key = fields.CharField(max_length=200, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(default="")
    # Set when delivery failed OUTBOX_MAX_ATTEMPTS times: the event waits for `crm outbox retry-dead`.
    dead_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_event"
        indexes = [Index(fields=("processed_at", "id"))]

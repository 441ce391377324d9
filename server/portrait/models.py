from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from server.enums import TagCategory, TagSource


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    category = fields.CharEnumField(TagCategory, max_length=12)
    description = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tag"


class CustomerTag(Model):
    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="customer_tags", on_delete=fields.CASCADE)
    tag = fields.ForeignKeyField("models.Tag", related_name="customer_tags", on_delete=fields.CASCADE)
    source = fields.CharEnumField(TagSource, max_length=12, default=TagSource.MANUAL)
    rule = fields.ForeignKeyField("models.Rule", related_name="customer_tags", null=True, on_delete=fields.SET_NULL)
    assigned_by = fields.ForeignKeyField("models.User", related_name="assigned_tags", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "customer_tag"
        unique_together = (("customer", "tag"),)
        indexes = [Index(fields=("tag_id",))]


class MessageTemplate(Model):
    """A talking point (话术) or message template, recommended by tags, stage and grade."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=150)
    body = fields.TextField()
    kind = fields.CharField(max_length=16, default="TALKING_POINT")
    tag_names = fields.JSONField(default=list)
    stages = fields.JSONField(default=list)
    grades = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "message_template"

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class AuditLog(Model):
    """Who changed what (field diff), or who revealed which personal field, when and from where."""

    id = fields.BigIntField(primary_key=True)
    actor_user = fields.ForeignKeyField("models.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL)
    actor_token = fields.ForeignKeyField("models.ApiToken", related_name="audit_entries", null=True, on_delete=fields.SET_NULL)
    # Who acted when it was neither a user nor a token, e.g. "rule:90天未联系转为沉睡客户".
    actor = fields.CharField(max_length=160, default="", db_default="")
    action = fields.CharField(max_length=40)
    object_type = fields.CharField(max_length=40)
    object_id = fields.CharField(max_length=40)
    changes = fields.JSONField(default=dict)
    ip = fields.CharField(max_length=64, default="")
    user_agent = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_log"
        indexes = [Index(fields=("object_type", "object_id", "created_at")), Index(fields=("created_at",))]

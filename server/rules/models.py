from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class Rule(Model):
    """A trigger rule is data: a condition over customer facts, actions and triggers."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=150)
    description = fields.TextField(default="")
    condition = fields.JSONField(default=dict)
    actions = fields.JSONField(default=list)
    schedule = fields.CharField(max_length=60, null=True)
    events = fields.JSONField(default=list)
    enabled = fields.BooleanField(default=True)
    builtin_key = fields.CharField(max_length=60, null=True, unique=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "rule"


class RuleFiring(Model):
    id = fields.BigIntField(primary_key=True)
    rule = fields.ForeignKeyField("models.Rule", related_name="firings", on_delete=fields.CASCADE)
    customer = fields.ForeignKeyField("models.Customer", related_name="rule_firings", on_delete=fields.CASCADE)
    # (rule, customer, period): the unique key that makes a firing happen once.
    dedup_key = fields.CharField(max_length=200, unique=True)
    effects = fields.JSONField(default=list)
    fired_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "rule_firing"
        indexes = [Index(fields=("customer_id", "fired_at")), Index(fields=("rule_id", "fired_at"))]


class RuleRun(Model):
    """The last scheduled run of a rule and the due time it covered (missed passes run once on return).

    A worker that was down at 08:00 runs the 08:00 pass when it comes back, and no later tick runs it again.
    """

    id = fields.IntField(primary_key=True)
    rule = fields.OneToOneField("models.Rule", related_name="last_run", on_delete=fields.CASCADE)
    due_at = fields.DatetimeField()
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField()
    fired = fields.IntField(default=0)

    class Meta:
        table = "rule_run"

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from server.enums import CandidateStatus, Channel, SourceRecordStatus


class SourceRecord(Model):
    """A record as received from a channel, kept verbatim. A customer is the merge of these."""

    id = fields.IntField(primary_key=True)
    customer = fields.ForeignKeyField("models.Customer", related_name="source_records", null=True, on_delete=fields.SET_NULL)
    channel = fields.CharEnumField(Channel, max_length=16)
    external_id = fields.CharField(max_length=128, null=True)
    idempotency_key = fields.CharField(max_length=200, null=True, unique=True)
    received_at = fields.DatetimeField(auto_now_add=True)
    payload = fields.JSONField()
    status = fields.CharEnumField(SourceRecordStatus, max_length=16, default=SourceRecordStatus.CREATED)
    # What cleansing changed: [{"field": "phone", "from": "138 0013 8000", "to": "+8613800138000"}].
    corrections = fields.JSONField(default=list)
    errors = fields.JSONField(default=list)
    import_job = fields.ForeignKeyField("models.ImportJob", related_name="records", null=True, on_delete=fields.SET_NULL)

    class Meta:
        table = "source_record"
        unique_together = (("channel", "external_id"),)
        indexes = [Index(fields=("customer_id", "received_at"))]


class DuplicateCandidate(Model):
    id = fields.IntField(primary_key=True)
    # Ordered pair (lower id first) so one pair has one row.
    customer_a = fields.ForeignKeyField("models.Customer", related_name="duplicate_candidates_a", on_delete=fields.CASCADE)
    customer_b = fields.ForeignKeyField("models.Customer", related_name="duplicate_candidates_b", on_delete=fields.CASCADE)
    score = fields.FloatField()
    reasons = fields.JSONField(default=list)
    status = fields.CharEnumField(CandidateStatus, max_length=16, default=CandidateStatus.OPEN)
    resolved_by = fields.ForeignKeyField("models.User", related_name="resolved_candidates", null=True, on_delete=fields.SET_NULL)
    resolved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "duplicate_candidate"
        unique_together = (("customer_a", "customer_b"),)
        indexes = [Index(fields=("status", "score"))]


class Synonym(Model):
    """Managed mapping from free text to a standard value (强烈 → STRONG, 官网 → WEBSITE)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=30)
    raw_value = fields.CharField(max_length=100)
    value = fields.CharField(max_length=100)

    class Meta:
        table = "synonym"
        unique_together = (("kind", "raw_value"),)


class ImportJob(Model):
    id = fields.IntField(primary_key=True)
    filename = fields.CharField(max_length=255)
    channel = fields.CharEnumField(Channel, max_length=16)
    status = fields.CharField(max_length=16, default="QUEUED")
    total_rows = fields.IntField(default=0)
    processed_rows = fields.IntField(default=0)
    created_count = fields.IntField(default=0)
    merged_count = fields.IntField(default=0)
    review_count = fields.IntField(default=0)
    rejected_count = fields.IntField(default=0)
    rejected_rows = fields.JSONField(default=list)
    file_path = fields.CharField(max_length=500, default="")
    # The upload itself, encrypted (it holds ID numbers), so a worker on another machine can read it; cleared once imported.
    content = fields.BinaryField(null=True)
    error = fields.TextField(default="")
    started_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField("models.User", related_name="import_jobs", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_job"

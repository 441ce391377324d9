"""Spreadsheet imports: queued on upload, run by a worker in batches, reported row by row.

The upload is checked at once (is it a spreadsheet, does a column identify a customer), so a
wrong file is refused while the user is still looking. The rows then go through the same
`ingest` as every other channel, batch by batch, each batch in its own transaction: a crash
halfway keeps the finished batches, and running the job again replays them instead of
duplicating them (every row carries an idempotency key made of the file's hash and its row
number, unless the file has its own id column).
"""

import csv
import hashlib
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.timezone import now

from server.audit import services as audit
from server.auth.models import User
from server.auth.principal import SYSTEM, Principal, principal_for_user
from server.enums import Channel, Role, SourceRecordStatus
from server.errors import ErrorCode, UserError
from server.privacy.crypto import decrypt_bytes, encrypt_bytes
from server.ingestion.files import ImportFileError, read_table
from server.ingestion.models import ImportJob
from server.ingestion.services import Incoming, ingest

BATCH_SIZE = 500

QUEUED, RUNNING, DONE, FAILED = "QUEUED", "RUNNING", "DONE", "FAILED"
# Report rows: not imported at all, or imported with some value dropped.
REJECTED, FLAGGED = "REJECTED", "FLAGGED"

Progress = Callable[[ImportJob], Awaitable[None] | None]


@dataclass(frozen=True)
class RejectedRow:
    row: int
    problems: list[dict]
    values: dict


async def create_import(principal: Principal, filename: str, channel: Channel, data: bytes) -> ImportJob:
    """Check the file and queue it; raises UserError naming what is wrong with it."""
    try:
        table = read_table(data, filename)
    except ImportFileError as exc:
        raise UserError(ErrorCode.INVALID, str(exc), "file") from None
    job = await ImportJob.create(
        filename=filename[:255], channel=channel, status=QUEUED, total_rows=len(table.rows),
        content=encrypt_bytes(data),
        created_by_id=principal.user_id,
    )
    await audit.record(principal, "import.queued", "ImportJob", job.id,
                       {"filename": filename, "rows": len(table.rows), "channel": channel.value})
    return job


async def notify_worker(job: ImportJob) -> None:
    """Wake an arq worker now; without Redis the in-process worker finds the job on its next pass."""
    from server import config

    if not config.settings.redis_url:
        return
    from arq.connections import RedisSettings, create_pool

    try:
        redis = await create_pool(RedisSettings.from_dsn(config.settings.redis_url))
        try:
            await redis.enqueue_job("run_imports")
        finally:
            await redis.aclose()
    except OSError:
        # Redis down: the workers' cron pass picks queued jobs up once it is back.
        pass


def visible_jobs(principal: Principal) -> Q:
    """One's own imports; every import for admins."""
    if principal.is_admin:
        return Q()
    if principal.user_id is None:
        return Q(id=-1)
    return Q(created_by_id=principal.user_id)


async def claim_next() -> ImportJob | None:
    """Take the oldest queued job; the conditional update makes two workers never take the same."""
    for job in await ImportJob.filter(status=QUEUED).order_by("id").limit(5):
        if await ImportJob.filter(id=job.id, status=QUEUED).update(status=RUNNING, started_at=now()):
            return await ImportJob.get(id=job.id)
    return None


async def run_import(job: ImportJob, on_progress: Progress | None = None) -> ImportJob:
    """Import every row of a claimed (or freshly created) job; the job row holds the progress."""
    if job.status != RUNNING:
        await ImportJob.filter(id=job.id).update(status=RUNNING, started_at=now())
        job.status = RUNNING
    principal = await _job_principal(job)
    try:
        data = decrypt_bytes(bytes(job.content or b""))
        table = read_table(data, job.filename)
    except (ImportFileError, ValueError) as exc:
        return await _finish(job, FAILED, str(exc))
    digest = hashlib.sha256(data).hexdigest()[:24]
    own_ids = "external_id" in table.recognized.values()
    job.total_rows, job.processed_rows = len(table.rows), 0
    job.created_count = job.merged_count = job.review_count = job.rejected_count = 0
    rejected: list[dict] = []
    for start in range(0, len(table.rows), BATCH_SIZE):
        batch = table.rows[start:start + BATCH_SIZE]
        items = [Incoming(values, idempotency_key=None if own_ids else f"import:{digest}:{number}")
                 for number, values in batch]
        results = await ingest(job.channel, items, principal=principal, import_job_id=job.id)
        for (number, values), result in zip(batch, results):
            if result.status is SourceRecordStatus.CREATED:
                job.created_count += 1
            elif result.status is SourceRecordStatus.MERGED:
                job.merged_count += 1
            elif result.status is SourceRecordStatus.NEEDS_REVIEW:
                job.review_count += 1
            else:
                job.rejected_count += 1
            # A row imported with a value dropped (a bad ID number, say) is reported too: someone
            # has to fix it at the source.
            if result.status is SourceRecordStatus.REJECTED or result.problems:
                rejected.append({"row": number, "status": REJECTED if result.status is SourceRecordStatus.REJECTED
                                 else FLAGGED, "problems": result.problems, "values": _masked_values(values)})
        job.processed_rows += len(batch)
        job.rejected_rows = rejected
        await job.save(update_fields=["total_rows", "processed_rows", "created_count", "merged_count",
                                      "review_count", "rejected_count", "rejected_rows"])
        if on_progress is not None:
            maybe = on_progress(job)
            if maybe is not None:
                await maybe
    return await _finish(job, DONE)


async def run_queued() -> int:
    """Run queued jobs until none is left; what the worker does. Returns how many ran."""
    count = 0
    while (job := await claim_next()) is not None:
        try:
            await run_import(job)
        except Exception as exc:  # the job must not stay RUNNING forever; the error is for the user
            await _finish(job, FAILED, f"the import stopped: {type(exc).__name__}: {exc}")
            raise
        count += 1
    return count


def flagged_count(job: ImportJob) -> int:
    return sum(1 for item in job.rejected_rows or [] if item.get("status") == FLAGGED)


def rejected_report(job: ImportJob) -> str:
    """Rejected and flagged rows as CSV (UTF-8 with BOM, so Excel opens it in Chinese):
    row, status, reasons, then the row's own values."""
    headers: list[str] = []
    for item in job.rejected_rows or []:
        headers += [h for h in item["values"] if h not in headers]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["行号 row", "结果 status", "原因 reasons", *headers])
    for item in job.rejected_rows or []:
        reasons = "; ".join(f"{p['field']}: {p['message']}" for p in item["problems"])
        writer.writerow([item["row"], item.get("status", REJECTED), reasons,
                         *(item["values"].get(h, "") for h in headers)])
    return out.getvalue()


def _masked_values(values: dict) -> dict:
    # The report is downloaded and mailed around: no ID number in it, even a rejected one.
    from server.ingestion.fields import SECRET_FIELDS, canonical_key
    from server.privacy.masking import mask_id_number

    return {k: (mask_id_number(str(v)) if canonical_key(k) in SECRET_FIELDS else v) for k, v in values.items()}


async def _job_principal(job: ImportJob) -> Principal:
    if job.created_by_id is None:
        return SYSTEM
    user = await User.get_or_none(id=job.created_by_id)
    return principal_for_user(user) if user is not None and user.is_active else Principal(role=Role.CONSULTANT)


async def _finish(job: ImportJob, status: str, error: str = "") -> ImportJob:
    job.status, job.error, job.finished_at = status, error[:2000], now()
    if status == DONE:
        job.content = None  # imported: the rows live on as source records
    await job.save(update_fields=["status", "error", "finished_at", "content"])
    return job

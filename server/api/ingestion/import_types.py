from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from server.api.enums import Channel
from server.api.ingestion.types import FieldProblem
from server.api.relay import Node, to_global_id


@strawberry.type(description="A row of an import that was refused, or imported with a value dropped.")
class ImportRowProblem:
    row: int = strawberry.field(description="The row number in the file (the header is row 1).")
    status: str = strawberry.field(description="REJECTED (not imported) or FLAGGED (imported, a value dropped).")
    problems: list[FieldProblem] = strawberry.field(description="What is wrong, per field.")
    values: JSON = strawberry.field(description="The row as read (ID numbers masked).")


@strawberry.type(description="A spreadsheet import (导入任务) and its progress.")
class ImportJob(Node):
    filename: str = strawberry.field(description="The uploaded file's name.")
    channel: Channel = strawberry.field(description="Where the list came from.")
    status: str = strawberry.field(description="QUEUED, RUNNING, DONE or FAILED.")
    total_rows: int = strawberry.field(description="Data rows in the file.")
    processed_rows: int = strawberry.field(description="Rows done so far.")
    created_count: int = strawberry.field(description="Rows that became new customers.")
    merged_count: int = strawberry.field(description="Rows merged into existing customers.")
    review_count: int = strawberry.field(description="Rows that became possible duplicates to review.")
    rejected_count: int = strawberry.field(description="Rows not imported.")
    flagged_count: int = strawberry.field(description="Rows imported with a value dropped.")
    error: str = strawberry.field(description="Why the import failed, when it did.")
    created_at: datetime = strawberry.field(description="When it was uploaded.")
    finished_at: datetime | None = strawberry.field(description="When it finished.")
    problem_rows: list[ImportRowProblem] = strawberry.field(description="Rejected and flagged rows, in file order.")

    @classmethod
    def from_model(cls, job) -> "ImportJob":
        rows = job.rejected_rows or []
        return cls(
            id=to_global_id("ImportJob", job.id), filename=job.filename, channel=job.channel, status=job.status,
            total_rows=job.total_rows, processed_rows=job.processed_rows, created_count=job.created_count,
            merged_count=job.merged_count, review_count=job.review_count, rejected_count=job.rejected_count,
            flagged_count=sum(1 for r in rows if r.get("status") == "FLAGGED"), error=job.error,
            created_at=job.created_at, finished_at=job.finished_at,
            problem_rows=[ImportRowProblem(row=r["row"], status=r.get("status", "REJECTED"),
                                           problems=[FieldProblem(field=p["field"], message=p["message"])
                                                     for p in r["problems"]], values=r["values"]) for r in rows],
        )

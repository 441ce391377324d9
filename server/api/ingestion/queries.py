import strawberry
from strawberry.types import Info

from server.api.ingestion.import_types import ImportJob
from server.api.ingestion.types import CandidateStatus, DuplicateCandidate
from server.ingestion import imports
from server.ingestion.models import ImportJob as ImportJobModel
from server.api.permissions import CanRead
from server.api.relay import Connection, paginate
from server.auth.scope import customer_q
from server.ingestion.models import DuplicateCandidate as CandidateModel


@strawberry.type
class IngestionQuery:
    @strawberry.field(description="Possible duplicates whose both customers the viewer may see, likeliest first.",
                      permission_classes=[CanRead])
    async def duplicate_candidates(
        self, info: Info, status: CandidateStatus | None = CandidateStatus.OPEN,
        first: int | None = None, after: str | None = None,
    ) -> Connection[DuplicateCandidate]:
        principal = info.context.principal
        query = CandidateModel.filter(customer_q(principal, "customer_a__"), customer_q(principal, "customer_b__"))
        if status is not None:
            query = query.filter(status=status.value)
        return await paginate(query.order_by("-score", "-id"), first, after, DuplicateCandidate.from_model)

    @strawberry.field(description="The viewer's spreadsheet imports (every import, for admins), newest first.",
                      permission_classes=[CanRead])
    async def import_jobs(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[ImportJob]:
        query = ImportJobModel.filter(imports.visible_jobs(info.context.principal)).order_by("-id")
        return await paginate(query, first, after, ImportJob.from_model)

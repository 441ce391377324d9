from datetime import datetime

import strawberry
from strawberry.types import Info

from server.activity.models import Task as TaskModel
from server.api.activity.task_types import Task, TaskKind, TaskStatus
from server.api.permissions import CanRead
from server.api.relay import Connection, decode_id, paginate
from server.auth.scope import task_q


@strawberry.input(description="Which tasks to list.")
class TaskFilter:
    status: list[TaskStatus] | None = strawberry.field(default=None, description="Any of these statuses.")
    kind: list[TaskKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    due_before: datetime | None = strawberry.field(default=None, description="Due before this moment (overdue and today).")
    due_after: datetime | None = strawberry.field(default=None, description="Due at or after this moment.")
    mine: bool | None = strawberry.field(default=None, description="Only the viewer's own tasks.")
    customer_id: strawberry.ID | None = strawberry.field(default=None, description="Only tasks about this customer.")


@strawberry.type
class ActivityQuery:
    @strawberry.field(description="Tasks the viewer may see, soonest due first.", permission_classes=[CanRead])
    async def tasks(
        self, info: Info, filter: TaskFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Task]:
        principal = info.context.principal
        query = TaskModel.filter(task_q(principal))
        if filter is not None:
            if filter.status:
                query = query.filter(status__in=[s.value for s in filter.status])
            if filter.kind:
                query = query.filter(kind__in=[k.value for k in filter.kind])
            if filter.due_before is not None:
                query = query.filter(due_at__lt=filter.due_before)
            if filter.due_after is not None:
                query = query.filter(due_at__gte=filter.due_after)
            if filter.mine:
                query = query.filter(owner_id=principal.user_id) if principal.user_id else query.filter(id__isnull=True)
            if filter.customer_id:
                query = query.filter(customer_id=decode_id(filter.customer_id, "Customer", "customerId"))
        return await paginate(query.order_by("due_at", "id"), first, after, Task.from_model)

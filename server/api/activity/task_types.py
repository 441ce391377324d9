from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from server.activity.models import Task as TaskModel
from server.api.auth.types import User
from server.api.relay import Node, to_global_id
from server.enums import TaskKind as TaskKindEnum
from server.enums import TaskStatus as TaskStatusEnum

if TYPE_CHECKING:
    from server.api.customers.types import Customer

TaskKind = strawberry.enum(TaskKindEnum, description="What a reminder is about.")
TaskStatus = strawberry.enum(TaskStatusEnum, description="Whether a task is still to do.")


@strawberry.type(description="A reminder or to-do (提醒/任务) for one staff member.")
class Task(Node):
    kind: TaskKind = strawberry.field(description="What it is about.")
    title: str = strawberry.field(description="One line saying what to do.")
    body: str = strawberry.field(description="Details, e.g. a greeting to send.")
    due_at: datetime = strawberry.field(description="When it is due.")
    status: TaskStatus = strawberry.field(description="Open, done or cancelled.")
    completed_at: datetime | None = strawberry.field(description="When it was done.")
    created_at: datetime = strawberry.field(description="When it was raised.")
    customer_pk: strawberry.Private[int | None]
    owner_pk: strawberry.Private[int]

    @strawberry.field(description="Who must do it.")
    async def owner(self, info: Info) -> User | None:
        user = await info.context.loaders.user.load(self.owner_pk)
        return User.from_model(user) if user else None

    @strawberry.field(description="The customer it concerns, if any and if visible to the viewer.")
    async def customer(self, info: Info) -> Annotated["Customer", strawberry.lazy("server.api.customers.types")] | None:
        from server.api.customers.types import Customer
        from server.auth.scope import scoped
        from server.customers.models import Customer as CustomerModel

        if self.customer_pk is None:
            return None
        # Tasks are scoped by owner, customers by ownership: a manager's task may name a pool customer.
        row = await scoped(CustomerModel, info.context.principal).filter(id=self.customer_pk).first()
        return Customer.from_model(row) if row else None

    @classmethod
    def from_model(cls, t: TaskModel) -> "Task":
        return cls(
            id=to_global_id("Task", t.id), kind=t.kind, title=t.title, body=t.body, due_at=t.due_at,
            status=t.status, completed_at=t.completed_at, created_at=t.created_at,
            customer_pk=t.customer_id, owner_pk=t.owner_id,
        )

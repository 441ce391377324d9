import strawberry
from strawberry.types import Info

from server.activity import tasks
from server.api.activity.task_types import Task
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id


@strawberry.input(description="The task to mark done.")
class CompleteTaskInput:
    id: strawberry.ID = strawberry.field(description="The task.")


@strawberry.type(description="The result of completeTask.")
class CompleteTaskPayload:
    task: Task | None = strawberry.field(description="The task, now done.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def complete_task(info: Info, input: CompleteTaskInput) -> CompleteTaskPayload:
    try:
        row = await tasks.complete_task(info.context.principal, decode_id(input.id, "Task"))
    except USER_ERRORS as exc:
        return CompleteTaskPayload(task=None, errors=to_user_errors(exc))
    return CompleteTaskPayload(task=Task.from_model(row), errors=[])


field = strawberry.mutation(resolver=complete_task, description="Mark a task done; doing it twice changes nothing.",
                            permission_classes=[CanWrite])

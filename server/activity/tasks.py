"""Reminders and to-dos (提醒/任务): creating and completing them."""

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.timezone import now

from server.activity.models import Task
from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import task_q
from server.enums import TaskKind, TaskStatus
from server.errors import ErrorCode, UserError


async def create_task(
    owner_id: int,
    kind: TaskKind,
    title: str,
    due_at: datetime,
    *,
    customer_id: int | None = None,
    body: str = "",
    dedup_key: str | None = None,
    rule_id: int | None = None,
) -> Task | None:
    """Create a task; with a dedup_key a second call for the same key creates nothing and returns None."""
    try:
        return await Task.create(owner_id=owner_id, kind=kind, title=title[:200], due_at=due_at,
                                 customer_id=customer_id, body=body, dedup_key=dedup_key, rule_id=rule_id)
    except IntegrityError:
        if dedup_key is None:
            raise
        return None


async def complete_task(principal: Principal, task_id: int) -> Task:
    task = await Task.filter(task_q(principal), id=task_id).first()
    if task is None:
        raise UserError(ErrorCode.NOT_FOUND, "task not found or not yours", "id")
    if task.status is TaskStatus.OPEN:
        task.status = TaskStatus.DONE
        task.completed_at = now()
        await task.save(update_fields=["status", "completed_at"])
        await audit.record(principal, "complete", "Task", task.id)
    return task

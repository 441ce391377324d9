"""Closing an opportunity won or lost, the manager's approval of a loss (战败审批), and reopening."""

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from server.activity.models import Task
from server.activity.tasks import create_task
from server.audit.models import AuditLog
from server.auth.models import User
from server.auth.principal import Principal
from server.customers.models import Customer
from server.enums import CloseReasonKind, Lifecycle, OpportunityStatus, Role, TaskKind, TaskStatus
from server.errors import ErrorCode, UserError, UserErrors
from server.sales import policy
from server.sales.models import CloseReason, Opportunity
from server.sales.opportunities import get_visible_opportunity, promote_customer, save_versioned

MAX_NOTE = 2000
REASON_KIND = {OpportunityStatus.WON: CloseReasonKind.WIN, OpportunityStatus.LOST: CloseReasonKind.LOSS}



async def _close_values(status: OpportunityStatus, reason_id: int | None, competitor_brand: str,
                        competitor_model: str, note: str) -> dict:
    errors = []
    reason = await CloseReason.get_or_none(id=reason_id, is_active=True) if reason_id is not None else None
    if reason_id is None:
        errors.append(UserError(ErrorCode.REQUIRED, "choose a reason from the list", "reason_id"))
    elif reason is None or reason.kind is not REASON_KIND[status]:
        errors.append(UserError(ErrorCode.INVALID, f"not a {REASON_KIND[status].value.lower()} reason on the list", "reason_id"))
    brand, model = competitor_brand.strip(), competitor_model.strip()
    if status is OpportunityStatus.WON:
        brand = model = ""
    elif reason is not None and reason.requires_competitor:
        if not brand:
            errors.append(UserError(ErrorCode.REQUIRED, "name the competitor's brand", "competitor_brand"))
        if not model:
            errors.append(UserError(ErrorCode.REQUIRED, "name the competitor's model", "competitor_model"))
    if len(brand) > 50:
        errors.append(UserError(ErrorCode.INVALID, "brand is longer than 50 characters", "competitor_brand"))
    if len(model) > 80:
        errors.append(UserError(ErrorCode.INVALID, "model is longer than 80 characters", "competitor_model"))
    if len(note) > MAX_NOTE:
        errors.append(UserError(ErrorCode.INVALID, f"note is longer than {MAX_NOTE} characters", "note"))
    if errors:
        raise UserErrors(errors)
    return {"close_reason_id": reason.id, "competitor_brand": brand, "competitor_model": model,
            "close_note": note.strip()}


async def close_opportunity(principal: Principal, opportunity_id: int, version: int, status: OpportunityStatus, *,
                            reason_id: int | None, competitor_brand: str = "", competitor_model: str = "",
                            note: str = "") -> Opportunity:
    """Close won or lost. When losses need approval, a consultant's loss becomes a request."""
    opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
    status = OpportunityStatus(status)
    if status is OpportunityStatus.OPEN:
        raise UserError(ErrorCode.INVALID, "close as WON or LOST", "status")
    if opportunity.status is not OpportunityStatus.OPEN:
        raise UserError(ErrorCode.INVALID, "the opportunity is already closed", "status")
    if opportunity.loss_pending:
        raise UserError(ErrorCode.INVALID, "a loss request is waiting for a manager", "status")
    values = await _close_values(status, reason_id, competitor_brand, competitor_model, note)
    values["loss_review_note"] = ""
    async with in_transaction():
        if status is OpportunityStatus.LOST and policy.POLICY.loss_needs_approval and not principal.manages:
            values["loss_pending"] = True
            saved = await save_versioned(principal, opportunity, version, values, "loss_requested")
            await _ask_managers(saved)
            return saved
        values.update(status=status, closed_at=now(),
                      probability=100 if status is OpportunityStatus.WON else 0)
        saved = await save_versioned(principal, opportunity, version, values, "closed")
        if status is OpportunityStatus.WON:
            await promote_customer(principal, opportunity.customer_id, Lifecycle.CUSTOMER,
                                   {Lifecycle.LEAD, Lifecycle.PROSPECT, Lifecycle.DORMANT, Lifecycle.LOST})
        return saved


def _review_key(opportunity: Opportunity) -> str:
    return f"loss-review:{opportunity.id}:{opportunity.version}"


async def _ask_managers(opportunity: Opportunity) -> None:
    """Each manager of the customer's team gets the request on their 今日."""
    customer = await Customer.get(id=opportunity.customer_id)
    managers = await User.filter(team_id=customer.team_id, role=Role.MANAGER, is_active=True) if customer.team_id else []
    for manager in managers:
        await create_task(manager.id, TaskKind.OTHER, f"战败审批：{opportunity.title}", now(),
                          customer_id=customer.id, body=opportunity.close_note[:500],
                          dedup_key=f"{_review_key(opportunity)}:{manager.id}")


async def review_loss_request(principal: Principal, opportunity_id: int, version: int, *, approve: bool,
                              comment: str = "") -> Opportunity:
    """A manager approves a loss request (the deal closes LOST) or sends it back with a comment."""
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins review loss requests", "id")
    opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
    if not opportunity.loss_pending:
        raise UserError(ErrorCode.INVALID, "no loss request is waiting on this opportunity", "id")
    comment = comment.strip()
    if not approve and not comment:
        raise UserError(ErrorCode.REQUIRED, "say why the request is sent back", "comment")
    if len(comment) > MAX_NOTE:
        raise UserError(ErrorCode.INVALID, f"comment is longer than {MAX_NOTE} characters", "comment")
    if approve:
        values = {"status": OpportunityStatus.LOST, "closed_at": now(), "probability": 0}
    else:
        values = {"close_reason_id": None, "competitor_brand": "", "competitor_model": "", "close_note": ""}
    values.update(loss_pending=False, loss_review_note=comment)
    async with in_transaction():
        # The request is answered: the other managers' approval tasks are done too.
        await Task.filter(dedup_key__startswith=f"loss-review:{opportunity.id}:", status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, completed_at=now()
        )
        saved = await save_versioned(principal, opportunity, version, values,
                                     "loss_approved" if approve else "loss_rejected")
        if not approve and saved.owner_id is not None:
            await create_task(saved.owner_id, TaskKind.OTHER, f"战败申请被退回：{saved.title}", now(),
                              customer_id=saved.customer_id, body=comment[:500])
    return saved


async def reopen_opportunity(principal: Principal, opportunity_id: int, version: int, note: str = "") -> Opportunity:
    """Reopen a won or lost opportunity at the stage it closed in; the old outcome stays in the audit log."""
    opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
    if opportunity.status is OpportunityStatus.OPEN:
        raise UserError(ErrorCode.INVALID, "the opportunity is open", "id")
    if len(note) > MAX_NOTE:
        raise UserError(ErrorCode.INVALID, f"note is longer than {MAX_NOTE} characters", "note")
    values = {
        "status": OpportunityStatus.OPEN, "closed_at": None, "close_reason_id": None, "competitor_brand": "",
        "competitor_model": "", "close_note": "", "loss_review_note": "",
        "probability": policy.POLICY.probability(opportunity.stage),
    }
    async with in_transaction():
        return await save_versioned(principal, opportunity, version, values, "reopened",
                                    {"note": note.strip()} if note.strip() else None)


OUTCOME_ACTIONS = ("closed", "loss_requested", "loss_approved", "loss_rejected", "reopened")


async def outcome_history(opportunity_id: int, limit: int = 5) -> list:
    """The last closes, loss decisions and reopenings of a deal, newest first, from the audit log."""
    return list(await AuditLog.filter(object_type="Opportunity", object_id=str(opportunity_id),
                                      action__in=OUTCOME_ACTIONS).order_by("-created_at", "-id").limit(limit))

"""Objections (异议) raised on an opportunity, and marking them resolved."""

from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.errors import ErrorCode, UserError, UserErrors
from server.sales.models import Objection
from server.sales.opportunities import get_visible_opportunity

MAX_TEXT = 5000


async def add_objection(principal: Principal, opportunity_id: int, *, category: str, text: str) -> Objection:
    opportunity = await get_visible_opportunity(principal, opportunity_id, for_write=True)
    category, text = category.strip(), text.strip()
    errors = []
    if not category or len(category) > 40:
        errors.append(UserError(ErrorCode.INVALID, "a category of 1 to 40 characters is required", "category"))
    if not text or len(text) > MAX_TEXT:
        errors.append(UserError(ErrorCode.INVALID, f"say what the objection is, in at most {MAX_TEXT} characters", "text"))
    if errors:
        raise UserErrors(errors)
    async with in_transaction():
        objection = await Objection.create(opportunity_id=opportunity.id, category=category, text=text)
        await audit.record(principal, "create", "Objection", objection.id,
                           {"opportunity_id": opportunity.id, "category": category})
    return objection


async def resolve_objection(principal: Principal, objection_id: int, resolved: bool = True) -> Objection:
    """Mark an objection resolved (or open again); doing it twice changes nothing the second time."""
    objection = await scoped(Objection, principal, "opportunity__customer__", for_write=True).filter(id=objection_id).first()
    if objection is None:
        raise UserError(ErrorCode.NOT_FOUND, "objection not found or not yours", "id")
    if objection.resolved != resolved:
        async with in_transaction():
            await Objection.filter(id=objection.id).update(resolved=resolved)
            await audit.record(principal, "resolve" if resolved else "reopen", "Objection", objection.id,
                               {"resolved": [objection.resolved, resolved]})
        objection.resolved = resolved
    return objection

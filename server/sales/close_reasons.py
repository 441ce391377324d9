"""The managed lists of win and loss reasons (赢单/战败原因), edited by managers."""

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.principal import Principal
from server.enums import CloseReasonKind
from server.errors import ErrorCode, UserError
from server.sales.models import CloseReason

EDITABLE = ("label", "requires_competitor", "is_active", "position")



async def list_close_reasons(kind: CloseReasonKind | None = None, *, include_inactive: bool = False) -> list[CloseReason]:
    query = CloseReason.all()
    if kind is not None:
        query = query.filter(kind=kind)
    if not include_inactive:
        query = query.filter(is_active=True)
    return list(await query.order_by("kind", "position", "id"))


def _clean(values: dict) -> dict:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        key = sorted(unknown)[0]
        raise UserError(ErrorCode.INVALID, f"unknown field {key}", key)
    if "label" in values:
        values["label"] = (values["label"] or "").strip()
        if not values["label"] or len(values["label"]) > 100:
            raise UserError(ErrorCode.INVALID, "a label of 1 to 100 characters is required", "label")
    return values


async def create_close_reason(principal: Principal, kind: CloseReasonKind, data: dict) -> CloseReason:
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins edit the reason lists", "kind")
    values = _clean({"label": "", **data})
    if "position" not in values:
        last = await CloseReason.filter(kind=kind).order_by("-position").first()
        values["position"] = last.position + 1 if last else 0
    async with in_transaction():
        try:
            reason = await CloseReason.create(kind=CloseReasonKind(kind), **values)
        except IntegrityError:
            raise UserError(ErrorCode.DUPLICATE, "this reason is already on the list", "label") from None
        await audit.record(principal, "create", "CloseReason", reason.id, audit.diff({}, {"kind": kind, **values}))
    return reason


async def update_close_reason(principal: Principal, reason_id: int, data: dict) -> CloseReason:
    """Rename, reorder, retire (is_active=false) or restore a reason; reasons in use are never deleted."""
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins edit the reason lists", "id")
    reason = await CloseReason.get_or_none(id=reason_id)
    if reason is None:
        raise UserError(ErrorCode.NOT_FOUND, "no such reason", "id")
    values = _clean(dict(data))
    before = {k: getattr(reason, k) for k in values}
    async with in_transaction():
        try:
            await CloseReason.filter(id=reason.id).update(**values)
        except IntegrityError:
            raise UserError(ErrorCode.DUPLICATE, "this reason is already on the list", "label") from None
        changes = audit.diff(before, values)
        if changes:
            await audit.record(principal, "update", "CloseReason", reason.id, changes)
    return await CloseReason.get(id=reason.id)

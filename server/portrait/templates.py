"""Talking points and message templates (话术/消息模板): kept by managers, recommended per customer.

A template fits a customer only when every constraint it sets holds: at least one of its tags
is on the customer, the customer's most advanced open deal is in one of its stages, the
customer's grade is one of its grades. Among those that fit, the score counts what matched
(each shared tag 3, the stage 2, the grade 1); ties go to the most specific template (more
dimensions set, then fewer allowed values). Title and body are rendered in Jinja2's sandbox
with plain strings only (server/rules/task_templates.py), never with model objects.
"""

import logging
from dataclasses import dataclass

from jinja2 import TemplateError
from tortoise.transactions import in_transaction

from server.audit import services as audit
from server.auth.principal import Principal
from server.auth.scope import scoped
from server.customers.models import Customer
from server.enums import Gender, Grade, OpportunityStage, OpportunityStatus, TemplateKind
from server.errors import ErrorCode, UserError, UserErrors
from server.portrait.models import CustomerTag, MessageTemplate
from server.rules import task_templates
from server.sales.models import Opportunity

log = logging.getLogger(__name__)

EDITABLE = ("title", "body", "kind", "tag_names", "stages", "grades", "is_active")
TAG_WEIGHT, STAGE_WEIGHT, GRADE_WEIGHT = 3, 2, 1
MAX_TAGS, MAX_BODY = 10, 2000
STAGE_ORDER = list(OpportunityStage)  # the order of server/enums.py is the order of the process

# What a template may name; the editor lists these. Every value is a plain string.
FIELDS = ("name", "surname", "salutation", "grade", "budget", "interested_model", "deal_model", "owner")
SAMPLE = {"name": "张伟", "surname": "张", "salutation": "张先生", "grade": "A", "budget": "20-30万",
          "interested_model": "比亚迪 汉", "deal_model": "比亚迪 汉 EV 冠军版", "owner": "李娜"}


@dataclass(frozen=True)
class Recommendation:
    template: MessageTemplate
    title: str
    body: str
    matched_tags: list[str]
    score: int


def list_templates(*, include_inactive: bool = False, kind: str | None = None):
    """A queryset of templates, active first, by kind and title (the connection pages it)."""
    query = MessageTemplate.all()
    if not include_inactive:
        query = query.filter(is_active=True)
    if kind is not None:
        query = query.filter(kind=kind)
    return query.order_by("-is_active", "kind", "title", "id")


def _names(values, field: str, allowed: list[str], label: str) -> list[str]:
    out: list[str] = []
    for value in values or []:
        value = str(value)
        if value not in allowed:
            raise UserError(ErrorCode.INVALID, f"{value!r} is not a {label}", field)
        if value not in out:
            out.append(value)
    return out


def _clean(values: dict) -> dict:
    """Check every field given; all problems at once, each naming its field."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        key = sorted(unknown)[0]
        raise UserError(ErrorCode.INVALID, f"unknown field {key}", key)
    problems: list[UserError] = []
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"] or len(values["title"]) > 150:
            problems.append(UserError(ErrorCode.INVALID, "a title of 1 to 150 characters is required", "title"))
    if "body" in values:
        values["body"] = (values["body"] or "").strip()
        if not values["body"] or len(values["body"]) > MAX_BODY:
            problems.append(UserError(ErrorCode.INVALID, f"a text of 1 to {MAX_BODY} characters is required", "body"))
    if "kind" in values:
        try:
            values["kind"] = TemplateKind(values["kind"]).value
        except ValueError:
            problems.append(UserError(ErrorCode.INVALID, "kind is TALKING_POINT or MESSAGE", "kind"))
    if "tag_names" in values:
        tags: list[str] = []
        for name in values["tag_names"] or []:
            name = str(name).strip()
            if name and name not in tags:
                tags.append(name)
        if len(tags) > MAX_TAGS or any(len(t) > 60 for t in tags):
            problems.append(UserError(ErrorCode.INVALID, f"at most {MAX_TAGS} tags of up to 60 characters", "tag_names"))
        values["tag_names"] = tags
    for field, allowed, label in (("stages", [s.value for s in OpportunityStage], "stage"),
                                  ("grades", [g.value for g in Grade], "grade")):
        if field in values:
            try:
                values[field] = _names(values[field], field, allowed, label)
            except UserError as exc:
                problems.append(exc)
    for field in ("title", "body"):
        if values.get(field) and not any(p.field == field for p in problems):
            problem = _render_problem(values[field])
            if problem:
                problems.append(UserError(ErrorCode.INVALID, problem, field))
    if problems:
        raise UserErrors(problems)
    return values


def _render_problem(text: str) -> str | None:
    """Why `text` does not render with the sample customer in the sandbox, or None."""
    try:
        task_templates.render_strict(text, SAMPLE)
    except TemplateError as exc:
        return f"the template does not render: {exc}; it may name {', '.join(FIELDS)}"
    return None


def _forbid(principal: Principal, field: str) -> None:
    if not principal.manages:
        raise UserError(ErrorCode.FORBIDDEN, "only managers and admins edit talking points", field)


async def create_template(principal: Principal, data: dict) -> MessageTemplate:
    _forbid(principal, "title")
    values = _clean({"title": "", "body": "", **data})
    async with in_transaction():
        row = await MessageTemplate.create(**values)
        await audit.record(principal, "create", "MessageTemplate", row.id, audit.diff({}, values))
    return row


async def update_template(principal: Principal, template_id: int, data: dict) -> MessageTemplate:
    """Edit, retire (is_active=false) or restore a template."""
    _forbid(principal, "id")
    row = await MessageTemplate.get_or_none(id=template_id)
    if row is None:
        raise UserError(ErrorCode.NOT_FOUND, "no such template", "id")
    values = _clean(dict(data))
    before = {k: getattr(row, k) for k in values}
    async with in_transaction():
        if values:
            await MessageTemplate.filter(id=row.id).update(**values)
        changes = audit.diff(before, values)
        if changes:
            await audit.record(principal, "update", "MessageTemplate", row.id, changes)
    return await MessageTemplate.get(id=row.id)


async def deactivate_template(principal: Principal, template_id: int) -> MessageTemplate:
    return await update_template(principal, template_id, {"is_active": False})


def _budget(low: int | None, high: int | None) -> str:
    def wan(amount: int) -> str:
        return f"{amount / 10000:g}万"

    if low and high:
        return f"{low / 10000:g}-{wan(high)}" if low != high else wan(low)
    return wan(low or high) if (low or high) else ""


def facts_of(customer: Customer, owner: str, deal_model: str) -> dict:
    """The plain strings a template may name, for one customer."""
    surname = customer.name[:1] if customer.name else ""
    honorific = {Gender.MALE: "先生", Gender.FEMALE: "女士"}.get(customer.gender)
    models = customer.interested_models if isinstance(customer.interested_models, list) else []
    return {
        "name": customer.name,
        "surname": surname,
        "salutation": surname + honorific if honorific else customer.name,
        "grade": str(customer.grade or ""),
        "budget": _budget(customer.budget_min, customer.budget_max),
        "interested_model": str(models[0]) if models else "",
        "deal_model": deal_model,
        "owner": owner,
    }


def fit(template: MessageTemplate, tags: set[str], stage: str | None, grade: str | None) -> tuple[int, list[str]] | None:
    """(score, matched tags) when every constraint the template sets holds; None otherwise."""
    matched = [t for t in template.tag_names or [] if t in tags]
    if template.tag_names and not matched:
        return None
    if template.stages and stage not in template.stages:
        return None
    if template.grades and grade not in template.grades:
        return None
    score = TAG_WEIGHT * len(matched) + (STAGE_WEIGHT if template.stages else 0) + (GRADE_WEIGHT if template.grades else 0)
    return score, matched


def _specificity(template: MessageTemplate) -> tuple[int, int]:
    """Sorts the most specific first: more dimensions set, then fewer allowed values."""
    sets = [template.tag_names or [], template.stages or [], template.grades or []]
    return -sum(1 for s in sets if s), sum(len(s) for s in sets)


def _render(text: str, facts: dict) -> str:
    try:
        return task_templates.render_strict(text, facts)
    except TemplateError:  # saved before a field was renamed, say: show the text rather than nothing
        log.warning("message template failed: %r", text, exc_info=True)
        return text


async def recommend(principal: Principal, customer_id: int, limit: int = 3) -> list[Recommendation]:
    """The best-fitting active templates for a customer the principal may see; none for any other."""
    customer = await scoped(Customer, principal).filter(id=customer_id).select_related("owner").first()
    if customer is None:
        return []
    tags = set(await CustomerTag.filter(customer_id=customer.id).values_list("tag__name", flat=True))
    deals = await Opportunity.filter(customer_id=customer.id, status=OpportunityStatus.OPEN).select_related("vehicle_model")
    deal = max(deals, key=lambda d: (STAGE_ORDER.index(OpportunityStage(d.stage)), d.id), default=None)
    stage = str(deal.stage) if deal else None
    grade = str(customer.grade) if customer.grade else None
    scored = []
    for template in await MessageTemplate.filter(is_active=True):
        found = fit(template, tags, stage, grade)
        if found is not None:
            scored.append((found, template))
    scored.sort(key=lambda item: (-item[0][0], *_specificity(item[1]), item[1].id))
    facts = facts_of(customer, customer.owner.display_name if customer.owner else "",
                     deal.vehicle_model.display_name if deal and deal.vehicle_model else "")
    return [Recommendation(template=t, title=_render(t.title, facts), body=_render(t.body, facts),
                           matched_tags=matched, score=score)
            for (score, matched), t in scored[:limit]]

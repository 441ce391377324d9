"""Task titles and bodies written by managers as templates: 「{{ name }}的保险{{ vehicle.insurance_expiry }}到期」.

Rendered in Jinja2's sandbox with plain data only (no objects, no attribute access into the
ORM), so a rule cannot reach anything but the customer facts listed in FIELDS. A template that
fails at render time falls back to its text: a reminder with a raw placeholder beats no reminder.
"""

import logging
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, Undefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from server.customers.models import Customer, Vehicle

log = logging.getLogger(__name__)

# What a template may name; the editor lists these.
FIELDS = ("name", "grade", "lifecycle", "intent", "value_tier", "city", "birthday", "last_contact_at", "owner")
VEHICLE_FIELDS = ("model_name", "plate", "purchase_date", "insurance_expiry", "mileage_km")

_env = ImmutableSandboxedEnvironment(autoescape=False, undefined=Undefined)
# For checking a template before it is saved: an unknown name or an unsafe attribute
# (``''.__class__``) raises instead of printing nothing.
_strict_env = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


def check(template: str) -> str | None:
    """The syntax problem of `template`, or None when it parses."""
    try:
        _env.parse(template)
    except TemplateError as exc:
        return str(exc)
    return None


def render_strict(template: str, facts: dict) -> str:
    """`template` rendered with `facts`, raising TemplateError (SecurityError, UndefinedError …) on any problem."""
    return _strict_env.from_string(template).render(**facts)


@lru_cache(maxsize=256)
def _compiled(template: str):
    # A pass renders one template for thousands of customers: compiling it each time cost most of the pass.
    return _env.from_string(template)


def _normal(template: str) -> str:
    # "{name}" was the placeholder before templates: keep old rules working.
    return template.replace("{name}", "{{ name }}") if "{{" not in template else template


@lru_cache(maxsize=256)
def needs(template: str) -> frozenset[str]:
    """The facts (of FIELDS and "vehicle") that `template` names; empty for plain text."""
    try:
        names = meta.find_undeclared_variables(_env.parse(_normal(template)))
    except TemplateError:
        return frozenset()  # rendered as its own text, see render()
    return frozenset(names & {*FIELDS, "vehicle"})


@lru_cache(maxsize=256)
def _plain_parts(template: str) -> tuple | None:
    """Text and bare {{ fact }}s only (most titles): the parts, to join without Jinja's per-render setup.

    Such a template renders each fact as str() and an unknown name as "", which the join does too
    (a name of Jinja's globals, e.g. range, is left to Jinja).
    None for anything else (filters, attributes, tags), which Jinja renders.
    """
    try:
        body = _env.parse(template).body
    except TemplateError:
        return None
    parts = []
    for node in body:
        if not isinstance(node, nodes.Output):
            return None
        for item in node.nodes:
            if isinstance(item, nodes.TemplateData):
                parts.append((True, item.data))
            elif isinstance(item, nodes.Name) and item.ctx == "load" and item.name not in _env.globals:
                parts.append((False, item.name))
            else:
                return None
    return tuple(parts)


def render(template: str, facts: dict) -> str:
    template = _normal(template)
    parts = _plain_parts(template)
    if parts is not None:
        return "".join(text if literal else str(facts.get(text, "")) for literal, text in parts)
    try:
        return _compiled(template).render(**facts)
    except Exception:  # noqa: BLE001 - a manager's template must never break a rule pass
        log.warning("task template failed: %r", template, exc_info=True)
        return template


async def facts(customer_ids: list[int], conn=None, wanted: frozenset[str] | None = None) -> dict[int, dict]:
    """Template facts per customer: its fields, its owner's name and its latest vehicle (two queries).

    With `wanted` (see needs()), only those facts: a pass over thousands of customers whose
    templates name nobody's vehicle skips that query, and one naming no fact skips both.
    """
    wanted = frozenset([*FIELDS, "vehicle"]) if wanted is None else wanted
    if not wanted:
        return {cid: {} for cid in customer_ids}
    customers = Customer.filter(id__in=customer_ids)
    vehicles = Vehicle.filter(customer_id__in=customer_ids).order_by("customer_id", "-purchase_date", "-id")
    if conn is not None:
        customers, vehicles = customers.using_db(conn), vehicles.using_db(conn)
    owner = {"owner_name": "owner__display_name"} if "owner" in wanted else {}
    rows = await customers.values(*[f for f in FIELDS if f != "owner" and f in wanted], "id", **owner)
    latest: dict[int, dict] = {}
    if "vehicle" in wanted:
        for v in await vehicles.values("customer_id", *VEHICLE_FIELDS):
            latest.setdefault(v.pop("customer_id"), v)
    out = {}
    for row in rows:
        cid = row.pop("id")
        if owner:
            row["owner"] = row.pop("owner_name") or ""
        row = {k: ("" if v is None else str(v)) for k, v in row.items()}
        if "vehicle" in wanted:
            row["vehicle"] = {k: ("" if v is None else str(v)) for k, v in latest.get(cid, {}).items()}
        out[cid] = row
    return out

"""Facts read from a consultant's note: budget, models, colour, energy, body, timeframe,
competitors, financing and first car or replacement. Pure functions over text and a Catalog
(load it once per batch: `await load_catalog()`)."""

from server.portrait.extraction.attributes import find_body, find_colours, find_energy
from server.portrait.extraction.budget import find_budgets
from server.portrait.extraction.catalog import Catalog, load_catalog
from server.portrait.extraction.competitors import find_competitors
from server.portrait.extraction.facts import EXTRACTOR_VERSION, KINDS, Fact
from server.portrait.extraction.financing import find_financing
from server.portrait.extraction.models_of_interest import find_models
from server.portrait.extraction.purchase_kind import find_purchase_kind
from server.portrait.extraction.timeframe import find_timeframes

__all__ = ["Catalog", "EXTRACTOR_VERSION", "Fact", "KINDS", "extract", "load_catalog"]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (kind, value, negated): the first mention carries the span."""
    seen, out = set(), []
    for fact in facts:
        key = (fact.kind, fact.normalized, fact.negated)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def extract(text: str, catalog: Catalog) -> list[Fact]:
    if not text or not text.strip():
        return []
    models = find_models(text, catalog)
    taken = [(f.start, f.end) for f in models]
    competitors = find_competitors(text, catalog, taken)
    names = taken + [(f.start, f.end) for f in competitors]
    # Numbers and letters inside a model name (汉EV, 宋PLUS DM-i) are not budgets, energies or bodies.
    budgets = [f for f in find_budgets(text) if not any(f.start < e and s < f.end for s, e in names)]
    facts = [*budgets, *models, *competitors, *find_colours(text, names), *find_energy(text, names),
             *find_body(text, names), *find_timeframes(text), *find_financing(text), *find_purchase_kind(text)]
    return _dedupe(sorted(facts, key=lambda f: (f.start, f.kind)))

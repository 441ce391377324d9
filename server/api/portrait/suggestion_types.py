import strawberry

from server.api.relay import to_global_id


@strawberry.type(description="A fact the extractor read in an interaction's summary, with where it was read.")
class InteractionFact:
    kind: str = strawberry.field(description="budget, model, colour, energy, body, timeframe, competitor, financing or purchase_kind.")
    value: str = strawberry.field(description="The words as written in the summary.")
    normalized: str = strawberry.field(description="The comparable value, e.g. 200000-300000, 比亚迪 汉 or SUV.")
    start: int = strawberry.field(description="Where the words start in the summary (character offset).")
    end: int = strawberry.field(description="Where the words end in the summary (exclusive).")
    confidence: float = strawberry.field(description="How sure the extractor is, from 0 to 1.")
    negated: bool = strawberry.field(description="Whether the customer ruled it out (不要SUV).")
    status: str | None = strawberry.field(description="ACCEPTED or DISMISSED once the consultant decided; null before.")

    @classmethod
    def from_dict(cls, fact: dict) -> "InteractionFact":
        status = fact.get("status")
        return cls(kind=fact["kind"], value=fact["value"], normalized=fact["normalized"], start=fact["start"],
                   end=fact["end"], confidence=fact["confidence"], negated=bool(fact.get("negated")),
                   status=status.upper() if status else None)


@strawberry.type(description="A customer field a suggestion would set.")
class SuggestedFieldChange:
    field: str = strawberry.field(description="The customer field, e.g. budgetMin.")
    value: str = strawberry.field(description="The value it would take, as text.")


@strawberry.type(description="A tag or field update read from the customer's notes, waiting to be accepted or dismissed.")
class Suggestion:
    key: str = strawberry.field(description="Identifies the suggestion for acceptSuggestion and dismissSuggestion.")
    kind: str = strawberry.field(description="The kind of fact it comes from.")
    label: str = strawberry.field(description="What it says, e.g. 意向:SUV or 预算:20-30万.")
    value: str = strawberry.field(description="The words in the note it was read from.")
    tag: str | None = strawberry.field(description="The tag accepting it puts on the customer, if any.")
    changes: list[SuggestedFieldChange] = strawberry.field(description="The customer fields accepting it sets.")
    interaction_id: strawberry.ID = strawberry.field(description="The interaction whose summary says it.")
    start: int = strawberry.field(description="Where the words start in that summary.")
    end: int = strawberry.field(description="Where the words end in that summary (exclusive).")
    confidence: float = strawberry.field(description="How sure the extractor is, from 0 to 1.")

    @classmethod
    def from_service(cls, s) -> "Suggestion":
        def camel(name: str) -> str:
            head, *rest = name.split("_")
            return head + "".join(part.title() for part in rest)

        changes = [SuggestedFieldChange(field=camel(k), value="" if v is None else ", ".join(v) if isinstance(v, list)
                                        else str(v)) for k, v in s.fields.items()]
        return cls(key=s.key, kind=s.kind, label=s.label, value=s.value, tag=s.tag, changes=changes,
                   interaction_id=to_global_id("Interaction", s.interaction_id), start=s.start, end=s.end,
                   confidence=s.confidence)

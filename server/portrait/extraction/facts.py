"""What an extractor finds in a note: one fact with where it was read."""

from dataclasses import asdict, dataclass

# Bump when a change to the extractors could change what a stored note yields.
EXTRACTOR_VERSION = "1"

KINDS = ("budget", "model", "colour", "energy", "body", "timeframe", "competitor", "financing", "purchase_kind")


@dataclass(frozen=True)
class Fact:
    kind: str
    value: str  # the text as written, e.g. "二十五万左右"
    normalized: str  # the comparable value, e.g. "250000-250000", "比亚迪 汉", "SUV"
    start: int  # span in the note, [start, end)
    end: int
    confidence: float
    negated: bool = False  # 不要SUV: the customer rules it out
    model_ids: tuple[int, ...] = ()  # catalog rows a model fact names

    def as_dict(self) -> dict:
        data = asdict(self)
        data["model_ids"] = list(self.model_ids)
        return data

"""How the value tiers (价值分层) are scored: the RFM thresholds, in one place.

Each of recency, frequency and monetary scores 1 to 3 against two thresholds; a customer's score
is their sum (3 to 9) and the tier follows from `PORTRAIT_TIER_THRESHOLDS`. Defaults suit a
typical 4S dealership; each can be overridden by an environment variable (see the README's
configuration table). Services read `policy.POLICY` at call time, so tests swap it with
monkeypatch.
"""

import os
from dataclasses import dataclass


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class TierPolicy:
    # Days since the last interaction, won deal or service visit: within the first → 3, the second → 2.
    recency_days: tuple[int, int] = (30, 90)
    # Interactions + won deals + service visits in 12 months: at least the first → 3, the second → 2.
    frequency: tuple[int, int] = (8, 3)
    # Won deal amounts + service spend in 24 months, in CNY: at least the first → 3, the second → 2.
    monetary: tuple[int, int] = (200_000, 5_000)
    # The summed score (3 to 9) a customer needs for HIGH and for MEDIUM; below: POTENTIAL.
    tier_thresholds: dict[str, int] = None  # type: ignore[assignment]

    def __post_init__(self):
        if self.tier_thresholds is None:
            object.__setattr__(self, "tier_thresholds", {"HIGH": 7, "MEDIUM": 5})


def _pair(name: str, default: tuple[int, int], *, ascending: bool) -> tuple[int, int]:
    """Parse `30,90`: two whole numbers, the one scoring 3 first."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise PolicyError(f"{name}: write two whole numbers such as {default[0]},{default[1]}, not {raw!r}")
    first, second = int(parts[0]), int(parts[1])
    if (first > second) if ascending else (first < second):
        order = "the smaller first" if ascending else "the larger first"
        raise PolicyError(f"{name}: the number scoring 3 comes first ({order}), not {raw!r}")
    return first, second


def _thresholds(name: str, default: dict[str, int]) -> dict[str, int]:
    """Parse `HIGH=7,MEDIUM=5`; keys left out keep their default."""
    raw = os.environ.get(name)
    if not raw:
        return dict(default)
    values = dict(default)
    for part in raw.split(","):
        key, sep, number = part.partition("=")
        key = key.strip().upper()
        if not sep or key not in default or not number.strip().isdigit():
            raise PolicyError(f"{name}: cannot read {part!r}; write e.g. HIGH=7,MEDIUM=5")
        values[key] = int(number)
    if not 3 <= values["MEDIUM"] <= values["HIGH"] <= 9:
        raise PolicyError(f"{name}: scores run from 3 to 9 and HIGH must not be below MEDIUM")
    return values


def load_policy() -> TierPolicy:
    base = TierPolicy()
    return TierPolicy(
        recency_days=_pair("PORTRAIT_RFM_RECENCY_DAYS", base.recency_days, ascending=True),
        frequency=_pair("PORTRAIT_RFM_FREQUENCY", base.frequency, ascending=False),
        monetary=_pair("PORTRAIT_RFM_MONETARY", base.monetary, ascending=False),
        tier_thresholds=_thresholds("PORTRAIT_TIER_THRESHOLDS", base.tier_thresholds),
    )


POLICY = load_policy()


def reload_policy() -> TierPolicy:
    """Re-read the environment."""
    global POLICY
    POLICY = load_policy()
    return POLICY

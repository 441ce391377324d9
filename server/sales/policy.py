"""The dealership's sales policy: pool caps, return and reminder days, cadence, stage
probabilities and loss approval, in one place.

Defaults suit a typical 4S dealership. Each can be overridden by an environment variable
(see the README's configuration table). Maps are written `A=2,B=7,C=14,D=30`; a `*` key is
the value for customers without a grade. Services read `policy.POLICY` at call time, so
tests swap it with monkeypatch.
"""

import os
from dataclasses import dataclass, field

from server.enums import Grade, OpportunityStage

UNGRADED = "*"


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class Policy:
    # Most customers a consultant may hold (buyers excluded) when claiming from the pool.
    pool_holding_cap: int = 200
    # Most customers one person may claim from the pool per local day.
    pool_daily_claim_cap: int = 20
    # Days a former owner must wait before claiming a customer they gave back.
    pool_cooling_off_days: int = 15
    # Days without a follow-up before a customer goes back to the pool, by grade ("*": no grade).
    pool_return_days: dict[str, int] = field(
        default_factory=lambda: {"A": 7, "B": 15, "C": 30, "D": 45, UNGRADED: 30}
    )
    # Days a held customer may go without any opportunity opened; 0 turns the rule off.
    pool_no_opportunity_days: int = 60
    # A deal won within this many days keeps the customer with its owner.
    pool_recent_deal_days: int = 180
    # Days before an automatic return that the owner is reminded.
    pool_reminder_days: int = 2
    # Days until the next follow-up after a contact, by grade. No grade: the consultant decides.
    follow_up_cadence_days: dict[str, int] = field(default_factory=lambda: {"A": 2, "B": 7, "C": 14, "D": 30})
    stage_probability: dict[str, int] = field(
        default_factory=lambda: {
            "INITIAL_CONTACT": 10, "NEEDS_CONFIRMED": 20, "PRESENTATION": 30,
            "TEST_DRIVE": 50, "NEGOTIATION": 70, "CONTRACT": 90,
        }
    )
    # Whether a consultant's loss (战败) waits for a manager's approval.
    loss_needs_approval: bool = False

    def return_days(self, grade: str | None) -> int:
        return self.pool_return_days.get(grade or UNGRADED, self.pool_return_days[UNGRADED])

    def cadence_days(self, grade: str | None) -> int | None:
        return self.follow_up_cadence_days.get(grade) if grade else None

    def probability(self, stage: OpportunityStage) -> int:
        return self.stage_probability[stage.value]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PolicyError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise PolicyError(f"{name} must not be negative")
    return value


def _map(name: str, default: dict[str, int], keys: set[str]) -> dict[str, int]:
    """Parse `A=2,B=7`; keys left out keep their default."""
    raw = os.environ.get(name)
    if not raw:
        return default
    values = dict(default)
    for part in raw.split(","):
        key, sep, number = part.partition("=")
        key = key.strip().upper()
        if not sep or key not in keys or not number.strip().isdigit():
            raise PolicyError(f"{name}: cannot read {part!r}; write e.g. {next(iter(keys))}=7")
        values[key] = int(number)
    return values


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def load_policy() -> Policy:
    base = Policy()
    grades = {g.value for g in Grade}
    loaded = Policy(
        pool_holding_cap=_int("POOL_HOLDING_CAP", base.pool_holding_cap),
        pool_daily_claim_cap=_int("POOL_DAILY_CLAIM_CAP", base.pool_daily_claim_cap),
        pool_cooling_off_days=_int("POOL_COOLING_OFF_DAYS", base.pool_cooling_off_days),
        pool_return_days=_map("POOL_RETURN_DAYS", base.pool_return_days, grades | {UNGRADED}),
        pool_no_opportunity_days=_int("POOL_NO_OPPORTUNITY_DAYS", base.pool_no_opportunity_days),
        pool_recent_deal_days=_int("POOL_RECENT_DEAL_DAYS", base.pool_recent_deal_days),
        pool_reminder_days=_int("POOL_REMINDER_DAYS", base.pool_reminder_days),
        follow_up_cadence_days=_map("FOLLOW_UP_CADENCE_DAYS", base.follow_up_cadence_days, grades),
        stage_probability=_map("STAGE_PROBABILITY", base.stage_probability, {s.value for s in OpportunityStage}),
        loss_needs_approval=_bool("LOSS_NEEDS_APPROVAL", base.loss_needs_approval),
    )
    if any(not 0 <= p <= 100 for p in loaded.stage_probability.values()):
        raise PolicyError("STAGE_PROBABILITY: each probability is a percentage, 0 to 100")
    return loaded


POLICY = load_policy()


def reload_policy() -> Policy:
    """Re-read the environment."""
    global POLICY
    POLICY = load_policy()
    return POLICY

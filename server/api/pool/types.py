import strawberry

from server.sales.pool import Allowance


@strawberry.type(description="How many more customers the viewer may take from the pool.")
class PoolAllowance:
    holding: int = strawberry.field(description="Customers the viewer holds now (buyers not counted).")
    holding_cap: int = strawberry.field(description="The most one may hold.")
    claimed_today: int = strawberry.field(description="Customers claimed today (dealership time).")
    daily_claim_cap: int = strawberry.field(description="The most one may claim in a day.")
    remaining: int = strawberry.field(description="How many more may be claimed now.")

    @classmethod
    def from_allowance(cls, a: Allowance) -> "PoolAllowance":
        return cls(holding=a.holding, holding_cap=a.holding_cap, claimed_today=a.claimed_today,
                   daily_claim_cap=a.daily_claim_cap, remaining=a.remaining)

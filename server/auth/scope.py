"""The one ownership scope. Every path to a customer or to a record hanging off one
(contacts, interactions, opportunities, tasks …) is restricted here and nowhere else.

- consultant: customers they own, plus the public pool (no owner);
- manager: customers of their team, plus the pool;
- admin: everything;
- API token: everything, or one team's customers if the token is bound to a team;
  only with the `read` scope.
"""

from tortoise.expressions import Q

from server.auth.principal import Principal
from server.enums import Role, TokenScope

NOTHING = Q(id__isnull=True)  # matches no row: every table has a primary key


def customer_q(principal: Principal, via: str = "", *, for_write: bool = False) -> Q:
    """A filter selecting the customers `principal` may see (or change, with for_write).

    `via` is the relation path from the queried model to Customer, e.g. "customer__"
    for Interaction; empty when querying Customer itself.
    """
    live = Q(**{f"{via}merged_into_id__isnull": True})
    if principal.is_token:
        needed = TokenScope.WRITE if for_write else TokenScope.READ
        if not principal.allows(needed):
            return NOTHING
        if principal.team_id is not None:
            return live & Q(**{f"{via}team_id": principal.team_id})
        return live
    if principal.role is Role.ADMIN:
        return live
    pool = Q(**{f"{via}owner_id__isnull": True})
    if principal.role is Role.MANAGER:
        mine = Q(**{f"{via}team_id": principal.team_id}) if principal.team_id else NOTHING
        return live & (mine | pool)
    if principal.role is Role.CONSULTANT:
        mine = Q(**{f"{via}owner_id": principal.user_id})
        # Pool customers must be claimed before a consultant may change them.
        return live & (mine if for_write else mine | pool)
    return NOTHING


def scoped(model, principal: Principal, via: str = "", *, for_write: bool = False):
    """model.filter(...) restricted to what `principal` may see."""
    return model.filter(customer_q(principal, via, for_write=for_write))


def may_reveal(principal: Principal, customer) -> bool:
    """Personal fields are shown in full only to the owner's side, never while in the pool."""
    if principal.is_token:
        return principal.allows(TokenScope.REVEAL)
    if customer.owner_id is None:
        return principal.role is Role.ADMIN
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.MANAGER:
        return principal.team_id is not None and customer.team_id == principal.team_id
    return customer.owner_id == principal.user_id


def task_q(principal: Principal) -> Q:
    """Tasks are personal: one's own; a manager's team's; an admin's or a read token's all."""
    if principal.is_token:
        if not principal.allows(TokenScope.READ):
            return NOTHING
        return Q(owner__team_id=principal.team_id) if principal.team_id is not None else Q()
    if principal.role is Role.ADMIN:
        return Q()
    if principal.role is Role.MANAGER and principal.team_id is not None:
        return Q(owner__team_id=principal.team_id)
    if principal.user_id is not None:
        return Q(owner_id=principal.user_id)
    return NOTHING


def showroom_visit_q(principal: Principal, *, for_write: bool = False) -> Q:
    """Walk-ins (展厅客流): those of customers one may see, plus those one received or logged at
    the desk (a walk-in may be someone else's customer, or nobody's); a manager also those his
    team's consultants received; an admin or a read token every one (a team token its team's).
    With for_write (recording the departure), a token needs the write scope and the customer
    half narrows as customer_q's does (a consultant's pool customers drop out)."""
    if principal.is_token:
        if not principal.allows(TokenScope.WRITE if for_write else TokenScope.READ):
            return NOTHING
        if principal.team_id is None:
            return Q()
        return customer_q(principal, "customer__", for_write=for_write) | Q(consultant__team_id=principal.team_id)
    if principal.role is Role.ADMIN:
        return Q()
    # Anonymous walk-ins have no customer: only the second half can select them.
    seen = Q(customer_id__isnull=False) & customer_q(principal, "customer__", for_write=for_write)
    mine = Q(consultant_id=principal.user_id) | Q(recorded_by_id=principal.user_id)
    if principal.role is Role.MANAGER:
        team = Q(consultant__team_id=principal.team_id) if principal.team_id else NOTHING
        return seen | mine | team
    if principal.role is Role.CONSULTANT:
        return seen | mine
    return NOTHING


def campaign_totals_q(principal: Principal, via: str = "") -> Q:
    """The customers a campaign's numbers count (counts only, never the records themselves).

    Managers and admins judge a campaign as a whole, so they count every live customer;
    anyone else counts only the customers they may see.
    """
    if principal.manages:
        return Q(**{f"{via}merged_into_id__isnull": True})
    return customer_q(principal, via)


def colleague_q(principal: Principal) -> Q:
    """Staff one may pick as an owner or filter by: oneself; a manager's team; an admin's or a read token's all."""
    if principal.is_token:
        if not principal.allows(TokenScope.READ):
            return NOTHING
        return Q(team_id=principal.team_id) if principal.team_id is not None else Q()
    if principal.role is Role.ADMIN:
        return Q()
    if principal.role is Role.MANAGER and principal.team_id is not None:
        return Q(team_id=principal.team_id)
    if principal.user_id is not None:
        return Q(id=principal.user_id)
    return NOTHING

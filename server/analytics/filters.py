"""The conditions a manager narrows a report with, shared by win/loss and the funnel."""

from dataclasses import dataclass

from server.enums import Channel


@dataclass(frozen=True)
class Filters:
    """Conditions every counted deal meets; None means any."""

    team_id: int | None = None  # the customer's team (the team the scope follows)
    owner_id: int | None = None  # the consultant working the deal
    vehicle_model_id: int | None = None
    channel: Channel | None = None  # the customer's source channel


def narrow(query, filters: Filters):
    """`query` over Opportunity restricted to the filters."""
    if filters.team_id is not None:
        query = query.filter(customer__team_id=filters.team_id)
    if filters.owner_id is not None:
        query = query.filter(owner_id=filters.owner_id)
    if filters.vehicle_model_id is not None:
        query = query.filter(vehicle_model_id=filters.vehicle_model_id)
    if filters.channel is not None:
        query = query.filter(customer__channel=Channel(filters.channel).value)
    return query

"""What an analytics page was asked for, read from its address: period, grouping, status, row.

The addresses are shareable (a manager sends "last month by competitor" to a colleague), so
everything lives in the query string: ?period=last_month&by=competitor&status=lost.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from server.analytics import period as periods
from server.analytics.period import Period
from web.labels import N_

PRESETS = [
    ("this_month", N_("This month")),
    ("last_month", N_("Last month")),
    ("this_quarter", N_("This quarter")),
    ("last_12_months", N_("Last 12 months")),
]
DIMENSIONS = [  # URL slug, the schema's value, the tab's label
    ("reason", "REASON", N_("Reason")),
    ("competitor", "COMPETITOR", N_("Competitor")),
    ("model", "VEHICLE_MODEL", N_("Vehicle model")),
    ("consultant", "CONSULTANT", N_("Consultant")),
    ("team", "TEAM", N_("Team")),
    ("channel", "CHANNEL", N_("Lead channel")),
    ("month", "MONTH", N_("Month")),
]
STATUSES = [("all", None, N_("All")), ("won", "WON", N_("Won")), ("lost", "LOST", N_("Lost (defeated)"))]
DEFAULT_PRESET = "this_month"
DIMENSION_OF = {slug: value for slug, value, _ in DIMENSIONS}
STATUS_OF = {slug: value for slug, value, _ in STATUSES}


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ReportQuery:
    preset: str  # one of PRESETS, or "custom"
    period: Period | None  # None: a custom period that cannot be read (see error)
    first_day: str  # the custom fields as typed, shown back in the form
    last_day: str
    by: str = "reason"
    status: str = "all"
    error: str | None = None  # an N_ message about the custom dates

    @classmethod
    def from_params(cls, params, today: date | None = None) -> "ReportQuery":
        today = today or periods.local_today()
        by = params.get("by") if params.get("by") in DIMENSION_OF else "reason"
        status = params.get("status") if params.get("status") in STATUS_OF else "all"
        preset = params.get("period") or DEFAULT_PRESET
        if preset != "custom":
            if preset not in periods.PRESETS:
                preset = DEFAULT_PRESET
            chosen = periods.PRESETS[preset](today)
            return cls(preset, chosen, chosen.start.isoformat(), (chosen.end - timedelta(days=1)).isoformat(),
                       by, status)
        first, last = params.get("from", ""), params.get("to", "")
        start, end = _day(first), _day(last)
        error = None
        if start is None or end is None:
            error = N_("Enter the first and the last day of the period as dates.")
        elif end < start:
            error = N_("The last day must not be before the first day.")
        elif (end - start).days >= periods.MAX_DAYS:
            error = N_("A period may span at most three years.")
        chosen = None if error else Period(start, end + timedelta(days=1))
        return cls("custom", chosen, first, last, by, status, error)

    @property
    def dimension(self) -> str:
        return DIMENSION_OF[self.by]

    @property
    def status_value(self) -> str | None:
        return STATUS_OF[self.status]

    def params(self, **changes) -> dict:
        """The query string of this report, with `changes` (e.g. by="competitor")."""
        query = replace(self, **changes) if changes else self
        out = {"period": query.preset}
        if query.preset == "custom":
            out.update({"from": query.first_day, "to": query.last_day})
        out.update(by=query.by, status=query.status)
        return out

    def url(self, path: str, **changes) -> str:
        return f"{path}?{urlencode(self.params(**changes))}"

    def report_filter(self) -> dict:
        """The WinLossFilter / AnalyticsFilter variables."""
        flt = {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        if self.status_value:
            flt["status"] = self.status_value
        return flt

    def deals_filter(self, row: dict | None = None) -> dict:
        """The OpportunityFilter for the deals behind `row` of this report (all its deals if None)."""
        flt = {"closedFrom": self.period.start.isoformat(), "closedTo": self.period.end.isoformat(),
               "status": [self.status_value] if self.status_value else ["WON", "LOST"]}
        if row is None:
            return flt
        key = row.get("key")
        dimension = self.dimension
        if dimension == "COMPETITOR":
            flt.update(competitorBrand=row.get("brand") or "", competitorModel=row.get("model") or "")
        elif dimension == "MONTH":
            first = date.fromisoformat(f"{key}-01")
            following = (first + timedelta(days=32)).replace(day=1)
            flt["closedFrom"] = max(first, self.period.start).isoformat()
            flt["closedTo"] = min(following, self.period.end).isoformat()
        else:
            flt[{"REASON": "closeReasonId", "VEHICLE_MODEL": "vehicleModelId", "CONSULTANT": "ownerId",
                 "TEAM": "teamId", "CHANNEL": "channel"}[dimension]] = key
        return flt


def drillable(dimension: str, row: dict) -> bool:
    """Whether the opportunities filter can select this row's deals (a missing reason or model cannot)."""
    return row["key"] is not None or dimension == "COMPETITOR"


def row_params(dimension: str, row: dict) -> dict:
    """What identifies a report row in a drill-down address."""
    if dimension == "COMPETITOR":
        return {"brand": row["competitorBrand"] or "", "model": row["competitorModel"] or ""}
    return {"key": row["key"]}


def row_from_params(dimension: str, params) -> dict | None:
    """The row a drill-down address names, or None if it names none."""
    if dimension == "COMPETITOR":
        if "brand" not in params and "model" not in params:
            return None
        return {"key": None, "brand": params.get("brand", ""), "model": params.get("model", "")}
    key = params.get("key")
    if not key:
        return None
    if dimension == "MONTH" and _day(f"{key}-01") is None:
        return None
    return {"key": key}

"""The win/loss analysis as an .xlsx: the table as shown, and the deals behind it.

Built with openpyxl's write-only workbook (rows go out as they are added, not held as cells);
the deals sheet stops at EXPORT_LIMIT and says so in its last row.
"""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

EXPORT_LIMIT = 2000
PAGE = 100
BOLD = Font(bold=True)


def _money(value) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def _header(sheet, titles: list[str]) -> None:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = BOLD
        cells.append(cell)
    sheet.append(cells)


def workbook(gettext, *, title: str, dimension_title: str, rows: list[dict], totals: dict, deals: list[dict],
             more_deals: int, row_label, deal_label) -> bytes:
    """`row_label(row)` and `deal_label(kind, value)` give the words the page shows."""
    _ = gettext
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Report table"))
    summary.append([title])
    _header(summary, [dimension_title, _("Won"), _("Lost (defeated)"), _("Closed deals"), _("Win rate"),
                      _("Share of losses"), _("Won amount (CNY)"), _("Lost amount (CNY)")])
    for row in rows:
        summary.append([row_label(row), row["won"], row["lost"], row["total"], row["winRate"], row["lostShare"],
                        _money(row["wonAmount"]), _money(row["lostAmount"])])
    total_cells = [_("Total"), totals["won"], totals["lost"], totals["total"], totals["winRate"],
                   1 if totals["lost"] else None, _money(totals["wonAmount"]), _money(totals["lostAmount"])]
    summary.append([WriteOnlyCell(summary, value=v) for v in total_cells])

    sheet = book.create_sheet(_("Opportunities"))
    _header(sheet, [_("Opportunity"), _("Customer"), _("Status"), _("Closed on"), _("Reason"), _("Competitor"),
                    _("Vehicle model"), _("Consultant"), _("Amount (CNY)"), _("Note")])
    for d in deals:
        competitor = " ".join(p for p in (d["competitorBrand"], d["competitorModel"]) if p)
        sheet.append([d["title"], d["customer"]["name"], deal_label("opportunityStatus", d["status"]),
                      deal_label("day", d["closedAt"]), (d["closeReason"] or {}).get("label", ""), competitor,
                      (d["vehicleModel"] or {}).get("displayName", ""), (d["owner"] or {}).get("displayName", ""),
                      _money(d["amount"]), d["closeNote"]])
    if more_deals:
        sheet.append([_("%(num)s more opportunities are not in this file: choose a shorter period.")
                      % {"num": more_deals}])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


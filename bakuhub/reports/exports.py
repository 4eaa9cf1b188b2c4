"""Lists as CSV and XLSX files, safe to open in a spreadsheet.

Every text cell goes through `spreadsheet_safe`, so a title such as `=HYPERLINK(...)` is shown, never run; dates
stay dates and amounts stay numbers. Builders turn a (permission-filtered) queryset into a header and rows; the
caller chooses the queryset, so an export shows exactly what the viewer may see in the list it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

from bakuhub.commitments.models import Commitment
from bakuhub.commitments.selectors import commitment_list
from bakuhub.core.exports import spreadsheet_safe
from bakuhub.working_groups.models import ActionItem, Decision

Cell = str | int | float | Decimal | dt.date | None
Header = list[str]
Rows = list[list[Cell]]

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return _naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return spreadsheet_safe(value)


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), CRLF line ends, text made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    clean = " ".join(title.translate(_SHEET_TITLE_FORBIDDEN).split()).strip("'")
    return (clean or "Sheet")[:31]


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=_naive(value))
        cell.number_format = f"{DATE_FORMAT} hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    # Characters XML cannot hold would make openpyxl refuse the whole file.
    return ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(value))


def rows_to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet_title: str) -> bytes:
    """One sheet (write-only, so memory stays flat), bold frozen header, real dates and numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(title)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def action_rows(qs: QuerySet[ActionItem]) -> tuple[Header, Rows]:
    """Action items; pass `working_groups.selectors.action_list(user=...)` (insiders only)."""
    header = [
        "ID",
        "Working group",
        "Country",
        "Title",
        "Owner",
        "Due on",
        "Status",
        "Overdue",
        "Decision",
        "Completed on",
    ]
    today = timezone.localdate()
    rows: Rows = [
        [
            a.pk,
            a.working_group.name,
            a.working_group.country.iso3,
            a.title,
            str(a.owner),
            a.due_on,
            a.status,
            "yes" if a.status in ActionItem.OPEN_STATUSES and a.due_on < today else "no",
            a.decision.reference if a.decision else "",
            a.completed_on,
        ]
        for a in qs.select_related("working_group__country", "owner__user", "owner__organisation", "decision")
    ]
    return header, rows


def decision_rows(qs: QuerySet[Decision], *, user: Any = None) -> tuple[Header, Rows]:
    """Decisions (public); the commitments they concern are listed only if `user` may see them."""
    header = ["Reference", "Working group", "Country", "Decided on", "Status", "Text", "Meeting", "Commitments"]
    visible = set(commitment_list(user=user).values_list("id", flat=True))
    rows: Rows = []
    for d in qs.select_related("working_group__country", "meeting").prefetch_related("commitments"):
        commitments = "; ".join(c.title for c in d.commitments.all() if c.pk in visible)
        rows.append(
            [
                d.reference,
                d.working_group.name,
                d.working_group.country.iso3,
                d.decided_on,
                d.status,
                d.text,
                d.meeting.title if d.meeting else "",
                commitments,
            ]
        )
    return header, rows


def commitment_rows(qs: QuerySet[Commitment]) -> tuple[Header, Rows]:
    """Commitments; pass `commitments.selectors.commitment_list(user=...)`."""
    header = [
        "ID",
        "Title",
        "Kind",
        "Committer",
        "Committer country",
        "Beneficiary country",
        "Amount",
        "Currency",
        "Status",
        "Announced on",
        "Date precision",
        "Formalised by",
        "Agreement",
        "Source",
        "Source URL",
    ]
    rows: Rows = []
    related = ("committer_country", "committer_organisation", "beneficiary_country", "memorandum")
    for c in qs.select_related(*related):
        visible = getattr(c, "visible_memorandum_id", None)  # see commitments.selectors.with_visible_memorandum
        memorandum = c.memorandum.title if c.memorandum is not None and visible == c.memorandum_id else ""
        rows.append(
            [
                c.pk,
                c.title,
                c.kind,
                str(c.committer_organisation or c.committer_country or ""),
                c.committer_country.iso3 if c.committer_country else "",
                c.beneficiary_country.iso3 if c.beneficiary_country else "",
                c.amount,
                c.currency,
                c.status,
                c.announced_on,
                c.date_precision,
                memorandum,
                c.agreement_reference,
                c.source_title,
                c.source_url,
            ]
        )
    return header, rows

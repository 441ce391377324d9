"""Reading customer lists from .xlsx and .csv files into rows keyed by their headers.

Dealers export from every tool there is: Excel with numbers stored as numbers, CSV in UTF-8
with a BOM or in GBK. Each row comes out as {header: text}, numbered as a person sees it in
the spreadsheet (the header is row 1), so a rejected row can be found again.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from server.ingestion.fields import canonical_key

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# At least one of these must be a column, or no row could ever become a customer.
IDENTIFYING = {"name", "phone", "id_number", "email", "wechat_openid", "wechat_unionid"}
EXTENSIONS = (".xlsx", ".csv")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message says why, in plain words."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict]]  # (row number in the file, {header: value})

    @property
    def recognized(self) -> dict[str, str]:
        """header → customer field, for the headers we understand."""
        return {h: f for h in self.headers if (f := canonical_key(h))}


def read_table(data: bytes, filename: str) -> Table:
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if suffix == ".xlsx":
        raw_rows = _xlsx_rows(data)
    elif suffix == ".csv":
        raw_rows = _csv_rows(data)
    else:
        raise ImportFileError(f"{filename}: only .xlsx and .csv files can be imported")
    table = _table(raw_rows)
    if not table.rows:
        raise ImportFileError("the file has a header row but no data rows")
    if not IDENTIFYING & set(table.recognized.values()):
        found = "、".join(table.headers[:12]) or "(none)"
        raise ImportFileError(
            f"no column identifies a customer: found {found}; expected at least one of 姓名, 手机号, 身份证号, 邮箱")
    return table


def _xlsx_rows(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFileError(f"this is not an Excel .xlsx file ({type(exc).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        # Phone numbers typed into Excel arrive as 13800138000.0.
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes nearly anything; this is for truly binary files
        raise ImportFileError("the CSV file is neither UTF-8 nor GBK text")
    if "\x00" in text[:4096]:
        raise ImportFileError("this is not a CSV text file")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        yield [cell.strip() for cell in row]


def _table(raw_rows) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, dict]] = []
    for number, cells in enumerate(raw_rows, start=1):
        if not any(cells):
            continue
        if headers is None:
            headers = [c or f"列{i + 1}" for i, c in enumerate(cells)]
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"more than {MAX_ROWS} rows: split the file")
        rows.append((number, {h: c for h, c in zip(headers, cells) if c != ""}))
    return Table(headers or [], rows)

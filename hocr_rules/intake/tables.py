"""Reading one table of an export, row by row: CSV (any delimiter, UTF-8 with or without BOM, or Windows-1252
as Excel saves it), XLSX, and either of them gzip-compressed.

Parsing is left to maintained readers: the standard library's `csv` (quoting, embedded newlines, `Sniffer`
for the delimiter) and `gzip`, and python-calamine for workbooks (a Rust reader, several times faster than
openpyxl, with wheels for every platform we support). What is ours is only the narrow part around them: a
header row, rows numbered as a spreadsheet shows them (the header is row 1), cells as text, and an error that
names the file and row when a file cannot be read further.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Iterator

from hocr_rules.errors import InputError

SAMPLE = 1 << 16
_UTF8_BOM = codecs.BOM_UTF8
_DELIMITERS = ",;\t|"
csv.field_size_limit(1 << 24)  # a log entry's text may be long; the default 128 KiB cuts real exports


@dataclass
class Sheet:
    """A table as read: its header, and its rows as (row number, cells) with cells as text or None (empty)."""

    source: str
    header: list[str]
    rows: Iterator[tuple[int, list]]


def inner_name(path: Path) -> str:
    """The name that says the format: `log.csv.gz` is read as `log.csv`."""
    name = path.name
    return name[:-3] if name.lower().endswith(".gz") else name


def is_workbook(path: Path) -> bool:
    return inner_name(path).lower().endswith((".xlsx", ".xlsm"))


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook
    with _binary(path) as handle:
        return list(CalamineWorkbook.from_filelike(handle).sheet_names)


def open_sheet(path: Path, sheet: str | None = None, delimiter: str | None = None,
               encoding: str = "auto") -> Sheet:
    """The table in `path` (a workbook's `sheet`, or its first). Raises InputError if it has no header."""
    source = str(path)
    if is_workbook(path):
        return _workbook(path, source, sheet)
    return _delimited(path, source, delimiter, encoding)


def _binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def _delimited(path: Path, source: str, delimiter: str | None, encoding: str) -> Sheet:
    if encoding == "auto":
        encoding = "utf-8-sig" if _is_utf8(path) else "cp1252"
    elif encoding == "utf-8":
        encoding = "utf-8-sig"
    handle = io.TextIOWrapper(_binary(path), encoding=encoding, newline="")
    try:
        sample = handle.read(SAMPLE)
    except (UnicodeDecodeError, OSError, EOFError) as error:
        handle.close()
        raise InputError(source, None, None, [("file", _unreadable(error, encoding))]) from None
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    if delimiter:
        dialect = _with_delimiter(delimiter)
    elif sample:
        try:
            dialect = csv.Sniffer().sniff("\n".join(sample.splitlines()[:20]), delimiters=_DELIMITERS)
        except csv.Error:
            # a damaged row can leave the lines inconsistent: the header alone says how the columns are split
            header = sample.splitlines()[0]
            dialect = _with_delimiter(max(_DELIMITERS, key=header.count)) if any(map(header.count, _DELIMITERS)) \
                else csv.excel
    reader = csv.reader(_chain(sample, handle), dialect)
    try:
        header = next(reader, None)
    except csv.Error as error:
        handle.close()
        raise InputError(source, 1, None, [("file", f"not a CSV header: {error}")]) from None
    if not header:
        handle.close()
        raise InputError(source, None, None, [("file", "the file is empty: no header row")])
    return Sheet(source, [cell.strip() for cell in header], _csv_rows(reader, handle, source, encoding))


def _with_delimiter(delimiter: str) -> type[csv.Dialect]:
    class Given(csv.excel):
        pass
    Given.delimiter = delimiter
    return Given


def _chain(sample: str, handle: IO[str]) -> Iterator[str]:
    """The sample already read, then the rest of the file, as lines for `csv.reader`."""
    rest = handle.readline()
    yield from io.StringIO(sample + rest)
    yield from handle


def _csv_rows(reader, handle: IO[str], source: str, encoding: str) -> Iterator[tuple[int, list]]:
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if cells:
                yield number, [cell if cell != "" else None for cell in cells]
    except csv.Error as error:
        raise InputError(source, number + 1, None, [("file", f"not CSV ({error}); the rest of this file could not "
                                                             "be read")]) from None
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise InputError(source, number + 1, None,
                         [("file", _unreadable(error, encoding) + "; the rest of this file could not be read")]) from None
    finally:
        handle.close()


def _unreadable(error: Exception, encoding: str) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"not {'UTF-8' if encoding.startswith('utf') else 'Windows-1252'} text ({error.reason})"
    return f"cannot be read ({error})"


def _is_utf8(path: Path) -> bool:
    """UTF-8 throughout? Checked over the whole file before reading it, since a Windows-1252 byte may come
    anywhere; a file that is not is read as Windows-1252, which is what Excel writes as 'CSV'. A file that opens
    with the UTF-8 byte order mark says what it is: a bad byte later in it is damage to report with its row, not
    a reason to read every cell (the header first) as Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _binary(path) as handle:
            if handle.read(len(_UTF8_BOM)) == _UTF8_BOM:
                return True
            handle.seek(0)
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except (OSError, EOFError):
        return True  # the reader reports the damage with its row
    return True


def _workbook(path: Path, source: str, sheet: str | None) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook
    try:
        with _binary(path) as handle:
            book = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
        if sheet is not None and sheet not in book.sheet_names:
            raise InputError(source, None, None, [("sheet", f"no sheet '{sheet}' (sheets: "
                                                            f"{', '.join(book.sheet_names)})")])
        rows = book.get_sheet_by_name(sheet) if sheet is not None else book.get_sheet_by_index(0)
        cells = iter(rows.iter_rows())
    except (CalamineError, OSError, EOFError, ValueError) as error:
        raise InputError(source, None, None, [("file", f"not a readable workbook ({error})")]) from None
    header = next(cells, None)
    if not header or all(value == "" for value in header):
        raise InputError(source, None, None, [("file", "the sheet is empty: no header row")])
    return Sheet(source, [str(value).strip() for value in header], _sheet_rows(cells))


def _sheet_rows(cells: Iterator[list]) -> Iterator[tuple[int, list]]:
    for number, values in enumerate(cells, start=2):
        if any(value != "" for value in values):
            yield number, [_text(value) for value in values]


def _text(value) -> str | datetime | None:
    """A workbook cell as the CSV reader would give it: text, or a datetime (Excel times carry no zone: the
    mapping's zone is applied to them later, like any time written without an offset)."""
    if value == "" or value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps every number as a float: an id 12345 is 12345.0
    if isinstance(value, datetime):
        return value
    if isinstance(value, (date, time)):
        return value.isoformat()  # a date alone, or a time alone, is not a timestamp: the reader says so
    return str(value)

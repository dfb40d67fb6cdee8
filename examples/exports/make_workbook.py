"""Write xlsx/exampleshire-export.xlsx from the CSV tables in csv/: the same export as one workbook, a sheet a
table, with times as Excel date cells and numbers as numbers, the way a force's analyst would save it.

    python examples/exports/make_workbook.py [OUT.xlsx]

Needs openpyxl (a test dependency: the reader itself uses python-calamine). The workbook is committed so the
example runs without openpyxl; the tests write a fresh one and check both read the same as the CSV set.
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: sheet name -> (CSV file, its encoding and delimiter as saved, the columns holding times)
SHEETS = {
    "Incidents": ("incidents.csv", "utf-8-sig", ",", {"Created"}),
    "Log": ("log-entries.csv", "cp1252", ";", {"Entry Time"}),
    "People": ("people.csv", "utf-8", ",", set()),
    "Crimes": ("crimes.csv", "utf-8", ",", {"Date Recorded", "Outcome Date", "Victim Informed Date"}),
    "Disclosures": ("disclosures.csv", "utf-8", ",", {"Disclosed"}),
    "Cancellations": ("cancellations.csv", "utf-8", "\t", {"Decided", "Victim Informed"}),
    "Reclassifications": ("reclassifications.csv", "utf-8", ",", {"Reclassified"}),
    "N100s": ("n100s.csv", "utf-8", ",", {"Created", "Cancelled", "Reclassified"}),
}
NUMBERS = {"Seq", "Age"}


def write(target: Path) -> None:
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for name, (file, encoding, delimiter, times) in SHEETS.items():
        sheet = book.create_sheet(name)
        with (HERE / "csv" / file).open(encoding=encoding, newline="") as handle:
            rows = csv.reader(handle, delimiter=delimiter)
            header = next(rows)
            sheet.append(header)
            for row in rows:
                sheet.append([_cell(column, value, times) for column, value in zip(header, row)])
    book.properties.created = book.properties.modified = datetime(2025, 7, 1)  # the same bytes every time
    book.save(target)


def _cell(column: str, value: str, times: set[str]):
    if value == "":
        return None
    if column in times:
        return datetime.strptime(value, "%d/%m/%Y %H:%M:%S")
    if column in NUMBERS:
        return int(value)
    return value


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "xlsx" / "exampleshire-export.xlsx")

"""Reading a tabular export: the incidents table and its related tables (log entries, people, disclosures,
crimes, N100s; and each crime's cancellation, outcome and reclassifications), joined on their keys into
incidents, through a force mapping.

Related tables come in any order and run to millions of rows (200,000 incidents with 20 log entries each), so
they are staged in a temporary SQLite file (standard library; on disk, in pages of a bounded cache) indexed by
their key, and the incidents table is then streamed: memory holds one incident, not the export. Every row is
accounted for: a row that joins no incident (a crime, an N100, a cancellation with no incident in the export)
is reported, never dropped, and each table's count reconciles as rows read = used + rejected.
"""

from __future__ import annotations

import fnmatch
import marshal
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from operator import itemgetter
from typing import Annotated, Callable, Iterator, get_args, get_origin

from pydantic import ValidationError

from hocr_rules.errors import HocrError, InputError
from hocr_rules.intake.dates import DateFormats
from hocr_rules.intake.mapping import CRIME_TABLES, DATED_VALUES, TABLES, ForceMapping, Table, value_key
from hocr_rules.intake.records import Read, check_codes, problems_of
from hocr_rules.intake.tables import Sheet, inner_name, is_workbook, open_sheet, sheet_names
from hocr_rules.intake.translate import CODE_FIELDS, Translator
from hocr_rules.model.incident import Incident
from hocr_rules.model.timestamps import NAIVE_TIMEZONE
from hocr_rules.offences import OffenceTable

#: Each related table, the incident field its records go into (the `CRIME_TABLES` go into their crime record).
_INTO = {"log_entries": "log", "people": "people", "disclosures": "disclosures", "crimes": "crime_records",
         "n100s": "n100s"}
_TABLE_OF = {into: table for table, into in _INTO.items()}
_CRIME_TABLE_OF = {into: table for table, into in CRIME_TABLES.items()}


@dataclass
class TableCount:
    """One table's reconciliation: rows read = used + rejected (rejected includes rows joining nothing)."""

    read: int = 0
    used: int = 0
    rejected: int = 0
    unmatched: int = 0

    def line(self, name: str) -> str:
        extra = f", {self.unmatched:,} of them joining no record" if self.unmatched else ""
        return f"{name}: {self.read:,} rows read = {self.used:,} used + {self.rejected:,} rejected{extra}"


@dataclass
class _Columns:
    """How one table's cells become model fields: (field, cell index, converter) for each mapped column; a
    converter returns None for a cell it cannot read."""

    table: str
    names: dict[str, str]                          # field -> header, for naming the column in errors
    plan: list[tuple[str, int, Callable]] = field(default_factory=list)
    key: int = 0
    dated: tuple[str, str] | None = None           # (code field, time field): read through dated lists


class ExportReader:
    def __init__(self, mapping: ForceMapping, offences: OffenceTable):
        if mapping.tables is None:
            raise HocrError(f"the mapping for {mapping.force} describes no tables: give it 'tables' to read "
                            "CSV or XLSX exports")
        self.mapping, self.offences = mapping, offences
        self.translate = Translator(mapping)
        self.dates = DateFormats(mapping.date_formats, mapping.zone)
        self.context = {NAIVE_TIMEZONE: mapping.zone}
        self.counts: dict[str, TableCount] = {}
        self.unmapped_columns: dict[str, list[str]] = {}   # "file" or "file[sheet]" -> headers no field reads

    # ------------------------------------------------------------ files into tables
    def read(self, paths: list[Path]) -> Iterator[Read]:
        sheets: dict[str, list[Sheet]] = {}
        given: set[str] = set()
        for path in paths:
            if not path.is_file():
                yield InputError(str(path), None, None, [("file", "no such file")])
                continue
            matched = self._tables_of(path)
            if not matched:
                patterns = ", ".join(f"{name} {' or '.join(t.file)}" for name, t in self._tables())
                yield InputError(str(path), None, None, [("file", f"matches no table of the mapping ({patterns})")])
                continue
            for name, table in matched:
                given.add(name)
                try:
                    sheets.setdefault(name, []).append(self._open(path, table))
                except InputError as error:  # a file that cannot be opened is reported; the others are read
                    yield error
        if "incidents" not in given:
            raise HocrError("no incidents table among the files given (the mapping reads it from files named "
                            f"{' or '.join(self.mapping.tables.incidents.file)})")
        with _Staging() as staging:
            for name, found in sheets.items():
                if name != "incidents":
                    yield from self._stage(staging, name, found)
            yield from self._incidents(staging, sheets.get("incidents", []))
            yield from self._unmatched(staging)

    def _tables(self) -> list[tuple[str, Table]]:
        return [(name, getattr(self.mapping.tables, name)) for name in TABLES
                if getattr(self.mapping.tables, name) is not None]

    def _tables_of(self, path: Path) -> list[tuple[str, Table]]:
        """The tables this file holds. A workbook holds one a sheet; a CSV file holds several only when they
        name it with the same pattern (a crimes table with its outcome columns, read as `crimes` and as
        `outcomes`): matched by different patterns, the overlap is taken for a mistake."""
        name = inner_name(path).lower()
        patterns = {n: {pattern for pattern in t.file if fnmatch.fnmatch(name, pattern.lower())
                        or fnmatch.fnmatch(path.name.lower(), pattern.lower())} for n, t in self._tables()}
        matched = [(n, t) for n, t in self._tables() if patterns[n]]
        if len(matched) > 1 and not is_workbook(path) and not set.intersection(*(patterns[n] for n, _ in matched)):
            raise HocrError(f"{path}: matches the tables {', '.join(n for n, _ in matched)} of the mapping; "
                            "give each table a file pattern of its own (or the tables one file holds the same "
                            "pattern)")
        return matched

    def _open(self, path: Path, table: Table) -> Sheet:
        if is_workbook(path) and table.sheet is None and len(sheet_names(path)) > 1:
            raise HocrError(f"{path}: a workbook with several sheets; say which sheet holds each table ('sheet')")
        sheet = open_sheet(path, table.sheet, self.mapping.delimiter, self.mapping.encoding)
        if is_workbook(path) and table.sheet:
            sheet.source = f"{path}[{table.sheet}]"
        return sheet

    def _columns(self, name: str, sheet: Sheet) -> _Columns:
        """Where each mapped column is in this file's header; a mapped column it lacks stops the run, since
        every row of the table would be read without it."""
        table: Table = getattr(self.mapping.tables, name)
        model, key = TABLES[name]
        where = {header.casefold(): index for index, header in enumerate(sheet.header)}
        columns = _Columns(name, dict(table.columns), dated=DATED_VALUES.get(name))
        for model_field, header in table.columns.items():
            index = where.get(header.strip().casefold())
            if index is None:
                raise InputError(sheet.source, 1, None, [(header, f"no such column for {name}.{model_field} "
                                                                  f"(the header has: {', '.join(sheet.header)})")])
            if model_field == key:
                columns.key = index
            else:
                columns.plan.append((model_field, index, self._converter(columns, model_field,
                                                                         _kind(model, model_field))))
        used = {header.strip().casefold() for header in table.columns.values()}
        # a file holding several tables: a column is unmapped if none of them reads it
        self.unmapped_columns[sheet.source] = [h for h in self.unmapped_columns.get(sheet.source, sheet.header)
                                               if h and h.casefold() not in used]
        return columns

    # ------------------------------------------------------------ related tables
    def _stage(self, staging: "_Staging", name: str, found: list[Sheet]) -> Iterator[InputError]:
        count = self.counts.setdefault(name, TableCount())
        staging.create(name)
        for sheet in found:
            columns = self._columns(name, sheet)
            # staged rows keep only the mapped cells, in plan order
            source = staging.source(sheet.source, _Columns(name, columns.names, [
                (model_field, position, kind) for position, (model_field, _, kind) in enumerate(columns.plan)],
                dated=columns.dated))
            rows = []
            width = max([columns.key] + [index for _, index, _ in columns.plan]) + 1
            take = itemgetter(*[index for _, index, _ in columns.plan]) if columns.plan else (lambda cells: ())
            workbook = is_workbook(Path(sheet.source.split("[")[0]))
            # a row of a crime's table with nothing but its key is no record, and loses nothing: a crimes row
            # with its outcome columns empty is an open crime
            keyed_only = name in CRIME_TABLES
            try:
                for number, cells in sheet.rows:
                    count.read += 1
                    if len(cells) < width:
                        cells = cells + [None] * (width - len(cells))
                    key = cells[columns.key]
                    if key is None:
                        count.rejected += 1
                        yield InputError(sheet.source, number, None, [(
                            table_key_header(self.mapping, name), "empty: the row joins no record")])
                        continue
                    kept = take(cells)
                    kept = kept if isinstance(kept, tuple) else (kept,)
                    if keyed_only and not any(cell is not None for cell in kept):
                        count.used += 1
                        continue
                    if workbook:
                        kept = tuple(map(_marshalable, kept))
                    rows.append((key.strip() if isinstance(key, str) else str(key), source, number,
                                 marshal.dumps(kept)))
                    if len(rows) >= 10_000:
                        staging.insert(name, rows)
                        rows = []
            except InputError as error:
                yield error
            staging.insert(name, rows)
        staging.index(name)

    # ------------------------------------------------------------ incidents
    def _incidents(self, staging: "_Staging", found: list[Sheet]) -> Iterator[Read]:
        count = self.counts.setdefault("incidents", TableCount())
        for sheet in found:
            columns = self._columns("incidents", sheet)
            try:
                for number, cells in sheet.rows:
                    count.read += 1
                    yield self._incident(staging, columns, sheet.source, number, cells)
            except InputError as error:
                yield error

    def _incident(self, staging: "_Staging", columns: _Columns, source: str, number: int, cells: list) -> Read:
        key = _cell(cells, columns.key)
        count = self.counts["incidents"]
        if key is None:
            count.rejected += 1
            return InputError(source, number, None, [(columns.names["id"], "empty: an incident needs its id")])
        key = key.strip() if isinstance(key, str) else str(key)
        first = staging.see(key, source, number)
        if first is not None:
            count.rejected += 1
            return InputError(source, number, key, [(columns.names["id"], f"incident '{key}' appears twice "
                                                                          f"(first at {first})")])
        problems: list[tuple[str, str]] = []
        data = self._record(columns, cells, problems)
        data["id"] = key
        received = data.get("received_at")
        day = received.astimezone(self.mapping.zone).date() if isinstance(received, datetime) else None
        origins: dict[str, list] = {}
        used: dict[str, int] = {}
        for table, into in _INTO.items():
            if staging.has(table):
                data[into] = self._related(staging, table, key, origins.setdefault(into, []), problems, day)
                used[table] = len(data[into])
        for table, into in CRIME_TABLES.items():
            if "crime_records" in data and staging.has(table):
                used[table] = self._of_crimes(staging, table, data["crime_records"], origins.setdefault(into, {}),
                                              problems, day)
        codes = {f: data[f] for f in CODE_FIELDS if data.get(f)}
        if "qualifiers" in data:
            data["qualifiers"] = self.translate.qualifiers(data["qualifiers"])
        if codes:
            data["code_readings"] = self.translate.readings(codes, received if isinstance(received, datetime)
                                                            else None)
        try:
            incident = Incident.__pydantic_validator__.validate_python(data, context=self.context)
        except ValidationError as error:  # every problem of the incident at once; a cell already named, once
            named = {field for field, _ in problems}
            problems += [located for located in (self._locate(field, message, columns, origins, staging)
                                                 for field, message in problems_of(error)) if located[0] not in named]
        else:
            read = check_codes(self.offences, incident, source, number)
            if isinstance(read, InputError):
                problems += [self._locate(f, m, columns, origins, staging) for f, m in read.problems]
            elif not problems:
                count.used += 1
                for table, n in used.items():
                    self.counts[table].used += n
                return read
        count.rejected += 1
        for table, n in used.items():
            self.counts[table].rejected += n
        return InputError(source, number, key, problems)

    def _converter(self, columns: _Columns, model_field: str, kind: str) -> Callable:
        """How a cell becomes the field's value: lists split, values mapped, times read. A code read through
        dated lists is mapped in `_record`, which has the row's time."""
        read_time, separator = self.dates.read, self.mapping.list_separator
        if kind == "time":
            return read_time
        if kind == "times":  # None, reported as an unreadable time, if any of them is not one
            return lambda cell: _all_or_none([read_time(item) for item in _plain(cell).split(separator)
                                              if item.strip()])
        key, value = value_key(columns.table, model_field), self.translate.value
        if kind == "list":
            if model_field == "qualifiers":  # translated with the incident's code readings
                return lambda cell: [item.strip() for item in _plain(cell).split(separator) if item.strip()]
            return lambda cell: [value(key, item.strip()) for item in _plain(cell).split(separator)
                                 if item.strip()]
        if self.translate.maps(key) and (columns.dated is None or columns.dated[0] != model_field):
            return lambda cell: value(key, _plain(cell))
        return _plain

    def _record(self, columns: _Columns, cells: list | tuple, problems: list,
                origin: tuple[str, int] | None = None, day: date | None = None) -> dict:
        """The model fields of one row; empty cells are left out, so an unknown stays unknown. A row of a
        related table names its `origin` (file, row) in a problem; the text is made only for a problem. A
        code read through dated lists is read on the row's own time's local date, else on `day` (the
        incident's)."""
        data: dict = {}
        width = len(cells)
        for model_field, index, convert in columns.plan:
            cell = cells[index] if index < width else None
            if cell is None:
                continue
            value = convert(cell)
            if value is None:
                where = f"{origin[0]} row {origin[1]}: " if origin else ""
                problems.append((where + columns.names[model_field], f"'{cell}' is not a date and time in the "
                                 f"mapping's formats ({', '.join(self.mapping.date_formats)})"))
                continue
            data[model_field] = value
        if columns.dated is not None and columns.dated[0] in data:
            code, time = columns.dated
            moment = data.get(time)
            on = moment.astimezone(self.mapping.zone).date() if isinstance(moment, datetime) else day
            data[code] = self.translate.value(code, data[code], on)
        return data

    def _related(self, staging: "_Staging", table: str, key: str, origins: list, problems: list,
                 day: date | None) -> list[dict]:
        columns, sources, record, loads = staging.columns[table], staging.sources, self._record, marshal.loads
        records = []
        for source, number, cells in staging.rows(table, key):
            origins.append((source, number))
            records.append(record(columns[source], loads(cells), problems, (sources[source], number), day))
        return records

    def _of_crimes(self, staging: "_Staging", table: str, crimes: list[dict], origins: dict, problems: list,
                   day: date | None) -> int:
        """A table joined on the crime reference into each crime record: its one cancellation or outcome, or
        its reclassifications (a crime with none in the table given was never reclassified). `origins` gets,
        per crime, where each of its records came from."""
        into, used, joined = CRIME_TABLES[table], 0, set()
        for index, crime in enumerate(crimes):
            reference = crime.get("reference")
            if reference is None or reference in joined:  # a reference twice is the crimes table's error; its
                continue                                  # rows join the first, and are counted once
            joined.add(reference)
            staging.see_crime(reference)
            found = self._related(staging, table, reference, origins.setdefault(index, []), problems, day)
            used += len(found)
            if into == "classification_history":
                crime[into] = found
                continue
            if found:
                crime[into] = found[0]
            for source, number in origins[index][1:]:
                problems.append((f"{staging.sources[source]} row {number}: {table_key_header(self.mapping, table)}",
                                 f"a second {into} for crime '{reference}'; a crime record has one"))
        return used

    def _locate(self, field: str, message: str, columns: _Columns, origins: dict, staging: "_Staging"):
        """A model field path (log.3.at) as the file, row and column it came from."""
        parts = field.split(".")
        if parts[0] in _TABLE_OF and len(parts) > 1 and parts[1].isdigit() and parts[0] in origins:
            table, index = _TABLE_OF[parts[0]], int(parts[1])
            source, number = origins[parts[0]][index]
            rest = parts[2:]
            if parts[0] == "crime_records" and len(rest) > 1 and rest[0] in _CRIME_TABLE_OF and rest[0] in origins:
                table, rows = _CRIME_TABLE_OF[rest[0]], origins[rest[0]][index]
                many = rest[0] == "classification_history" and rest[1].isdigit()
                source, number = rows[int(rest[1])] if many else rows[0]
                rest = rest[2:] if many else rest[1:]
            names = staging.columns[table][source].names
            column = names.get(rest[0], rest[0]) if rest else table
            return f"{staging.sources[source]} row {number}: {column}", message
        return columns.names.get(parts[0], field), message

    def _unmatched(self, staging: "_Staging") -> Iterator[InputError]:
        for table in TABLES:
            if table == "incidents" or not staging.has(table):
                continue
            count = self.counts[table]
            header = table_key_header(self.mapping, table)
            what = "crime record" if table in CRIME_TABLES else "incident"
            for source, number, key in staging.unmatched(table):
                count.rejected += 1
                count.unmatched += 1
                yield InputError(staging.sources[source], number, None, [(
                    header, f"'{key}' joins no {what} in the export; this {table} row is not evaluated")])


def table_key_header(mapping: ForceMapping, table: str) -> str:
    return getattr(mapping.tables, table).columns[TABLES[table][1]]


def _cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


def _marshalable(value):
    """A workbook's date cell, staged: marshal keeps no datetimes, and the tag keeps it a date cell."""
    return ("datetime", value.isoformat()) if isinstance(value, datetime) else value


def _plain(cell) -> str:
    if cell.__class__ is str:
        return cell.strip()
    if isinstance(cell, tuple):  # a staged date cell in a text field: as Excel would show it
        cell = datetime.fromisoformat(cell[1])
    return cell.isoformat(sep=" ") if isinstance(cell, datetime) else str(cell)


def _kind(model, name: str) -> str:
    annotation = model.model_fields[name].annotation
    args = [get_args(arg)[0] if get_origin(arg) is Annotated else arg for arg in get_args(annotation)]
    listed = get_origin(annotation) is list or any(get_origin(arg) is list for arg in args)
    if annotation is datetime or datetime in args:
        return "times" if listed else "time"
    return "list" if listed else "value"


def _all_or_none(items: list):
    return None if None in items else items


class _Staging:
    """The related tables in a temporary SQLite file, one table each, indexed by the key that joins them."""

    def __init__(self):
        self.db = sqlite3.connect("")  # "": a private temporary file, deleted on close
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16000", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, at TEXT)")
        self.db.execute("CREATE TABLE seen_crimes (key TEXT PRIMARY KEY)")
        self.sources: list[str] = []
        self.columns: dict[str, dict[int, _Columns]] = {}
        self._merges: dict[str, _Merge] = {}

    def __enter__(self) -> "_Staging":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def create(self, table: str) -> None:
        self.db.execute(f"CREATE TABLE {table} (key TEXT, source INTEGER, row INTEGER, cells BLOB)")
        self.columns[table] = {}

    def has(self, table: str) -> bool:
        return table in self.columns

    def source(self, name: str, columns: _Columns) -> int:
        self.sources.append(name)
        self.columns[columns.table][len(self.sources) - 1] = columns
        return len(self.sources) - 1

    def insert(self, table: str, rows: list) -> None:
        self.db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?)", rows)

    def index(self, table: str) -> None:
        self.db.execute(f"CREATE INDEX {table}_key ON {table} (key)")

    def rows(self, table: str, key: str) -> list[tuple[int, int, bytes]]:
        """The staged rows of `table` joining `key`, in the order the files gave them.

        Exports are usually sorted by their key. While the keys asked for ascend, the rows come from one scan
        of the table in key order (a merge join: the pages are read once, in order); a key that does not
        ascend is looked up in the index. One lookup per incident was a random walk through an index far
        larger than the page cache, and made a 200,000-incident export four times slower per incident than
        one of 20,000."""
        merge = self._merges.get(table)
        if merge is None:
            merge = self._merges[table] = _Merge(self.db.execute(
                f"SELECT key, source, row, cells FROM {table} ORDER BY key, rowid"))
        if key > merge.last:
            return merge.take(key)
        return self.db.execute(f"SELECT source, row, cells FROM {table} WHERE key = ? ORDER BY rowid",
                               (key,)).fetchall()

    def see(self, key: str, source: str, number: int) -> str | None:
        """Note an incident id; if it was seen before, where."""
        try:
            self.db.execute("INSERT INTO seen VALUES (?, ?)", (key, f"{source} row {number}"))
        except sqlite3.IntegrityError:
            return self.db.execute("SELECT at FROM seen WHERE key = ?", (key,)).fetchone()[0]
        return None

    def see_crime(self, reference: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO seen_crimes VALUES (?)", (reference,))

    def unmatched(self, table: str):
        seen = "seen_crimes" if table in CRIME_TABLES else "seen"
        return self.db.execute(f"SELECT source, row, key FROM {table} WHERE key NOT IN (SELECT key FROM {seen}) "
                               "ORDER BY rowid")


class _Merge:
    """One staged table read in key order, for keys asked in ascending order: the rows of each key in turn,
    skipping the keys never asked for (they join nothing, and `_Staging.unmatched` reports them)."""

    def __init__(self, cursor: sqlite3.Cursor):
        self.cursor = cursor
        self.last = ""                 # the last key taken; a key not above it is looked up instead
        self.ahead = cursor.fetchone()  # the next row not yet taken: (key, source, row, cells) or None

    def take(self, key: str) -> list[tuple[int, int, bytes]]:
        self.last = key
        ahead, cursor = self.ahead, self.cursor
        while ahead is not None and ahead[0] < key:
            ahead = cursor.fetchone()
        found = []
        while ahead is not None and ahead[0] == key:
            found.append(ahead[1:])
            ahead = cursor.fetchone()
        self.ahead = ahead
        return found

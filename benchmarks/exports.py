"""Benchmark reading force exports: a tabular export (CSV tables) and a STORM log detail print, end to end.

For each shape and size, synthetic incidents with 20 log entries each are written to a temporary folder (not
timed), in the shape of the fictional Exampleshire export (`examples/exports/`, read through its mapping).
Then a fresh Python process pins itself to one core and runs what `hocr check --mapping M FILES --format jsonl
-o OUT` runs: the rule pack, the intake (reading, joining the tables, mapping, validation), `screen` with the
default engine (whatever `screen` runs at the time), and the breaches written as JSON Lines. The child times
itself and reads its own peak memory.

    python benchmarks/exports.py                          # 20,000 and 200,000 incidents, both shapes
    python benchmarks/exports.py --sizes 20000 --shapes storm --repeat 1
    python benchmarks/exports.py --sizes 20000 --shapes xlsx --repeat 1   # the tables as one workbook

Targets: at least 10,000 incidents/s on one core (the slowest shape and size) and peak RSS at the largest size
at most 1.2 times that at the smallest, per shape. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from run import _maxrss_mib, _own_high_water_mib, _pin, _top, _write_profile  # noqa: E402  (one way to pin and measure)

MAPPING = REPO / "examples" / "exports" / "exampleshire.mapping.yaml"
TARGET_RATE = 10_000
TARGET_MEMORY = 1.2
ENTRIES = 20
#: log text of the kinds the examples hold: what was said, what was done, risk scripts, disposals
TEXTS = ["CALLER STATES EX PARTNER HAS PUNCHED HER IN THE FACE", "NO INJURIES. MALE DENIES ANY ASSAULT",
         "DASH: Q1 HAS THE CURRENT INCIDENT RESULTED IN INJURY? A: NO", "ADVISED TO CALL 999 IF HE COMES BACK",
         "PREVIOUS DV WITH EX, NOTHING TODAY", "HE KEEPS TURNING UP AT MY WORK", "UNIT ASSIGNED", "ON SCENE",
         "AREA SEARCHED, NO TRACE", "MALE TOOK MY PHONE AND RAN OFF", "THREATENED TO KILL HER IF SHE CALLS POLICE",
         "WORDS OF ADVICE GIVEN", "CALLER UPDATED", "SAFEGUARDING REFERRAL SUBMITTED TO ADULT SOCIAL CARE"]
OPENING = [("ASSAULT", "ASSAULT"), ("DOMESTIC", "DOMESTIC INCIDENT"), ("ASB", "ASB - PERSONAL"),
           ("CFW", "CONCERN FOR WELFARE"), ("THEFT", "THEFT"), ("SUSPICIOUS", "SUSPICIOUS CIRCUMSTANCES")]
CLOSING = [("DOM", "DOMESTIC - NO CRIME", "DOMNC"), ("ASB", "ASB - PERSONAL", "ADV"), ("NFA", "THEFT", "NFA"),
           ("CFW", "CONCERN FOR WELFARE", "NFA"), ("CRIMED", "ASSAULT", "CRN")]
CHANNELS = ["999", "101", "WEB", "FC"]


# ---------------------------------------------------------------- synthetic exports (not timed)
def incidents(n: int, seed: int):
    """(number, received, opening, closing, log entries, crime or None) for n incidents, the same for a seed."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)
    for number in range(n):
        received = start + timedelta(seconds=number * 157 + rng.randrange(60))
        opening, closing = rng.choice(OPENING), rng.choice(CLOSING)
        entries = [(received + timedelta(minutes=4 * i), f"CH{rng.randrange(1000, 9999)}", rng.choice(TEXTS))
                   for i in range(ENTRIES)]
        crime = (f"EX/25/{number:07d}", received + timedelta(hours=rng.randrange(1, 20))) \
            if closing[0] == "CRIMED" else None
        yield f"EXP-{number:08d}", received, rng.choice(CHANNELS), opening, closing, entries, crime


def _day(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def _header(*tables: str) -> list[str]:
    """The columns the example mapping reads from a file holding these tables (the crimes file also holds the
    outcome columns), so the synthetic export keeps the mapping's shape as the mapping grows."""
    return list(dict.fromkeys(header for table in tables for header in _table(table).columns.values()))


def _row(header: list[str], cells: dict[str, str]) -> list[str]:
    """A row of `header` with the cells given by column and the others empty."""
    return [cells.get(column, "") for column in header]


def write_tables(folder: Path, n: int, seed: int) -> list[Path]:
    paths = [folder / name for name in ("incidents.csv", "log-entries.csv", "crimes.csv", "people.csv")]
    handles = [path.open("w", encoding="utf-8", newline="") for path in paths]
    inc, log, crimes, people = (csv.writer(h) for h in handles)
    inc.writerow(["Incident Number", "Created", "Source", "Opening Code", "Closing Code", "Qualifiers",
                  "Initial Classification", "Final Classification", "Result Codes", "Linked Crimes", "Non-Crime Rationale"])
    log.writerow(["Incident Number", "Entry Time", "Operator", "Entry Text", "Entry Type", "Seq"])
    crime_header, people_header = _header("crimes", "outcomes"), _header("people")
    crimes.writerow(crime_header)
    people.writerow(people_header)
    for number, received, channel, opening, closing, entries, crime in incidents(n, seed):
        inc.writerow([number, _day(received), channel, opening[0], closing[0], "DA" if opening[0] == "DOMESTIC"
                      else "", opening[1], closing[1], closing[2], crime[0] if crime else "", ""])
        for sequence, (at, author, text) in enumerate(entries, 1):
            log.writerow([number, _day(at), author, text, "RMK", sequence])
        if crime:
            crimes.writerow(_row(crime_header, {"Incident Number": number, "Crime Ref": crime[0], "HO Code": "105A",
                                                "Date Recorded": _day(crime[1]), "Status": "LIVE", "Victim Ref": "V1"}))
            people.writerow(_row(people_header, {"Incident Number": number, "Person Ref": "V1", "Age": "34", "Sex": "F",
                                                 "Relationship": "STRANGER"}))
    for handle in handles:
        handle.close()
    return paths


def write_storm(folder: Path, n: int, seed: int) -> list[Path]:
    path = folder / "storm-logs.txt"
    with path.open("w", encoding="utf-8", newline="") as out:
        for number, received, channel, opening, closing, entries, crime in incidents(n, seed):
            day, time_ = _day(received).split(" ")
            out.write(f"Storm Log Detail\r\nLog Number:\t{number}\r\nDate:\t{day}\r\nTime:\t{time_}\r\n"
                      f"Status:\tCLOSED\r\nResult Codes:\t{closing[2]}\r\nMessage:\t{entries[0][2]}\r\n"
                      f"Source:\t{channel}\r\nInitial Classification:\t{opening[1]}\r\n"
                      f"Final Classification:\t{closing[1]}\r\nActions\r\nDate\tTime\tText\tAuthorId\tSequence\r\n")
            for sequence, (at, author, text) in enumerate(entries, 1):
                day, time_ = _day(at).split(" ")
                out.write(f"{day}\t{time_}\t{text}\t{author}\t{sequence}\r\n")
            if crime:
                out.write(f"{day}\t{time_}\tCRIME NO: {crime[0]}\t{author}\t{ENTRIES + 1}\r\n")
            out.write("\r\n")
    return [path]


#: the workbook's sheets, as the mapping names them, in the order `write_tables` writes their CSV files, and
#: the columns holding times (written as Excel date cells, as an analyst's saved workbook has them)
SHEETS = ["Incidents", "Log", "Crimes", "People"]
TIMES = {"Created", "Entry Time", "Date Recorded"}


def write_workbook(folder: Path, n: int, seed: int) -> list[Path]:
    """The tabular export as one XLSX workbook, a sheet a table (as examples/exports/make_workbook.py writes
    the example's), with an empty sheet for each other table the mapping reads. Needs openpyxl (a test
    dependency); openpyxl writes about 20,000 rows a second, so this shape is not in the default run."""
    from openpyxl import Workbook
    staging = folder / "csv"
    staging.mkdir()
    book = Workbook(write_only=True)
    for name, path in zip(SHEETS, write_tables(staging, n, seed)):
        sheet = book.create_sheet(name)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            sheet.append(header)
            times = [column in TIMES for column in header]
            for row in rows:
                sheet.append([None if value == "" else datetime.strptime(value, "%d/%m/%Y %H:%M:%S") if time
                              else value for value, time in zip(row, times)])
        path.unlink()
    for table in ("disclosures", "cancellations", "reclassifications", "n100s"):
        book.create_sheet(_table(table).sheet).append(_header(table))
    staging.rmdir()
    target = folder / "bench-export.xlsx"
    book.save(target)
    return [target]


@lru_cache(maxsize=None)
def _table(name: str):
    """One table of the example mapping: its columns and its workbook sheet."""
    from hocr_rules.intake.mapping import load_mapping
    return getattr(load_mapping(MAPPING).tables, name)


SHAPES = {"tables": write_tables, "storm": write_storm, "xlsx": write_workbook}


# ---------------------------------------------------------------- the child: one run, one process, one core
def child(files: list[str], target: str, profile_to: str | None = None) -> None:
    started = time.perf_counter()
    cpu = _pin()
    import resource

    from hocr_rules.engine.engines import build_engine
    from hocr_rules.engine.outcomes import BREACH
    from hocr_rules.findings import FindingsWriter
    from hocr_rules.intake import Intake
    from hocr_rules.intake.mapping import load_mapping
    from hocr_rules.rulebook.pack import RulePack
    from hocr_rules.screening import Summary, screen

    pack = RulePack.load()
    engine = build_engine("default", pack, workers=0)
    loaded = time.perf_counter()
    summary = Summary()
    intake = Intake(engine.offences, None, load_mapping(MAPPING))
    profiler = None
    if profile_to:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = FindingsWriter(out, "jsonl")
        for item in screen(intake.read(files), engine, summary):
            writer.write(item, frozenset({BREACH}))
        writer.close(summary.as_record())
    finished = time.perf_counter()
    if profiler:
        profiler.disable()
        _write_profile(profiler, profile_to)
    record = summary.as_record()
    print(json.dumps({"cpu": cpu, "pack_s": loaded - started, "screen_s": finished - loaded,
                      "maxrss_mib": _maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
                      "hwm_mib": _own_high_water_mib(), "read": record["read"], "evaluated": record["evaluated"],
                      "rejected": record["rejected"], "breaches": record["breaches"],
                      "tables": intake.table_counts()}))


def run_child(files: list[Path], target: Path, profile_to: Path | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(target)] + [str(f) for f in files]
    if profile_to:
        command[2:2] = ["--profile-to", str(profile_to)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit(f"the benchmark run failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=["tables", "storm"],
                        help="xlsx (the tables as one workbook) needs openpyxl and is slow to write")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cprofile", type=int, default=0, metavar="TOP",
                        help="also profile the smallest size of each shape (a separate, slower run) and print the "
                             "TOP functions by own time")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[1:], args.child[0], args.profile_to)
        return
    profiles = []
    results = []
    with tempfile.TemporaryDirectory(prefix="hocr-exports-") as tmp:
        for shape in args.shapes:
            for size in sorted(args.sizes):
                folder = Path(tmp) / f"{shape}-{size}"
                folder.mkdir()
                files = SHAPES[shape](folder, size, args.seed)
                runs = sorted((run_child(files, folder / "findings.jsonl") for _ in range(args.repeat)),
                              key=lambda r: r["screen_s"])
                result = runs[len(runs) // 2] | {"shape": shape, "size": size,
                                                 "rates": [size / r["screen_s"] for r in runs]}
                results.append(result)
                print(f"  {shape} {size:,}: {', '.join(f'{r:,.0f}' for r in result['rates'])} incidents/s",
                      file=sys.stderr, flush=True)
                if args.cprofile and size == min(args.sizes):
                    run_child(files, folder / "findings-profiled.jsonl", folder / "profile.txt")
                    profiles.append(f"{shape}, {size:,} incidents, by own time (profiled, so slower; read the "
                                    f"shares):\n{_top((folder / 'profile.txt').read_text(encoding='utf-8'), args.cprofile)}")
                for path in files:
                    path.unlink()
    print(report(results))
    for profile in profiles:
        print("\n" + profile)


def report(results: list[dict]) -> str:
    lines = [f"{'shape':8} {'incidents':>10} {'incidents/s':>12} {'seconds':>8} {'peak RSS MiB':>13} "
             f"{'own HWM MiB':>12} {'breaches':>9} {'rejected':>9}"]
    for r in results:
        lines.append(f"{r['shape']:8} {r['size']:>10,} {r['size'] / r['screen_s']:>12,.0f} {r['screen_s']:>8.2f} "
                     f"{r['maxrss_mib']:>13.1f} {r['hwm_mib'] or 0:>12.1f} {r['breaches']:>9,} {r['rejected']:>9,}")
    lines.append("")
    slowest = min(r["size"] / r["screen_s"] for r in results)
    lines.append(f"throughput: slowest {slowest:,.0f} incidents/s; target {TARGET_RATE:,}: "
                 f"{'met' if slowest >= TARGET_RATE else 'NOT met'}")
    for shape in dict.fromkeys(r["shape"] for r in results):
        runs = sorted((r for r in results if r["shape"] == shape), key=lambda r: r["size"])
        if len(runs) > 1:
            ratio = runs[-1]["maxrss_mib"] / runs[0]["maxrss_mib"]
            lines.append(f"memory ({shape}): peak RSS {runs[-1]['size']:,} / {runs[0]['size']:,} = {ratio:.2f}; "
                         f"target <= {TARGET_MEMORY}: {'met' if ratio <= TARGET_MEMORY else 'NOT met'}")
        lines.append(f"tables ({shape}, {runs[-1]['size']:,}): " + "; ".join(runs[-1]["tables"]) if runs[-1]["tables"]
                     else f"({shape}: {runs[-1]['read']:,} logs read, {runs[-1]['rejected']:,} rejected)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""Turn the Home Office notifiable offence list into `rules/offences.csv`.

The Home Office republishes the list every April. Regenerating the table from it, instead of editing the table by
hand, keeps each year's change a reviewable diff: the output is sorted and contains nothing that depends on the
order of the source. Usage:

    python -m hocr_rules.offence_list SOURCE_CSV [-o rules/offences.csv]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

from hocr_rules.offences import DEFAULT_PATH, HO_CODE, code_sort_key

SOURCE_COLUMNS = ["Home Office code", "Max Sentence", "Victim or State Based", "Class", "Sub class",
                  "Offence category", "Offence", "Current"]
DATE_COLUMNS = ("Commencement date", "Cessation date")  # optional in the source: older lists had neither
COLUMNS = ["classification", "ho_code", "title", "classification_title", "group", "families", "victim_based",
           "max_sentence", "max_sentence_months", "seriousness", "current", "commenced", "ceased"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]

GROUPS = {  # HO Class, lower case with single spaces -> group
    "violence against the person": "violence_against_the_person", "sexual offences": "sexual_offences",
    "robbery": "robbery", "theft": "theft", "burglary": "burglary", "vehicle offences": "vehicle_offences",
    "arson and criminal damage": "criminal_damage_and_arson", "criminal damage and arson": "criminal_damage_and_arson",
    "drug offences": "drug_offences", "possession of weapons": "possession_of_weapons",
    "public order offences": "public_order_offences",
    "miscellaneous crimes against society": "miscellaneous_crimes_against_society",
    "nfib fraud": "fraud", "fraud": "fraud",
}
# The principal crime rule: the most serious violent crime (rape included) beats any other (addendum 5).
VIOLENT_GROUPS = {"violence_against_the_person", "sexual_offences", "robbery"}
LIFE_MONTHS = 9999

RAPE = {"19C", "19D", "19E", "19F", "19G", "19H", "19J", "19K"}
HOMICIDE = {"1", "4/1", "4/2", "4/10"}  # Sub class "Homicide": murder, manslaughter, infanticide, corporate
FGM = {"008/52", "008/68"}  # Female Genital Mutilation Act 2003 ss1-3 and 3A: recorded even if done abroad (pp. 44-45)
# Counting units other than the victim: one crime per household burgled or whose pedal cycles were taken, per
# business robbed, per offender or group exposing themselves or soliciting (2026/27 pp. 49, 69, 72-73, 79).
PER_HOUSEHOLD = {"28I", "28J", "28K", "28L", "28M", "28N", "28O", "28P", "44"}
PER_BUSINESS = {"34A"}
PER_OFFENDER = {"88E", "27"}
#: Keeping a brothel (024/19) is one crime per offender or group, though the rest of class 24 is one per person
#: exploited (2026/27 p. 49).
PER_OFFENDER_HO_CODES = {"024/19"}
MODERN_SLAVERY = {"106"}  # recorded as well as the most serious other victim-based offence (2026/27 p. 13)
CONDUCT_CRIME = {"8L", "8M", "8Q", "8U"}  # course-of-conduct offences (addendum 4.4)
# State-based offences recorded in addition to the victim-based crimes they cause: a riot or violent disorder
# (p. 89) and perverting the course of justice, witness intimidation among it (class 79, pp. 95-96).
DISORDER = {"064/01", "065/00"}
PERVERTING_JUSTICE = {"79"}
# Offences not recorded where a related offence by the same offender is: an affray beside the violence against
# the person connected with it (p. 89); going equipped beside a related burglary or theft (p. 83).
AFFRAY = {"066/01"}
GOING_EQUIPPED = {"33"}
# A death by aggravated vehicle taking is counted in addition to the theft, taking or AVT of the vehicle (p. 38).
DEATH_BY_VEHICLE_TAKING = {"37/1"}
VEHICLE_TAKING = {"37/2", "48"}
# Held as an incident (N300/04, or a crime-related incident) until the investigation confirms the offence is made
# out, then recorded: death or serious injury by dangerous or careless driving, and dangerous driving (pp. 37,
# 96). Causing death by an unlicensed, disqualified or uninsured driver (4/9) is recorded from the outset.
HELD_UNTIL_MADE_OUT = {"4/4", "4/6", "4/8", "802"}
CLASSIFICATION_FAMILIES = {
    "rape": RAPE, "homicide": HOMICIDE, "harassment_family": CONDUCT_CRIME | {"8R"}, "conduct_crime": CONDUCT_CRIME,
    "stalking": {"8Q"}, "harassment": {"8L"}, "assault_without_injury": {"105A", "105B", "104"},
    "modern_slavery": MODERN_SLAVERY, "per_household": PER_HOUSEHOLD, "per_business": PER_BUSINESS,
    "per_offender": PER_OFFENDER, "perverting_justice": PERVERTING_JUSTICE, "going_equipped": GOING_EQUIPPED,
    "death_by_vehicle_taking": DEATH_BY_VEHICLE_TAKING, "vehicle_taking": VEHICLE_TAKING,
    "held_until_made_out": HELD_UNTIL_MADE_OUT,
}
# C5 (self-defence) covers only 8N s47 ABH, 104 and 105A (addendum 2.1).
C5_CLASSIFICATIONS, C5_HO_CODES = {"104", "105A"}, {("8N", "008/06")}
# Breaches of the orders the rules list as notifiable (2026/27 pp. 89-90): a single act, never a course of
# conduct (p. 52), recorded in addition to the other offences reported with them (p. 89). Three sit in conduct
# classifications (008/29 and 008/31 in 8L, 008/74 in 8Q) and are no conduct crime for that.
ORDER_BREACHES = {"008/29", "008/31", "008/74", "066/38", "066/39", "066/97", "066/98", "068/04", "068/07", "068/08",
                  "068/17", "068/19"}
# Sending a threatening communication (Online Safety Act 2023 s181): kept apart from harassment and stalking,
# recorded in addition to a course of conduct (2026/27 pp. 57-58).
THREATENING_MESSAGES = {"005/28"}
#: Families of single offence codes within a classification.
HO_CODE_FAMILIES = {"threatening_message": THREATENING_MESSAGES, "fgm": FGM, "per_offender": PER_OFFENDER_HO_CODES,
                    "disorder": DISORDER, "affray": AFFRAY}
#: Modes of trial with a family of their own: indictable only (never a community resolution, OFG p. 15) and summary
#: only (a statutory time limit for prosecution, so outcome 17 may apply, OFG p. 20); E, either way, has none.
MODE_FAMILIES = {"I": "indictable_only", "S": "summary_only"}
# A fraud by false representation (053/40) and obtaining services dishonestly (053/46) are listed with no single
# NFIB sub class: Report Fraud assigns one. They are kept, under this classification, so input giving the HO
# code is accepted (an unknown code would be an input error).
NFIB_UNCLASSIFIED = "NFIB"


class SourceError(ValueError):
    """The source list has a shape this generator does not understand; the message says where."""


def clean(text: str) -> str:
    return " ".join(text.split())


def parse_max_sentence(text: str) -> int | None:
    """Months of the maximum sentence; a bare number is years, a fine is 0, None when the text is not understood."""
    text = clean(text).lower()
    if text in ("", "fine", "summary only") or text.startswith("£"):
        return 0
    if text.startswith("life"):
        return LIFE_MONTHS
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(y|yr|yrs|year|years|m|mth|mths|month|months|w|wk|wks|week|weeks)?", text)
    if not match:
        return None
    number, unit = float(match[1]), (match[2] or "y")[0]
    return math.ceil(number * {"y": 12, "m": 1, "w": 12 / 52}[unit] - 1e-9)


def split_category(category: str) -> tuple[str, str]:
    """'8L Harassment' -> ('8L', 'Harassment'); 'NFIB 11 Bankruptcy' -> ('NFIB11', 'Bankruptcy')."""
    match = re.match(r"(NFIB\s*\w+|\S+)\s*(.*)", clean(category), flags=re.IGNORECASE)
    if not match or match[1].lower().startswith("various"):
        return "", ""
    return re.sub(r"\s+", "", match[1]).upper(), match[2]


def families_of(classification: str, ho_code: str, group: str, mode: str = "") -> set[str]:
    """The rule families of one row of the list; `mode` is its mode of trial (I, E or S)."""
    families = {name for name, codes in CLASSIFICATION_FAMILIES.items() if classification in codes}
    families |= {name for name, codes in HO_CODE_FAMILIES.items() if ho_code in codes}
    if mode in MODE_FAMILIES:
        families.add(MODE_FAMILIES[mode])
    if group == "sexual_offences":
        families.add("sexual")
    if group == "violence_against_the_person":
        families.add("violence")
    if classification in C5_CLASSIFICATIONS or (classification, ho_code) in C5_HO_CODES:
        families.add("c5_self_defence")
    if ho_code in ORDER_BREACHES:
        families = (families - {"conduct_crime", "stalking", "harassment"}) | {"order_breach"}
    return families


def parse_list_date(text: str) -> tuple[date | None, str | None]:
    """A commencement or cessation date as the list writes it, with a note when it had to be read loosely.

    Nearly all are spreadsheet dates ('2024-01-31 00:00:00'); a few are typed: '13 April 2015',
    '23 Februay 2011' (a misspelt month is matched to the nearest), '28/02/22?'. 'TBC' and anything else not
    understood give no date and a note: the offence is then not limited by that date."""
    text = clean(text)
    if not text:
        return None, None
    loose = text.endswith("?")
    text = text.rstrip("?").strip()
    try:
        return datetime.fromisoformat(text).date(), f"date {text!r} read as uncertain" if loose else None
    except ValueError:
        pass
    words = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    numbers = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    try:
        if words:
            month = difflib.get_close_matches(words[2].lower(), MONTHS, n=1, cutoff=0.75)
            if month:
                note = None if month[0] == words[2].lower() and not loose else f"date {text!r} read loosely"
                return date(int(words[3]), MONTHS.index(month[0]) + 1, int(words[1])), note
        elif numbers:
            year = int(numbers[3]) + (2000 if len(numbers[3]) == 2 else 0)
            return date(year, int(numbers[2]), int(numbers[1])), f"date {text!r} read as day/month/year"
    except ValueError:
        pass
    return None, f"date {text!r} not understood; the offence is not limited by it"


def build_table(source: list[tuple[int, dict[str, str]]]) -> tuple[list[dict[str, str]], list[str]]:
    """One row per (classification, HO code), sorted, plus warnings about anything the source left unclear.

    `source` holds (line number, row) pairs. Where several rows share a classification and HO code, the first
    offence text is the title and the highest maximum sentence counts, as the principal crime rule would take it."""
    warnings: list[str] = []
    merged: dict[tuple[str, str], list[dict]] = defaultdict(list)
    titles: dict[str, Counter] = defaultdict(Counter)
    unparsed: dict[str, list[str]] = defaultdict(list)
    for line, raw in source:
        ho_code, (classification, title) = raw["Home Office code"].strip(), split_category(raw["Offence category"])
        if HO_CODE.fullmatch(ho_code) and not classification and GROUPS.get(clean(raw["Class"]).lower()) == "fraud":
            classification, title = NFIB_UNCLASSIFIED, "Fraud, NFIB sub class not given"
        if not HO_CODE.fullmatch(ho_code) or not classification:
            warnings.append(f"line {line}: skipped {ho_code or '(no HO code)'} {clean(raw['Offence'])!r}: "
                            f"no single classification in {clean(raw['Offence category'])!r}")
            continue
        offence = _parse_offence(line, raw, classification, ho_code, warnings)
        if offence["months"] is None:
            unparsed[offence["max_sentence"]].append(ho_code)
        titles[classification][title] += 1
        merged[(classification, ho_code)].append(offence)
    for text, codes in unparsed.items():
        warnings.append(f"max sentence {text!r} not understood ({len(codes)} rows: {', '.join(sorted(set(codes)))}); "
                        "counted as 0 months")
    table = [_table_row(key, rows, titles[key[0]].most_common(1)[0][0]) for key, rows in merged.items()]
    table.sort(key=lambda row: (code_sort_key(row["classification"]), row["ho_code"]))
    return table, warnings + _missing_expectations(merged)


def _parse_offence(line: int, raw: dict[str, str], classification: str, ho_code: str, warnings: list[str]) -> dict:
    group = GROUPS.get(clean(raw["Class"]).lower())
    if group is None:
        raise SourceError(f"line {line}: unknown Class {raw['Class']!r}; add it to GROUPS in {__name__}")
    victim = {letter for letter in raw["Victim or State Based"].upper() if letter in "SV"}
    if not victim:
        warnings.append(f"line {line}: {ho_code}: victim or state based {raw['Victim or State Based']!r} "
                        "not understood; counted as state based")
    if clean(raw["Sub class"]).lower() == "homicide" and classification not in HOMICIDE:
        warnings.append(f"line {line}: {ho_code} has Sub class Homicide but {classification} is not in HOMICIDE")
    commenced, ceased = (_dated(line, ho_code, raw.get(column, ""), warnings) for column in DATE_COLUMNS)
    return {"title": clean(raw["Offence"]), "group": group, "max_sentence": clean(raw["Max Sentence"]),
            "months": parse_max_sentence(raw["Max Sentence"]), "victim": victim or {"S"},
            "current": clean(raw["Current"]).upper(), "families": families_of(classification, ho_code, group, clean(raw.get("Mode", "")).upper()),
            "commenced": commenced, "ceased": ceased}


def _dated(line: int, ho_code: str, text: str, warnings: list[str]) -> date | None:
    found, note = parse_list_date(text or "")
    if note:
        warnings.append(f"line {line}: {ho_code}: {note}")
    return found


def _span(dates: list[date | None], pick) -> str:
    """The dates of several source rows for one code: a row without a date leaves the code unlimited."""
    return "" if not dates or None in dates else pick(dates).isoformat()


def _families(rows: list[dict]) -> set[str]:
    """The families of any of the source rows of one code, except that a code is indictable only (or summary
    only) if every row of it is (one row triable either way makes the offence as recorded triable either way)."""
    families = set().union(*(row["families"] for row in rows))
    return families - {mode for mode in MODE_FAMILIES.values() if not all(mode in row["families"] for row in rows)}


def _table_row(key: tuple[str, str], rows: list[dict], classification_title: str) -> dict[str, str]:
    worst = max(rows, key=lambda row: row["months"] or 0)
    group = worst["group"]
    victim = set().union(*(row["victim"] for row in rows))
    return {
        "classification": key[0], "ho_code": key[1], "title": rows[0]["title"],
        "classification_title": classification_title, "group": group,
        "families": " ".join(sorted(_families(rows))),
        "victim_based": "/".join(sorted(victim)), "max_sentence": worst["max_sentence"],
        "max_sentence_months": str(worst["months"] or 0),
        "seriousness": str((100_000 if group in VIOLENT_GROUPS else 0) + (worst["months"] or 0)),
        "current": "Y" if any(row["current"] == "Y" for row in rows) else "N",
        "commenced": _span([row["commenced"] for row in rows], min),
        "ceased": _span([row["ceased"] for row in rows], max),
    }


def _missing_expectations(merged: dict[tuple[str, str], list]) -> list[str]:
    """Families are keyed by codes; a code the Home Office renames or retires must not silently empty a family."""
    present = {classification for classification, _ in merged}
    expected = C5_CLASSIFICATIONS | set().union(*CLASSIFICATION_FAMILIES.values())
    warnings = [f"expected classification {code} is not in the source" for code in sorted(expected - present,
                                                                                          key=code_sort_key)]
    warnings += [f"expected {code} in classification {c} is not in the source" for c, code in sorted(C5_HO_CODES)
                 if (c, code) not in merged]
    codes = {code for _, code in merged}
    warnings += [f"expected offence code {code} is not in the source"
                 for code in sorted(set().union(*HO_CODE_FAMILIES.values()) - codes)]
    return warnings


def read_source(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows with the line each starts on (quoted offence texts may span lines)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in SOURCE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(f"missing columns {', '.join(missing)}; found {', '.join(reader.fieldnames or [])}")
        rows, start = [], reader.line_num + 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
        return rows


def write_table(table: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hocr_rules.offence_list", description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="Home Office notifiable offence list (CSV)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_PATH, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        table, warnings = build_table(read_source(args.source))
    except (OSError, SourceError) as error:
        print(f"error: {args.source}: {error}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_table(table, args.output)
    print(f"wrote {len(table)} offences to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

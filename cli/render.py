"""Everything the command line shows a person, in one module (rich), so every command looks alike.

rich is imported by the functions that lay text out with it, not with this module: `hocr check --format jsonl`
to a file or pipe shows nobody anything styled (its progress, rejections and summary are plain lines there, see
`plain`), and importing rich's console, tables and trees was about a twentieth of its start-up (issue 11).
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import os
import sys
from typing import IO, TYPE_CHECKING, Callable, Iterable, Iterator

from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE, NOT_IN_SCOPE, REVIEW, Outcome
from hocr_rules.errors import HocrError, InputError
from hocr_rules.indicators.pack import CompiledIndicator
from hocr_rules.offences import OffenceTable
from hocr_rules.phrases import cues
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.messages import show
from hocr_rules.rulebook.pack import parameter_value
from hocr_rules.screening import Summary

if TYPE_CHECKING:
    from rich.console import Console, Group
    from rich.table import Table
    from rich.tree import Tree

STYLE = {BREACH: "bold red", COMPLIANT: "green", NOT_EVALUABLE: "yellow", NOT_IN_SCOPE: "dim", REVIEW: "bold magenta"}
BATCH = 100  # incidents per printed table: tables are built whole, so long runs print in batches
PLAIN_BLOCK = 1 << 16  # characters of plain rejection lines written at once
HINT = "`hocr rules show CODE` explains a rule; `hocr explain FILE --incident ID` one incident"


def console(out: IO[str] | None = None, color: bool = True) -> Console:
    """A terminal gets its own width; a file or pipe gets a wide table rather than 80 wrapped columns. rich
    itself honours NO_COLOR; `color=False` is `--no-color`."""
    from rich.console import Console
    out = out or sys.stdout
    return Console(file=out, highlight=False, soft_wrap=False, width=_width(out), no_color=not color or None)


def _width(out: IO[str]) -> int | None:
    """The width `console` lays text out in: the terminal's own (None), else COLUMNS or 160."""
    return None if out.isatty() else int(os.environ.get("COLUMNS", 160))


def plain(stream: IO[str]) -> bool:
    """Whether rich would write to `stream` as to a file (no styles, no control codes, nothing redrawn),
    decided without importing rich, by rich's own test (`Console.is_terminal`): not a terminal, and neither
    TTY_COMPATIBLE=1 nor a non-empty FORCE_COLOR making it one; under IPython, whose notebooks rich writes to
    in its own way, False. False leaves the question to rich's console."""
    if hasattr(builtins, "get_ipython") or stream.isatty():
        return False
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "0"
    return not os.environ.get("FORCE_COLOR")


def error_console() -> Console:
    """The console for this run's stderr, made as `console` makes stdout's, for the stream and environment in
    force now. A console made once at import kept the COLUMNS of whichever run imported this module first (the
    commands are imported lazily, inside the first run of a process), so every later run in that process, such
    as the next test, wrapped at that width. Kept while the stream and environment stay the same, since a run
    says each rejection through it as it happens and a new console costs about 70 us."""
    return _console_for(sys.stderr, *(os.environ.get(name) for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR",
                                                                         "TERM")))


@functools.lru_cache(maxsize=1)
def _console_for(stream: IO[str], *environment: str | None) -> Console:
    return console(stream)


def error(problem: HocrError) -> None:
    """One bullet per problem: where, what, how to fix."""
    from rich.markup import escape
    if isinstance(problem, InputError):
        _input_problems(problem, "[bold red]error[/]:")
        return
    problems = [problem] + list(getattr(problem, "more", []))
    screen = error_console()
    screen.print(f"[bold red]error[/]: {escape(str(problems[0]))}", soft_wrap=True)  # one line, however long
    for more in problems[1:]:
        screen.print(f"  • {escape(str(more))}")


def rejection(problem: InputError) -> None:
    """One record left out, said at once (`rejections` says a run's many)."""
    with rejections() as say:
        say(problem)


@contextlib.contextmanager
def rejections() -> Iterator[Callable[[InputError], None]]:
    """Says each record a run leaves out, with its fields, as the run goes on. Coloured for a person at a
    terminal, as each comes; to a file or pipe the same words as plain lines, gathered into blocks of about
    `PLAIN_BLOCK` characters and written when a block fills and when the run ends (before its summary): a run
    with many bad records must spend its time neither laying out text nobody sees styled nor on a write for
    each line (issue 11: rich printing made rejections 2.8k/s)."""
    if not plain(sys.stderr) and error_console().is_terminal:
        yield lambda problem: _input_problems(problem, "[yellow]rejected[/]")
        return
    block = _PlainBlock(sys.stderr)
    try:
        yield block.say
    finally:
        block.write()


class _PlainBlock:
    """Rejections as plain lines, held until `PLAIN_BLOCK` characters are waiting."""

    def __init__(self, file: IO[str]) -> None:
        self.file, self.lines, self.size = file, [], 0

    def say(self, problem: InputError) -> None:
        text = (f"rejected {_where(problem)}\n"
                + "".join(f"  \u2022 {field}: {message}\n" for field, message in problem.problems))
        self.lines.append(text)
        self.size += len(text)
        if self.size >= PLAIN_BLOCK:
            self.write()

    def write(self) -> None:
        if self.lines:
            self.file.write("".join(self.lines))
            self.file.flush()
            self.lines, self.size = [], 0


def _where(problem: InputError) -> str:
    """The file, line and incident a problem is about."""
    return (problem.source + (f":{problem.line}" if problem.line else "")
            + (f" incident {problem.record}" if problem.record else ""))


def _input_problems(problem: InputError, label: str) -> None:
    from rich.markup import escape
    screen = error_console()
    screen.print(f"{label} {escape(_where(problem))}")
    for field, message in problem.problems:
        screen.print(f"  • {escape(field)}: {escape(message)}")


@contextlib.contextmanager
def progress(enabled: bool = True) -> Iterator:
    """A progress bar on stderr for long runs, only when a person is watching it."""
    if not enabled or plain(sys.stderr) or not (screen := error_console()).is_terminal:
        yield lambda: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # only for a person watching
    bar = Progress(TextColumn("checked {task.completed} incidents"), BarColumn(), TimeElapsedColumn(),
                   console=screen, transient=True)
    with bar:
        task = bar.add_task("check", total=None)
        yield lambda: bar.advance(task)


def check_table(stream: Iterable, include: frozenset[str], summary: Summary, out: IO[str],
                statistics: bool = False, quiet: bool = False) -> None:
    """Findings grouped by incident, then the summary; with `statistics` the counts per rule instead of the
    findings (as `ruff check --statistics`); `quiet` leaves the summary out. At a terminal (or with rich's
    FORCE_COLOR) the findings are rich tables; to a file or pipe, plain lines (`PlainFindings`)."""
    screen = console(out)
    shown = RichFindings(screen) if screen.is_terminal else PlainFindings(out)
    with progress(enabled=not quiet) as tick, rejections() as reject:
        for item in stream:
            tick()
            if isinstance(item, InputError):
                reject(item)
            elif not statistics and (findings := item.findings(include)):
                shown.add(item.incident, findings)
    shown.close()
    if statistics:
        screen.print(statistics_table(summary))
    if not quiet:
        summary_table(summary, screen, by_rule=not statistics)


class RichFindings:
    """Findings for a person: a rich table per `BATCH` incidents, since a table is laid out whole."""

    def __init__(self, screen: Console) -> None:
        self.screen, self.batch = screen, []

    def add(self, incident: str, outcomes: list[Outcome]) -> None:
        self.batch.append((incident, outcomes))
        if len(self.batch) >= BATCH:
            self.close()

    def close(self) -> None:
        if self.batch:
            self.screen.print(_findings_table(self.batch, self.screen.width))
            self.batch = []


class PlainFindings:
    """Findings to a file or pipe: a heading, then one line per finding with the table's columns (incident,
    rule, subject, outcome, finding) separated by tabs, for `grep`, `cut` and `sort`. rich laid out every
    row of a table nobody saw as one, at 12-14 times the cost of validating the input (issue 11). A tab, line
    break or other control character in a cell (messages quote input text) is written as a space, so every
    finding stays one line and nothing in it acts on a terminal the file is shown on."""

    HEADING = "incident\trule\tsubject\toutcome\tfinding\n"

    def __init__(self, out: IO[str]) -> None:
        self.out, self.started = out, False

    def add(self, incident: str, outcomes: list[Outcome]) -> None:
        if not self.started:
            self.out.write(self.HEADING)
            self.started = True
        incident = incident.translate(_ONE_LINE)
        self.out.write("".join(
            f"{incident}\t{o.rule.code}\t{o.subject_kind.replace('_', ' ')} {o.subject_id.translate(_ONE_LINE)}\t"
            f"{o.outcome.replace('_', ' ')}\t{o.message.translate(_ONE_LINE)}\n" for o in outcomes))

    def close(self) -> None:
        """Nothing is held: each incident's lines are written as it comes."""


#: control characters and line separators -> a space
_ONE_LINE = dict.fromkeys([*range(32), 127, 0x85, 0x2028, 0x2029], " ")


def _findings_table(batch: list[tuple[str, list[Outcome]]], width: int) -> Table:
    """The subject takes at most a fifth of the width (or its longest part, a kind such as "crime record" or an
    id, if that is more), so on a narrow terminal it wraps at its space ("crime record" over the reference) and
    leaves the finding the room for whole words: 80 columns read "professional third party", not "professio /
    nal"."""
    from rich.markup import escape
    from rich.table import Table
    table = Table(show_lines=False, header_style="bold")
    for column in ("incident", "rule"):
        table.add_column(column, no_wrap=True)
    widest = max((len(part) for _, outcomes in batch for o in outcomes
                  for part in (o.subject_kind.replace("_", " "), o.subject_id)), default=0)
    table.add_column("subject", overflow="fold", max_width=max(widest, width // 5, len("subject")))
    table.add_column("outcome", no_wrap=True)
    table.add_column("finding", overflow="fold", ratio=1)
    for incident, outcomes in batch:
        for index, o in enumerate(outcomes):
            table.add_row(escape(incident) if index == 0 else "", o.rule.code,
                          f"{o.subject_kind.replace('_', ' ')} {escape(o.subject_id)}",
                          f"[{STYLE[o.outcome]}]{o.outcome.replace('_', ' ')}[/]", escape(o.message),
                          end_section=index == len(outcomes) - 1)
    return table


def summary(result: Summary, to_stderr: bool = False, statistics: bool = False) -> None:
    """The summary beside a machine format: the counts, and the per-rule table only with --statistics."""
    if not statistics and plain(stream := sys.stderr if to_stderr else sys.stdout) and _said_plainly(result, stream):
        return
    screen = error_console() if to_stderr else console()
    if statistics:
        screen.print(statistics_table(result))
    summary_table(result, screen, by_rule=False)


def summary_table(result: Summary, screen: Console, by_rule: bool = True) -> None:
    """The counts that account for every record, and every outcome that was not judged; under a table of
    findings, the breaches per rule."""
    from rich.markup import escape
    from rich.table import Table
    for parts in _summary_lines(result):
        screen.print("".join(f"[{style}]{escape(text)}[/]" if style else escape(text) for text, style in parts))
    if result.breaches_by_rule and by_rule:
        table = Table(title="breaches by rule", header_style="bold")
        table.add_column("rule")
        table.add_column("name")
        table.add_column("breaches", justify="right")
        for code, count in sorted(result.breaches_by_rule.items()):
            table.add_row(code, result.rule_names.get(code, ""), str(count))
        screen.print(table)
    if result.breaches or result.not_evaluable:
        screen.print(f"[dim]{HINT}[/]")
    review_summary(result, screen)


def _summary_lines(result: Summary) -> list[list[tuple[str, str]]]:
    """The summary's sentences above its tables, each as (text, style) parts: rich markup at a terminal, the
    bare text in `_said_plainly`."""
    counts = [(str(result.read), "bold"), (f" incidents read: {result.evaluated} evaluated, {result.rejected} "
                                           f"rejected; {result.incidents_with_breaches} with breaches", "")]
    if not result.reconciles:
        counts += [(" ", ""), ("(counts do not reconcile)", "bold red")]
    outcomes = [(f"{result.breaches} breaches", "")] if result.breaches else [("no breaches", "green")]
    outcomes.append((f"; {result.not_evaluable} outcomes not evaluable", ""))
    if result.suppressed:
        outcomes.append((f"; {result.suppressed} reviewed findings left out (--baseline)", ""))
    return [counts, outcomes] + [[("note", "yellow"), (f": {note}", "")] for note in result.notes]


def _said_plainly(result: Summary, stream: IO[str]) -> bool:
    """`summary` (no statistics) to a `plain` stream, written as bare lines without importing rich, when they
    are the bytes rich would write there: no table (reviews by indicator), no note (free text, in which rich
    would read `:name:` as an emoji code) and every line within the width rich wraps at. Otherwise nothing is
    written and the answer is False."""
    if result.notes or result.reviews_by_indicator:
        return False
    lines = ["".join(text for text, _ in parts) for parts in _summary_lines(result)]
    lines += [HINT] * bool(result.breaches or result.not_evaluable)
    if any(len(line) > _width(stream) for line in lines):
        return False
    stream.write("".join(f"{line}\n" for line in lines))
    stream.flush()
    return True


def statistics_table(result: Summary) -> Table:
    """Breaches and not-evaluable outcomes per rule, most breaches first (`ruff check --statistics`)."""
    from rich.table import Table
    table = Table(title="findings by rule", header_style="bold")
    for column, justify in (("breaches", "right"), ("not evaluable", "right"), ("rule", "left"), ("name", "left")):
        table.add_column(column, justify=justify)
    codes = set(result.breaches_by_rule) | set(result.not_evaluable_by_rule)
    for code in sorted(codes, key=lambda c: (-result.breaches_by_rule[c], -result.not_evaluable_by_rule[c], c)):
        table.add_row(str(result.breaches_by_rule[code]), str(result.not_evaluable_by_rule[code]), code,
                      result.rule_names.get(code, ""))
    return table


def review_summary(result: Summary, screen: Console) -> None:
    """How many incidents the crime indicators put up for review, and by which indicator."""
    from rich.table import Table
    if not result.reviews_by_indicator:
        return
    screen.print(f"[bold magenta]{result.incidents_for_review}[/] incident(s) need review as possible unrecorded "
                 f"crimes ({result.incidents_for_review_only} with no breach)")
    table = Table(title="reviews by indicator", header_style="bold")
    for column, justify in (("indicator", "left"), ("name", "left"), ("incidents", "right")):
        table.add_column(column, justify=justify)
    for code, count in sorted(result.reviews_by_indicator.items()):
        table.add_row(code, result.rule_names.get(code, ""), str(count))
    screen.print(table)


def rules_table(rules: list[CompiledRule]) -> Table:
    from rich.markup import escape
    from rich.table import Table
    table = Table(header_style="bold")
    for column in ("code", "name", "kind", "subject", "severity", "versions", "grade", "statement"):
        table.add_column(column, overflow="fold")
    for r in rules:
        table.add_row(r.code, r.name, r.kind, r.subject, r.severity or "", ", ".join(v.label for v in r.versions),
                      r.references[0].grade, escape(" ".join(r.source.statement.split())))
    return table


def _described(code: str, name: str, src) -> Tree:
    """What a rule and an indicator file both say: title, statement, why, known problems, hint, references."""
    from rich.markup import escape
    from rich.tree import Tree
    tree = Tree(f"[bold]{code} {name}[/]: {escape(src.title)}")
    for label, text in (("statement", src.statement), ("why", src.why), ("known problems", src.known_problems),
                        ("hint", src.hint)):
        if text:
            tree.add(f"[bold]{label}[/]: {escape(' '.join(text.split()))}")
    refs = tree.add("[bold]references[/] (web addresses below)")
    for number, r in enumerate(src.references, start=1):
        pages = f", pp. {r.pages}" if r.pages else ""
        refs.add(escape(f"{r.document}, {r.edition}, {r.section}{pages} [{r.grade}]" + f" [{number}]" * bool(r.url)))
    return tree


def _with_addresses(tree: Tree, src) -> Group:
    """The tree, then each reference's web address on a line of its own and never cut: wider than the terminal,
    an address runs on and the terminal wraps it, so it can still be copied or clicked whole (a tree cuts every
    line at its width; print the group with crop=False)."""
    from rich.console import Group
    from rich.text import Text
    return Group(tree, *(Text(f"[{number}] {r.url}", no_wrap=True, overflow="ignore")
                         for number, r in enumerate(src.references, start=1) if r.url))


def rule_detail(rule: CompiledRule) -> Group:
    from rich.markup import escape
    src = rule.source
    tree = _described(rule.code, rule.name, src)
    if src.let:  # the steps a version's conditions read, e.g. when TL01's 24-hour clock starts
        steps = tree.add("[bold]let[/] (worked out in this order, for every version)")
        for name, expression in src.let.items():
            steps.add(escape(f"{name} = {' '.join(expression.split())}"))
    versions = tree.add("[bold]versions[/]")
    for v, written in zip(rule.versions, src.versions):
        dated = f" ({written.start})" if isinstance(written.start, str) else ""
        node = versions.add(escape(f"from {v.label}{dated} [{v.grade}] {v.note}"))
        for name, value in v.parameters.items():
            given = written.parameters.get(name)
            graded = f" [{given['grade']}] {given.get('note', '')}".rstrip() if isinstance(given, dict) else ""
            changed = (f" (the profile's; the rule file says {show(parameter_value(given))})"
                       if value != parameter_value(given) else "")
            node.add(escape(f"parameter {name} = {show(value)}{graded}{changed}"))
        node.add(escape(f"applies when: {v.applies_text}"))
        node.add(escape(f"{'breach when' if rule.kind == 'finding' else 'value'}: {v.test_text}"))
    examples = tree.add(f"[bold]examples[/] ({len(src.examples)})")
    for e in src.examples:
        expected = ", ".join(f"{x.subject}: {x.outcome or show(x.value)}" for x in e.expect)
        examples.add(escape(f"{' '.join(e.name.split())} → {expected}"))
    return _with_addresses(tree, src)


def indicator_detail(indicator: CompiledIndicator, offences: OffenceTable) -> Group:
    """One crime indicator in full: what raises its review (codes, qualifiers, phrases), the cues that keep a
    phrase from counting, what answers it, the offence it suggests in each version, and its example cases."""
    from rich.markup import escape
    src, signals = indicator.source, indicator.source.signals

    def offence(code: str | None) -> str:
        if code is None:
            return "none (the auditor classifies)"
        return f"{code} {offences.lookup(code).title}" if code in offences else code

    tree = _described(indicator.code, indicator.name, src)
    tree.add(f"[bold]suggests[/]: {escape(offence(src.suggests))}")
    raised = tree.add("[bold]raised by[/] (any one is evidence)")
    if signals.codes:
        fields = f" in {', '.join(signals.code_fields)}" if signals.code_fields else " in any code field"
        raised.add(escape(f"codes meaning {', '.join(signals.codes)}{fields} (through the force mapping)"))
    if signals.qualifiers:
        raised.add(escape(f"incident qualifiers: {', '.join(signals.qualifiers)}"))
    if signals.phrases:
        raised.add(escape(f"phrases in the log: {', '.join(signals.phrases)}"))
        ignored = tree.add("[bold]a phrase does not count when it is[/]")
        for flag, cues_of in cues.explained().items():
            if flag not in signals.accept:
                ignored.add(escape(f"{flag.replace('_', ' ')}: {cues_of}"))
        if signals.accept:
            tree.add(escape(f"a phrase counts even when {', '.join(signals.accept)}"))
    wanted = src.satisfied_by
    answers = ([f"a disclosure or crime record of {', '.join(wanted.offences)}"] * bool(wanted.offences)
               + ["any disclosure, crime record or linked crime number"] * wanted.any_record
               + ["a recorded non-crime rationale"] * wanted.non_crime_rationale)
    tree.add(f"[bold]answered by[/] (no review): {escape('; or '.join(answers))}")
    versions = tree.add("[bold]versions[/]")
    for v in indicator.versions:
        node = versions.add(escape(f"from {v.label} [{v.grade}] {' '.join(v.note.split())}"))
        node.add(escape(f"suggests: {offence(v.suggests or src.suggests)}" if v.in_force
                        else "not in force: no such offence on these dates, nothing is raised"))
    examples = tree.add(f"[bold]examples[/] ({len(src.examples)})")
    for e in src.examples:
        said = (f"review quoting \"{e.quote}\"" if e.quote else "review") if e.review else "no review"
        examples.add(escape(f"{' '.join(e.name.split())} → {said}"))
    return _with_addresses(tree, src)


def case_results(results, screen: Console) -> None:
    from rich.markup import escape
    for r in results:
        mark = "[green]pass[/]" if r.passed else "[bold red]FAIL[/]"
        screen.print(f"{mark} {r.id} {escape(' '.join(r.name.split()))}")
        for difference in r.differences:
            screen.print(f"     [red]{escape(difference)}[/]")
    failed = sum(not r.passed for r in results)
    screen.print(f"{len(results) - failed} passed, {failed} failed")


def rule_coverage(report, total: float, screen: Console) -> None:
    """`hocr rules test --coverage`: per rule, the branches and conditions its examples exercised, then each
    part never exercised, where it is in the rule file."""
    from rich.markup import escape
    from rich.table import Table
    table = Table(title="rule coverage", header_style="bold", title_justify="left")
    for column, justify in (("rule", "left"), ("branches", "right"), ("conditions", "right"), ("covered", "right")):
        table.add_column(column, justify=justify)
    for r in report:
        (branches, of_branches), (conditions, of_conditions) = r.count("branch"), r.count("condition")
        table.add_row(r.rule, f"{branches}/{of_branches}", f"{conditions}/{of_conditions}", f"{r.percent:.1f} %")
    screen.print(table)
    for r in report:
        for point in r.missed:
            line = f":{point.line}" if point.line else ""
            screen.print(f"  {r.rule} {point.where}{line}: [bold]{escape(point.text)}[/] never {point.side}",
                         overflow="fold", highlight=False)
    screen.print(f"rule coverage {total:.1f} % of {sum(len(r.points) for r in report)} branches and conditions")


# ---------------------------------------------------------------- hocr audit, hocr sample, hocr sample-size
def audit_report(doc: dict, out: IO[str] | None = None) -> None:
    """The audit document as an inspection report words it: a table per figure, each row with its sentence."""
    from rich.markup import escape
    from rich.table import Table
    screen = console(out)
    inputs, settings = doc["input"], doc["settings"]
    screen.print(f"[bold]{inputs['evaluated']}[/] incidents evaluated, {inputs['rejected']} rejected; "
                 f"{settings['ci_method']} intervals at {settings['confidence'] * 100:g} % confidence")
    overall = doc["categories"][0]
    screen.print(f"[bold]{escape(overall['phrase'] if overall['rate'] is not None else overall['count_phrase'])}[/]")
    rates = Table(title="recording rate", header_style="bold", title_justify="left")
    for column, justify in (("category", "left"), ("required", "right"), ("recorded", "right"),
                            ("not judged", "right"), ("finding", "left")):
        rates.add_column(column, justify=justify, overflow="fold")
    for c in doc["categories"]:
        note = "" if not c["note"] or c["rate"] is None or c["too_few"] else f" [dim]({escape(c['note'])})[/]"
        finding = escape(c["phrase"]) + note
        rates.add_row(c["name"].replace("_", " "), str(c["required"]), str(c["recorded"]),
                      str(c["not_evaluable"]), f"[yellow]{finding}[/]" if c["too_few"] else finding)
    screen.print(rates)
    for c in doc["categories"]:
        if c["unrecorded_per_year"]:
            screen.print(f"estimate: {escape(c['unrecorded_per_year']['phrase'])}")
    compared = [c for c in doc["categories"] if c["baseline"]]
    if compared:
        table = Table(title=f"compared with {escape(doc['baseline']['source'])}", header_style="bold",
                      title_justify="left")
        for column in ("category", "change"):
            table.add_column(column, overflow="fold")
        for c in compared:
            table.add_row(c["name"].replace("_", " "), escape(c["baseline"]["phrase"]))
        screen.print(table)
    _audit_rows(screen, "timeliness", ("group", "timed", "within limit", "not timed"), [
        (t["name"].replace("_", " "), t["recorded"], t["within_limit"], t["not_evaluable"], t["phrase"])
        for t in doc["timeliness"]])
    n100 = doc["n100"]
    screen.print(f"[bold]N100[/]: {escape(n100['phrase'])}; {escape(n100['records_phrase'])}"
                 + (f"; {n100['not_evaluable']} rape report(s) could not be judged" if n100["not_evaluable"] else ""))
    _audit_rows(screen, "transfers and cancellations", ("group", "reviewed", "correct", "not judged"), [
        (c["group"].replace("_", " "), c["reviewed"], c["correct"], c["not_evaluable"],
         c["phrase"] + "; " + c["victim_phrase"]) for c in doc["cancellations"]])
    if doc["judgements"]:
        screen.print(f"[bold]auditors[/]: {escape(doc['judgements']['phrase'])}")
    if doc.get("review"):
        screen.print(f"[bold magenta]review[/]: {escape(doc['review']['phrase'])}")
    for note in doc["notes"]:
        screen.print(f"[yellow]note[/]: {escape(note)}")


def _audit_rows(screen: Console, title: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    from rich.markup import escape
    from rich.table import Table
    table = Table(title=title, header_style="bold", title_justify="left")
    for index, column in enumerate(columns + ("finding",)):
        table.add_column(column, justify="right" if 0 < index < len(columns) else "left", overflow="fold")
    for row in rows:
        table.add_row(*(escape(str(cell)) for cell in row))
    screen.print(table)


def wrote(path) -> None:
    from rich.markup import escape
    error_console().print(f"wrote {escape(str(path))}")


def reviewed_written(path, added: int, found: int) -> None:
    from rich.markup import escape
    error_console().print(f"reviewed findings: {added} added to {escape(str(path))} ({found - added} were already there)")


def sample_drawn(drawn: int, evaluated: int, seed: int, by: str | None, strata: dict, paths: list) -> None:
    from rich.markup import escape
    split = f", by {by}: " + ", ".join(f"{escape(str(k))} {v}" for k, v in sorted(strata.items())) if by else ""
    console().print(f"drew [bold]{drawn}[/] of {evaluated} incidents (seed {seed}{split})")
    for path in paths:
        wrote(path)


def sample_size(n: int, expected: float, margin: float, confidence: float, population: int | None) -> None:
    fpc = f", from a population of {population:,} (finite population correction)" if population else ""
    console().print(f"[bold]{n}[/] reports to audit for a rate near {expected * 100:g} % within "
                    f"+/- {margin * 100:g} points at {confidence * 100:g} % confidence{fpc}")


def mapping_check(force: str, read: int, rejected: int, tables: list[str], unmapped: dict[str, list[str]],
                  values: dict, codes: dict, errors: list[InputError]) -> None:
    """`hocr mapping check`: what the mapping leaves out, with counts, most frequent first."""
    from rich.markup import escape
    from rich.table import Table
    screen = console()
    screen.print(f"[bold]{escape(force)}[/]: {read} records read, {rejected} rejected")
    for line in tables:
        screen.print(f"  {escape(line)}")
    for source, columns in sorted(unmapped.items()):
        screen.print(f"[yellow]unmapped[/] {escape(source)}: {escape(', '.join(columns))}")
    for title, counts in (("values not covered by `values`", values), ("codes not covered by `codes`", codes)):
        if counts:
            table = Table(title=title, header_style="bold", title_justify="left")
            for column in ("field", "force value", "count"):
                table.add_column(column, justify="right" if column == "count" else "left", overflow="fold")
            for (field, value), count in counts.most_common():
                table.add_row(escape(field), escape(value), f"{count:,}")
            screen.print(table)
    for problem in errors:
        rejection(problem)
    if not (unmapped or values or codes or rejected):
        screen.print("[green]every column is mapped and every value and code is covered[/]")

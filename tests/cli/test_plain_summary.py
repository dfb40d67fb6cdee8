"""The summary of a machine format, to a file or pipe, written without rich: the bytes rich wrote there, or rich
itself where they would not be (issue 11: importing rich was about a twentieth of `hocr check`'s start-up)."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from cli import render
from hocr_rules.screening import Summary


class Pipe(io.StringIO):
    """A stream that is not a terminal, counting what was written to it."""


def by_rich(result: Summary) -> str:
    out = Pipe()
    render.summary_table(result, render.console(out), by_rule=False)
    return out.getvalue()


SUMMARIES = {
    "breaches and not evaluable": Summary(read=80, evaluated=80, incidents_with_breaches=56,
                                          breaches_by_rule=Counter(TL01=3), not_evaluable_by_rule=Counter(CA02=2)),
    "no breaches, nothing unjudged": Summary(read=3, evaluated=3),
    "counts that do not reconcile": Summary(read=5, evaluated=3, rejected=1),
    "reviewed findings left out": Summary(read=2, evaluated=2, suppressed=4, breaches_by_rule=Counter(NC01=1)),
}


@pytest.mark.parametrize("case", SUMMARIES)
@pytest.mark.parametrize("columns", [None, "40", "86"])
def test_to_a_pipe_the_summary_is_what_rich_writes_there(case, columns, monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    out = Pipe()
    monkeypatch.setattr("sys.stdout", out)
    render.summary(SUMMARIES[case])
    assert out.getvalue() == by_rich(SUMMARIES[case])


@pytest.mark.parametrize("why", ["a note", "reviews by indicator", "a line wider than COLUMNS"])
def test_what_rich_would_write_otherwise_is_left_to_rich(why, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "30" if why == "a line wider than COLUMNS" else "160")
    result = Summary(read=1, evaluated=1, notes=["engine :warning: fell back"] if why == "a note" else [],
                     reviews_by_indicator=Counter(CI01=1) if why == "reviews by indicator" else Counter(),
                     incidents_for_review=int(why == "reviews by indicator"))
    assert render._said_plainly(result, Pipe()) is False
    out = Pipe()
    monkeypatch.setattr("sys.stdout", out)
    render.summary(result)
    assert out.getvalue() == by_rich(result)


@pytest.mark.parametrize("env, plain", [({}, True), ({"FORCE_COLOR": ""}, True), ({"FORCE_COLOR": "1"}, False),
                                         ({"TTY_COMPATIBLE": "1"}, False),
                                         ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True)])
def test_plain_is_rich_own_test_of_a_terminal(env, plain, monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert render.plain(Pipe()) is plain
    assert render.console(Pipe()).is_terminal is not plain

"""Reviews in the audit: counted apart while open, drawn by `hocr sample --from review`, and turned into
confirmed (or dismissed) disclosures by the auditors' worksheet."""

import csv
import json

from typer.testing import CliRunner

from cli.main import app

RUNNER = CliRunner()
PUNCHED = {"id": "R1", "received_at": "2026-06-14T01:20:00+01:00", "channel": "emergency_call",
           "qualifiers": ["domestic_abuse"], "log": [{"text": "Caller says partner punched her"}]}
QUIET = {"id": "Q1", "received_at": "2026-06-14T01:20:00+01:00", "channel": "non_emergency_call",
         "log": [{"text": "Advice about parking"}]}


def _write(tmp_path, records):
    path = tmp_path / "incidents.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _audit(path, *options):
    result = RUNNER.invoke(app, ["audit", str(path), "--format", "json", *options])
    return result.exit_code, json.loads(result.stdout)


def _judge(worksheet, outcome):
    rows = list(csv.reader(worksheet.open(encoding="utf-8-sig")))
    for row in rows[1:]:
        row[4] = outcome
    with worksheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_open_reviews_are_counted_apart_and_in_no_rate(tmp_path):
    code, doc = _audit(_write(tmp_path, [PUNCHED, QUIET]))
    assert code == 1  # figures produced, but a review is still to do
    assert doc["review"]["incidents"] == 1 and doc["review"]["open"] == 1
    assert [i["code"] for i in doc["review"]["by_indicator"]] == ["IN02", "IN03"]
    assert doc["review"]["queue"][0]["evidence"][-1] == 'log entry 0 characters 20-31: "punched her"'
    assert doc["categories"][0]["examined"] == 0
    assert any("need review" in note for note in doc["notes"])


def test_sample_from_review_draws_only_review_incidents(tmp_path):
    path = _write(tmp_path, [PUNCHED, QUIET])
    result = RUNNER.invoke(app, ["sample", str(path), "--size", "5", "--seed", "3", "--out", str(tmp_path / "s"),
                                 "--from", "review"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8-sig")))
    assert [(r["incident"], r["engine_outcome"], r["engine_findings"]) for r in rows] == [("R1", "review",
                                                                                            "IN02 IN03")]


def test_a_confirmed_review_is_an_unrecorded_crime_in_the_figures(tmp_path):
    path = _write(tmp_path, [PUNCHED, QUIET])
    RUNNER.invoke(app, ["sample", str(path), "--size", "5", "--seed", "3", "--out", str(tmp_path / "s"),
                        "--from", "review"])
    _judge(tmp_path / "s.csv", "not_recorded")
    code, doc = _audit(path, "--judgements", str(tmp_path / "s.csv"))
    figures = {c["name"]: (c["required"], c["recorded"]) for c in doc["categories"]}
    assert code == 0
    assert figures["all"] == figures["violence"] == figures["domestic_abuse"] == (1, 0)
    assert doc["review"]["confirmed"] == 1 and doc["review"]["open"] == 0


def test_a_dismissed_review_leaves_the_figures_alone(tmp_path):
    path = _write(tmp_path, [PUNCHED])
    RUNNER.invoke(app, ["sample", str(path), "--size", "5", "--seed", "3", "--out", str(tmp_path / "s"),
                        "--from", "review"])
    _judge(tmp_path / "s.csv", "not_a_crime")
    code, doc = _audit(path, "--judgements", str(tmp_path / "s.csv"))
    assert code == 0
    assert doc["categories"][0]["required"] == 0 and doc["review"]["dismissed"] == 1


def test_the_html_report_shows_the_review_queue(tmp_path):
    page = tmp_path / "r.html"
    RUNNER.invoke(app, ["audit", str(_write(tmp_path, [PUNCHED])), "--html", str(page)])
    text = page.read_text(encoding="utf-8")
    assert "id='review-queue'" in text and "R1" in text and "&quot;punched her&quot;" in text

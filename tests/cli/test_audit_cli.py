"""`hocr audit`, `hocr sample` and `hocr sample-size` as a user runs them, and the HTML report in a real browser."""

import csv
import hashlib
import html
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from makers import RECEIVED, crime_record

RUNNER = CliRunner()


def incident(number, offence="8N", *, reported_by="victim", recorded=True, hours=2, channel="emergency_call",
             n100=None, cancellation=None, weight=None):
    data = {"id": f"INC{number:04d}", "received_at": RECEIVED, "channel": channel,
            "people": [{"id": "V1", "age": 30}, {"id": "O1", "age": 35}],
            "disclosures": [{"id": "D1", "offence": offence, "victims": ["V1"], "offenders": ["O1"],
                             "reported_by": reported_by}]}
    if weight is not None:
        data["sampling_weight"] = weight
    if recorded:
        crime = crime_record(number, offence, hours)
        if cancellation:
            crime.update(status="cancelled", cancellation=cancellation)
        data["crime_records"] = [crime]
    if n100:
        data["n100s"] = [{"id": "N1", "disclosure": "D1", "created_at": RECEIVED, "reason": n100}]
    return data


def audit_input():
    """98 incidents: 40 violent crimes (34 recorded, 6 of them late), 20 victims' rape reports (18 recorded), 12
    unconfirmed rape reports (8 with an N100), 12 public-protection referrals of assaults (3 recorded), 10 thefts
    from vehicles (all recorded) and 4 cancelled assaults."""
    items = [incident(n, hours=30 if n < 6 else 2, recorded=n < 34) for n in range(40)]
    items += [incident(100 + n, "19C", recorded=n < 18) for n in range(20)]
    items += [incident(200 + n, "19C", reported_by="other_third_party", recorded=False,
                       n100="N100/01" if n < 8 else None) for n in range(12)]
    items += [incident(300 + n, channel="public_protection", recorded=n < 3) for n in range(12)]
    items += [incident(400 + n, "45") for n in range(10)]
    for n in range(4):
        items.append(incident(500 + n, cancellation={
            "code": "C2", "decided_at": "2025-05-05T10:00:00+01:00", "decided_by": "designated_decision_maker",
            "decider_is_investigator": False,
            "additional_verifiable_information": "victim withdrew" if n == 0 else "CCTV shows the injury was a fall",
            **({"victim_informed_at": "2025-05-05T09:00:00+01:00"} if n < 3 else {"victim_informed": "no"})}))
    return items


@pytest.fixture
def incidents(tmp_path):
    path = tmp_path / "incidents.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in audit_input()), encoding="utf-8")
    return path


def run(*args):
    return RUNNER.invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "250"})


def test_audit_prints_the_inspectorates_sentences(incidents):
    result = run("audit", incidents)
    assert result.exit_code == 0, result.output
    assert "98 incidents evaluated, 0 rejected" in result.output
    for title in ("recording rate", "timeliness", "transfers and cancellations"):
        assert title in result.output
    for sentence in ("90.0 % of reports of rape were recorded, confidence interval 76.8 % to 100.0 %",
                     "25.0 % of crimes reported through safeguarding (public protection) referrals were recorded",
                     "35 of 41 violent crimes were recorded within 24 hours",
                     "an N100 was applied on 8 of 12 rape reports that should have had one",
                     "3 of 4 violent crime cancellations were correct; 3 of 4 victims were informed"):
        assert sentence in result.output, sentence


def test_audit_json_has_the_documented_schema_and_the_counts(incidents):
    result = run("audit", incidents, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    rates = {c["name"]: c for c in doc["categories"]}
    assert (rates["rape"]["recorded"], rates["rape"]["required"]) == (18, 20)
    assert (rates["violence"]["recorded"], rates["violence"]["required"]) == (34 + 3 + 4, 40 + 12 + 4)
    assert (rates["safeguarding_referral"]["recorded"], rates["safeguarding_referral"]["required"]) == (3, 12)
    assert rates["rape"]["phrase"].startswith("90.0 % of reports of rape were recorded, confidence interval 76.8 % to 100.0 %")
    timed = {t["name"]: t for t in doc["timeliness"]}
    assert timed["violence"]["phrase"] == "35 of 41 violent crimes were recorded within 24 hours"
    assert doc["n100"]["phrase"] == "an N100 was applied on 8 of 12 rape reports that should have had one"
    groups = {c["group"]: c for c in doc["cancellations"]}
    assert (groups["violence"]["correct"], groups["violence"]["reviewed"]) == (3, 4)
    assert (groups["violence"]["victim_informed"], groups["violence"]["victim_informed_required"]) == (3, 4)


def test_audit_options_change_the_method_estimates_and_comparison(incidents, tmp_path):
    baseline = tmp_path / "previous.json"
    baseline.write_text('{"categories": [{"name": "all", "rate": 0.7}]}')
    result = run("audit", incidents, "-f", "json", "--ci-method", "wilson", "--confidence", "0.9",
                 "--recorded-per-year", "50,000", "--recorded-per-year", "rape=800", "--baseline", baseline)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    everything = doc["categories"][0]
    assert everything["ci_method"] == "wilson" and doc["settings"]["confidence"] == 0.9
    assert everything["unrecorded_per_year"]["recorded_per_year"] == 50_000
    assert doc["categories"][3]["unrecorded_per_year"]["recorded_per_year"] == 800
    assert everything["baseline"]["rate"] == 0.7
    assert everything["baseline"]["additional_recorded_per_year"] == pytest.approx(
        50_000 * (everything["rate"] - 0.7) / everything["rate"])


@pytest.mark.parametrize(("args", "message"), [
    (["--ci-method", "bayes"], "choose wald, wilson, exact"),
    (["--confidence", "95"], "a fraction between 0 and 1"),
    (["--recorded-per-year", "burglary=5"], "expected N or CATEGORY=N"),
    (["--baseline", "missing.json"], "no such baseline"),
    (["--judgements", "missing.csv"], "no such worksheet"),
    (["--format", "xml"], "choose table or json"),
])
def test_audit_usage_errors_exit_2_with_a_message_and_no_traceback(incidents, args, message):
    result = run("audit", incidents, *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_rejected_records_exit_2_and_the_rest_are_still_counted(incidents):
    with incidents.open("a") as handle:
        handle.write('{"id": "BAD", "received_at": "2025-05-01T10:00:00", "channel": "pigeon"}\n')
    result = run("audit", incidents, "-f", "json")
    assert result.exit_code == 2
    doc = json.loads(result.output[result.output.index("{"):])
    assert doc["input"]["rejected"] == 1 and doc["input"]["evaluated"] == 98
    assert any("rejected" in note for note in doc["notes"])


def test_audit_writes_json_to_a_file_and_the_html_report(incidents, tmp_path):
    out, page = tmp_path / "audit.json", tmp_path / "report.html"
    result = run("audit", incidents, "-f", "json", "-o", out, "--html", page)
    assert result.exit_code == 0
    assert json.loads(out.read_text())["schema"] == "hocr-audit/1"
    assert "<svg" in page.read_text() and "<script" not in page.read_text()


# ---------------------------------------------------------------- sampling and auditors' judgements
def test_sample_is_reproducible_stratified_and_readable_again(incidents, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for prefix in (first, second):
        result = run("sample", incidents, "--size", 20, "--seed", 2017, "--by", "category", "--out", prefix)
        assert result.exit_code == 0, result.output
    assert Path(f"{first}.jsonl").read_text() == Path(f"{second}.jsonl").read_text()
    rows = list(csv.DictReader(Path(f"{first}.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 20
    assert {r["category"] for r in rows} == {"rape", "violence", "other"}
    assert sum(r["category"] == "rape" for r in rows) == 7  # 32 of 98 incidents are rape reports: 6.5 places
    assert {r["engine_outcome"] for r in rows} <= {"recorded_correctly", "not_recorded", "not_a_crime",
                                                   "not_evaluable"}
    assert all(r["auditor_outcome"] == "" for r in rows)
    reread = run("audit", f"{first}.jsonl", "-f", "json")
    assert reread.exit_code == 0 and json.loads(reread.output)["input"]["evaluated"] == 20
    other_seed = tmp_path / "c"
    run("sample", incidents, "--size", 20, "--seed", 1, "--out", other_seed)
    assert Path(f"{other_seed}.jsonl").read_text() != Path(f"{first}.jsonl").read_text()


def test_auditors_judgements_override_the_engine_and_the_report_says_how_many(incidents, tmp_path):
    prefix = tmp_path / "s"
    run("sample", incidents, "--size", 100, "--seed", 1, "--out", prefix)
    worksheet = Path(f"{prefix}.csv")
    rows = list(csv.DictReader(worksheet.open(encoding="utf-8-sig")))
    missed = [r["incident"] for r in rows if r["engine_outcome"] == "not_recorded" and r["category"] == "rape"]
    assert missed == ["INC0118", "INC0119"]  # the victims' rapes not crimed
    no_n100 = [r for r in rows if r["incident"] in ("INC0208", "INC0209", "INC0210", "INC0211")]
    assert {(r["engine_outcome"], r["engine_findings"]) for r in no_n100} == {("not_a_crime", "NR01")}
    for row in rows:
        if row["incident"] in ("INC0118", "INC0119"):   # the victims' rapes the engine found not recorded
            row["auditor_outcome"], row["auditor_note"] = "not_a_crime", "victim's account was of a different act"
        if row["incident"] == "INC0000":
            row["auditor_outcome"] = "recorded_correctly"  # the engine agrees
    with worksheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("audit", incidents, "-f", "json", "--judgements", worksheet)
    doc = json.loads(result.output)
    assert (doc["judgements"]["applied"], doc["judgements"]["overridden"]) == (3, 2)
    rape = next(c for c in doc["categories"] if c["name"] == "rape")
    assert (rape["recorded"], rape["required"]) == (18, 18)
    assert "auditors judged 3 incident(s); 2 overrode" in " ".join(run("audit", incidents, "--judgements",
                                                                      worksheet).output.split())


def test_a_bad_worksheet_names_the_line(incidents, tmp_path):
    worksheet = tmp_path / "w.csv"
    worksheet.write_text("incident,auditor_outcome,auditor_note\nINC0001,maybe,\n")
    result = run("audit", incidents, "--judgements", worksheet)
    assert result.exit_code == 2 and "line 2: unknown auditor_outcome 'maybe'" in " ".join(result.output.split())


@pytest.mark.parametrize(("args", "expected"), [
    (["--expected", "0.9", "--margin", "0.02"], 865),
    (["--expected", "0.9", "--margin", "0.02", "--population", "10000"], 796),
    (["--expected", "0.5", "--margin", "0.05"], 385),
])
def test_sample_size(args, expected):
    result = run("sample-size", *args)
    assert result.exit_code == 0
    assert result.output.split()[0] == str(expected)


def test_sample_size_explains_a_bad_value():
    result = run("sample-size", "--expected", "90", "--margin", "0.02")
    assert result.exit_code == 2 and "expected must be a fraction strictly between 0 and 1" in result.output


def test_every_command_in_the_documentation_runs(incidents, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("previous.json").write_text('{"categories": [{"name": "all", "rate": 0.836}]}')
    block = Path(__file__).resolve().parents[2].joinpath("docs", "audit.md").read_text().split("```console")[1]
    commands = [line.split("$ hocr ", 1)[1].split("#")[0] for line in block.split("```")[0].splitlines()
                if line.startswith("$ hocr ")]
    assert len(commands) >= 5
    for command in commands:
        result = run(*shlex.split(command))
        assert result.exit_code == 0, (command, result.output)


# ---------------------------------------------------------------- the HTML in a real browser
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")


def pixels(png: bytes):
    """Decode an 8-bit RGB or RGBA PNG with the standard library: (width, height, channels, rows)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    channels = 3 if colour == 2 else 4
    raw, stride, rows, previous, at = zlib.decompress(data), width * channels, [], bytearray(width * channels), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


@pytest.fixture
def browser():
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if found is None:
        pytest.skip("no chromium binary found (install Debian's chromium to run the browser test)")
    return found


def test_the_html_report_renders_in_a_headless_browser(incidents, tmp_path, browser):
    page = tmp_path / "report.html"
    baseline = tmp_path / "previous.json"
    baseline.write_text('{"categories": [{"name": "all", "rate": 0.7}, {"name": "rape", "rate": 0.8}]}')
    assert run("audit", incidents, "--html", page, "--baseline", baseline).exit_code == 0
    url = page.resolve().as_uri()
    env = {**os.environ, "HOME": str(tmp_path)}
    shot = tmp_path / "report.png"
    subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1200,1600", url], check=True, capture_output=True, timeout=120, env=env)
    width, height, channels, rows = pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    colours = {row[x:x + 3] for row in rows[::8] for x in range(0, width * channels, channels * 4)}
    assert len(colours) > 20, "the screenshot is blank"
    blue = [c for c in colours if c[2] > c[0] + 60 and c[2] > 120]      # the recording-rate bars
    assert blue, "no recording-rate bars were drawn"
    dom = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom", url],
                         check=True, capture_output=True, timeout=120, env=env, text=True).stdout
    for text in ("90.0 % of reports of rape were recorded", "35 of 41 violent crimes were recorded within 24 hours",
                 "3 of 4 violent crime cancellations were correct", "Compared with the previous audit"):
        assert text in dom, text
    assert dom.count("<svg") == 5 and "chart-recording-rate" in dom


# What a person sees, measured in the page: a copy of the report with the measuring script below, which the
# report's own Content-Security-Policy would (rightly) refuse to run.
MEASURE = """<script>
const found = {overflow: document.documentElement.scrollWidth - window.innerWidth, clipped: [], squeezed: []};
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.viewBox.baseVal;
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox();
    if (b.x < box.x - 1 || b.x + b.width > box.x + box.width + 1 || b.y < box.y - 1
        || b.y + b.height > box.y + box.height + 1) found.clipped.push(t.textContent);
  }
}
for (const td of document.querySelectorAll('td')) {
  const words = td.textContent.trim().split(/\\s+/).length;
  if (words >= 4 && td.getBoundingClientRect().width < 120) found.squeezed.push(td.textContent.slice(0, 40));
}
document.body.setAttribute('data-measured', JSON.stringify(found));
</script>"""


@pytest.fixture
def report_page(incidents, tmp_path):
    page = tmp_path / "report.html"
    baseline = tmp_path / "previous.json"
    baseline.write_text('{"categories": [{"name": "all", "rate": 0.7}, {"name": "rape", "rate": 0.8}]}')
    assert run("audit", incidents, "--html", page, "--baseline", baseline).exit_code == 0
    return page


def in_browser(browser, tmp_path, *args):
    env = {**os.environ, "HOME": str(tmp_path)}
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([browser, *FLAGS, "--hide-scrollbars", f"--user-data-dir={profile}", *args],
                          check=True, capture_output=True, timeout=120, env=env, text=True).stdout


@pytest.mark.parametrize("width", [1200, 700, 390])
def test_the_html_report_fits_desktop_and_narrow_windows(report_page, tmp_path, browser, width):
    html_text = report_page.read_text()
    measured = tmp_path / "measured.html"
    measured.write_text(re.sub(r"<meta http-equiv='Content-Security-Policy'[^>]*>", "", html_text)
                        .replace("</body>", MEASURE + "</body>"))
    dom = in_browser(browser, tmp_path, f"--window-size={width},1600", "--dump-dom", measured.resolve().as_uri())
    found = json.loads(html.unescape(re.search(r'data-measured="([^"]*)"', dom).group(1)))
    assert found["overflow"] <= 0, f"the page scrolls sideways by {found['overflow']} px at {width} px"
    assert found["clipped"] == [], f"chart labels outside their chart: {found['clipped']}"
    assert found["squeezed"] == [], f"table cells squeezed to a word a line: {found['squeezed']}"


def test_the_html_report_prints_on_few_pages(report_page, tmp_path, browser):
    pdf = tmp_path / "report.pdf"
    in_browser(browser, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report_page.resolve().as_uri())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 1 <= pages <= 4, f"{pages} printed pages"


def test_the_html_report_prints_each_bound_one_way(report_page):
    page = report_page.read_text()
    assert "confidence interval 76.8 % to 100.0 %" in page  # the phrase, rounded outwards
    assert "76.8 % to 100.0 %</td>" in page                 # the table says the same
    assert "76.9" not in page


def test_audit_records_its_provenance_in_json_and_html(incidents, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")
    profile = tmp_path / "force.yaml"
    profile.write_text("rules:\n  TL01:\n    limit_hours: 36\n")
    out, page = tmp_path / "audit.json", tmp_path / "report.html"
    assert run("audit", incidents, "-f", "json", "-o", out, "--html", page, "--profile", profile).exit_code == 0
    p = json.loads(out.read_text())["provenance"]
    assert p["tool"]["name"] == "hocr-rules" and p["tool"]["version"]
    assert re.fullmatch(r"[0-9a-f]{64}", p["rule_pack"]["sha256"])
    assert p["profile"]["overrides"] == {"rules": {"TL01": {"limit_hours": 36}}}
    assert p["profile"]["sha256"] == hashlib.sha256(profile.read_bytes()).hexdigest()
    assert p["inputs"] == [{"file": str(incidents), "sha256": hashlib.sha256(incidents.read_bytes()).hexdigest()}]
    assert p["ran_at"] == "2025-12-03T00:00:00Z"
    first = out.read_bytes()
    assert run("audit", incidents, "-f", "json", "-o", out, "--profile", profile).exit_code == 0
    assert out.read_bytes() == first  # SOURCE_DATE_EPOCH makes the run repeatable byte for byte
    shown = page.read_text()
    assert "<h2>Provenance</h2>" in shown and p["rule_pack"]["sha256"] in shown and "2025-12-03T00:00:00Z" in shown


def test_a_bad_source_date_epoch_is_an_error(incidents, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = RUNNER.invoke(app, ["audit", str(incidents), "-f", "json"])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH='yesterday'" in result.output

"""The audit as one self-contained HTML page: figures people read, and charts they would rather look at.

Everything is inline: CSS in a <style> element, charts as SVG drawn here, no script, no font, no image and no
address outside the file, so the page opens offline, can be mailed, and cannot leak incident data anywhere.
It is drawn from the audit document (``report.build``), never from the incidents, so it shows exactly the JSON
figures. Every text from the document is escaped.
"""

from __future__ import annotations

import json
from html import escape

from hocr_rules.audit.proportions import high_percent, low_percent, percent

WIDTH, LABEL, VALUE = 1000, 250, 190
PLOT = WIDTH - LABEL - VALUE
ROW, BAR = 40, 18
BLUE, ORANGE, GREEN, RED, GREY, INK = "#1f5fa0", "#c25e00", "#2e7d32", "#c62828", "#9e9e9e", "#222"
SHORT = {"all": "all crimes", "violence": "violence", "sexual": "sexual offences", "rape": "rape",
         "domestic_abuse": "domestic abuse", "safeguarding_referral": "safeguarding referrals",
         "other": "other offences", "other_sexual": "other sexual offences", "robbery": "robbery"}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;margin:0;
background:#fff}main{max-width:1040px;margin:0 auto;padding:24px}h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #1f5fa0;padding-bottom:4px}
.lead{font-size:22px;margin:16px 0;padding:12px 16px;background:#eef3f9;border-left:6px solid #1f5fa0}
.meta,.small{color:#555;font-size:13px}table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}ul.phrases li{margin:3px 0}
.note{background:#fff6e5;border-left:4px solid #c25e00;padding:6px 10px;margin:4px 0;font-size:14px}
svg{display:block;margin:8px 0;max-width:100%;height:auto}svg text{font-family:inherit}.chart{overflow-x:auto}
td,li,p{overflow-wrap:anywhere}
@media screen and (max-width:720px){main{padding:12px}.lead{font-size:18px}.chart svg{min-width:720px}
table#categories,#categories tbody,#categories tr,#categories td{display:block;width:auto}
#categories tr:first-child{display:none}#categories tr{border-bottom:1px solid #ddd;padding:6px 0}
#categories td{border:0;padding:1px 0;text-align:left}
#categories td.n::before{content:attr(data-label) ": ";color:#555}}
@media print{@page{margin:12mm}body{font-size:10pt}main{max-width:none;padding:0}table{font-size:9pt}.lead{font-size:14pt}
th.n{white-space:normal}
h2{break-after:avoid}svg,tr,.lead,.note,li{break-inside:avoid}.provenance{break-inside:avoid}}
.provenance td{font-size:13px}.provenance code{font-size:12px;overflow-wrap:anywhere}
"""


def render(doc: dict, title: str = "Crime recording audit") -> str:
    categories = doc["categories"]
    overall = categories[0]
    settings = doc["settings"]
    parts = [f"<h1>{escape(title)}</h1>",
             f"<p class='meta'>{doc['input']['evaluated']} incidents evaluated, {doc['input']['rejected']} rejected; "
             f"{escape(str(settings['ci_method']))} intervals at {settings['confidence'] * 100:g} % confidence; "
             f"schema {escape(doc['schema'])}</p>",
             f"<p class='lead' id='headline'>"
             f"{escape(_sentence(overall['phrase'] if overall['rate'] is not None else overall['count_phrase']))}</p>"]
    parts += [f"<div class='note'>{escape(note)}</div>" for note in doc["notes"]]
    parts.append("<h2>Recording rate</h2>")
    parts.append(_rate_chart(categories))
    parts.append(_category_table(categories))
    compared = [c for c in categories if c["baseline"]]
    if compared:
        parts.append(f"<h2>Compared with the previous audit</h2><p class='small'>baseline: "
                     f"{escape(doc['baseline']['source'])}</p>")
        parts.append(_baseline_chart(compared))
        parts.append(_list(f"{c['label']}: {c['baseline']['phrase']}" for c in compared))
    estimates = [c["unrecorded_per_year"]["phrase"] for c in categories if c["unrecorded_per_year"]]
    if estimates:
        parts.append("<h2>Estimated crimes not recorded each year</h2>" + _list(estimates))
    timed = doc["timeliness"]
    parts.append("<h2>Timeliness</h2>")
    parts.append(_share_chart("timeliness", [(SHORT[t["name"]], t["within_limit"], t["recorded"]) for t in timed],
                              "within the limit", "late"))
    parts.append(_list(t["phrase"] + (f" ({t['not_evaluable']} could not be timed)" if t["not_evaluable"] else "")
                       for t in timed if t["recorded"] or t["not_evaluable"]))
    n100 = doc["n100"]
    parts.append("<h2>Reports of rape held as N100</h2>")
    parts.append(_share_chart("n100", [("rape reports given an N100", n100["with_n100"],
                                        n100["rape_reports_needing_n100"]),
                                       ("N100 records correct", n100["n100_records"] - n100["n100_records_wrong"],
                                        n100["n100_records"])], "yes", "no"))
    parts.append(_list([n100["phrase"], n100["records_phrase"]]))
    cancelled = doc["cancellations"]
    parts.append("<h2>Transfers and cancellations</h2>")
    rows = [(f"{'all cancellations' if c['group'] == 'all' else SHORT[c['group']]} correct", c["correct"],
             c["reviewed"]) for c in cancelled]
    rows.append(("victims informed (all)", cancelled[-1]["victim_informed"], cancelled[-1]["victim_informed_required"]))
    parts.append(_share_chart("cancellations", rows, "correct / informed", "wrong / not informed"))
    parts.append(_list([c["phrase"] for c in cancelled] + [cancelled[-1]["victim_phrase"]]))
    if doc["judgements"]:
        parts.append("<h2>Auditors' judgements</h2>" + _list([doc["judgements"]["phrase"]]))
    if doc.get("review"):
        parts.append(_review_queue(doc["review"]))
    if doc.get("provenance"):
        parts.append(_provenance(doc["provenance"]))
    parts.append("<p class='small'>Definitions and the JSON schema: docs/audit.md in hocr-rules. Rates are of "
                 "disclosures that had to be recorded; cases the rules could not judge are counted apart.</p>")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
            + "\n".join(parts) + "</main></body></html>\n")


def _x(fraction: float) -> float:
    return LABEL + max(0.0, min(1.0, fraction)) * PLOT


def _axis(top: int, bottom: int) -> str:
    out = []
    for tick in range(0, 101, 20):
        x = _x(tick / 100)
        out.append(f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='#ddd'/>"
                   f"<text x='{x:.1f}' y='{bottom + 16}' font-size='12' text-anchor='middle' fill='#555'>"
                   f"{tick} %</text>")
    return "".join(out)


def _svg(name: str, height: int, label: str, body: str) -> str:
    """A chart in a box of its own that scrolls sideways on a phone, so the page does not and its labels stay
    legible (scaled to a 390 px screen, 12-unit text would be 4 px high)."""
    return (f"<div class='chart'><svg id='chart-{name}' xmlns='http://www.w3.org/2000/svg' "
            f"viewBox='0 0 {WIDTH} {height}' width='{WIDTH}' height='{height}' role='img' "
            f"aria-label='{escape(label)}'><title>{escape(label)}</title>{body}</svg></div>")


def _label(y: float, text: str) -> str:
    return (f"<text x='{LABEL - 10}' y='{y + 5:.1f}' font-size='14' text-anchor='end' fill='{INK}'>"
            f"{escape(text)}</text>")


def _value(y: float, text: str, colour: str = INK) -> str:
    return (f"<text x='{LABEL + PLOT + 16}' y='{y + 5:.1f}' font-size='14' fill='{colour}'>{escape(text)}</text>")


def _rate_chart(categories: list[dict]) -> str:
    top, legend = 30, ""
    body = [f"<defs><pattern id='few' width='8' height='8' patternUnits='userSpaceOnUse' "
            f"patternTransform='rotate(45)'><rect width='4' height='8' fill='{GREY}'/></pattern></defs>"]
    bottom = top + ROW * len(categories)
    body.append(_axis(top - 8, bottom))
    for index, c in enumerate(categories):
        y = top + index * ROW + ROW / 2
        body.append(_label(y, SHORT[c["name"]]))
        if c["rate"] is None:
            body.append(_value(y, "no cases", GREY))
            continue
        fill = "url(#few)" if c["too_few"] else BLUE
        body.append(f"<rect x='{LABEL}' y='{y - BAR / 2:.1f}' width='{_x(c['rate']) - LABEL:.1f}' height='{BAR}' "
                    f"fill='{fill}' opacity='0.85'><title>{escape(c['phrase'])}</title></rect>")
        low, high = _x(c["ci_low"]), _x(c["ci_high"])
        body.append(f"<line x1='{low:.1f}' y1='{y:.1f}' x2='{high:.1f}' y2='{y:.1f}' stroke='{INK}' "
                    f"stroke-width='2'/><line x1='{low:.1f}' y1='{y - 8:.1f}' x2='{low:.1f}' y2='{y + 8:.1f}' "
                    f"stroke='{INK}' stroke-width='2'/>")
        if not c["one_sided"]:
            body.append(f"<line x1='{high:.1f}' y1='{y - 8:.1f}' x2='{high:.1f}' y2='{y + 8:.1f}' stroke='{INK}' "
                        f"stroke-width='2'/>")
        if c["baseline"]:
            bx = _x(c["baseline"]["rate"])
            body.append(f"<path d='M{bx:.1f} {y - 9:.1f} l7 9 l-7 9 l-7 -9 z' fill='{ORANGE}' stroke='#fff'/>")
            legend = (f"<path d='M{LABEL + 330} 6 l6 7 l-6 7 l-6 -7 z' fill='{ORANGE}'/>"
                      f"<text x='{LABEL + 342}' y='18' font-size='12'>previous audit</text>")
        body.append(_value(y, "too few cases" if c["too_few"] else _rate_text(c), GREY if c["too_few"] else INK))
    body.append(f"<rect x='{LABEL}' y='6' width='14' height='12' fill='{BLUE}'/><text x='{LABEL + 20}' y='17' "
                f"font-size='12'>recording rate, with its confidence interval</text>"
                + legend)
    return _svg("recording-rate", bottom + 28, "Recording rate per category with confidence intervals",
                "".join(body))


def _rate_text(c: dict) -> str:
    """The rate beside its bar with its interval, as short as the phrase allows and with the same rounded bounds as
    the table beneath (never the rate alone: a reader of the chart would take it for a certain figure)."""
    if c["one_sided"]:
        return f"> {low_percent(c['ci_low'])}"
    if abs((c["ci_high"] - c["rate"]) - (c["rate"] - c["ci_low"])) > 1e-9:  # clipped at 0 or 100 %, or not Wald
        low, high = (bound.removesuffix(" %") for bound in (low_percent(c["ci_low"]), high_percent(c["ci_high"])))
        return f"{percent(c['rate'])} ({low}–{high})"
    return f"{percent(c['rate'])} ± {(c['ci_high'] - c['ci_low']) * 50:.2f}"


def _share_chart(name: str, rows: list[tuple[str, int, int]], good: str, bad: str) -> str:
    top = 30
    bottom = top + ROW * len(rows)
    body = [_axis(top - 8, bottom),
            f"<rect x='{LABEL}' y='6' width='14' height='12' fill='{GREEN}'/><text x='{LABEL + 20}' y='17' "
            f"font-size='12'>{escape(good)}</text><rect x='{LABEL + 200}' y='6' width='14' height='12' "
            f"fill='{RED}'/><text x='{LABEL + 220}' y='17' font-size='12'>{escape(bad)}</text>"]
    for index, (label, part, whole) in enumerate(rows):
        y = top + index * ROW + ROW / 2
        body.append(_label(y, label))
        if not whole:
            body.append(_value(y, "none", GREY))
            continue
        split = _x(part / whole)
        body.append(f"<rect x='{LABEL}' y='{y - BAR / 2:.1f}' width='{split - LABEL:.1f}' height='{BAR}' "
                    f"fill='{GREEN}'/><rect x='{split:.1f}' y='{y - BAR / 2:.1f}' "
                    f"width='{LABEL + PLOT - split:.1f}' height='{BAR}' fill='{RED}' opacity='0.8'/>")
        body.append(_value(y, f"{part} of {whole} ({percent(part / whole)})"))
    return _svg(name, bottom + 28, f"{name}: share {good}", "".join(body))


def _baseline_chart(compared: list[dict]) -> str:
    top = 30
    bottom = top + ROW * len(compared)
    body = [_axis(top - 8, bottom),
            f"<circle cx='{LABEL + 7}' cy='12' r='6' fill='{ORANGE}'/><text x='{LABEL + 20}' y='17' "
            f"font-size='12'>previous audit</text><circle cx='{LABEL + 167}' cy='12' r='6' fill='{BLUE}'/>"
            f"<text x='{LABEL + 180}' y='17' font-size='12'>this audit</text>"]
    for index, c in enumerate(compared):
        y = top + index * ROW + ROW / 2
        old, new = _x(c["baseline"]["rate"]), _x(c["rate"])
        body.append(_label(y, SHORT[c["name"]]))
        body.append(f"<line x1='{old:.1f}' y1='{y:.1f}' x2='{new:.1f}' y2='{y:.1f}' stroke='{GREY}' "
                    f"stroke-width='4'/><circle cx='{old:.1f}' cy='{y:.1f}' r='7' fill='{ORANGE}'/>"
                    f"<circle cx='{new:.1f}' cy='{y:.1f}' r='7' fill='{BLUE}'/>")
        body.append(_value(y, f"{c['baseline']['change'] * 100:+.1f} points"))
    return _svg("baseline", bottom + 28, "Recording rate compared with the previous audit", "".join(body))


def _category_table(categories: list[dict]) -> str:
    head = ("<table id='categories'><tr><th>category</th><th class='n'>had to be recorded</th>"
            "<th class='n'>recorded</th><th class='n'>not judged</th><th class='n'>rate</th>"
            "<th class='n'>interval</th><th>finding</th></tr>")
    rows = []
    for c in categories:
        rate = "" if c["rate"] is None else percent(c["rate"])
        interval = ("" if c["ci_low"] is None else f"more than {low_percent(c['ci_low'])}" if c["one_sided"] else
                    f"{low_percent(c['ci_low'])} to {high_percent(c['ci_high'])}")
        rows.append(f"<tr><td><b>{escape(SHORT[c['name']])}</b></td>"
                    f"<td class='n' data-label='had to be recorded'>{c['required']}</td>"
                    f"<td class='n' data-label='recorded'>{c['recorded']}</td>"
                    f"<td class='n' data-label='not judged'>{c['not_evaluable']}</td>"
                    f"<td class='n' data-label='rate'>{rate}</td><td class='n' data-label='interval'>{interval}</td>"
                    f"<td>{escape(_sentence(c['phrase']))}<br><span class='small'>"
                    f"{escape(_sentence(c['count_phrase']))}</span></td></tr>")
    return head + "".join(rows) + "</table>"


def _provenance(p: dict) -> str:
    """What made these figures: tool, rule pack, profile, inputs and time, so a reader can reproduce them."""
    profile = p["profile"]
    rows = [("tool", f"{p['tool']['name']} {p['tool']['version']}"),
            ("rule pack", f"{p['rule_pack']['rules']} rules, SHA-256 <code>{p['rule_pack']['sha256']}</code>"),
            ("profile", "none (the rules as published)" if profile is None else
             f"{escape(profile['file'])}, SHA-256 <code>{profile['sha256']}</code>; overrides: "
             f"<code>{escape(json.dumps(profile['overrides'], sort_keys=True))}</code>")]
    rows += [("input", f"{escape(i['file'])}, SHA-256 " + (f"<code>{i['sha256']}</code>" if i["sha256"] else
                                                         "not taken (standard input, or unreadable)"))
             for i in p["inputs"]]
    rows.append(("ran at", escape(p["ran_at"])))
    return ("<h2>Provenance</h2><table class='provenance' id='provenance'>"
            + "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows) + "</table>")


def _review_queue(review: dict) -> str:
    """The incidents the crime indicators put up as possible unrecorded crimes, with the evidence to read."""
    parts = ["<h2 id='review'>Review queue: possible unrecorded crimes</h2>", _list([review["phrase"]])]
    if review["queue"]:
        rows = "".join(
            f"<tr><td>{escape(item['incident'])}</td><td>{escape(' '.join(item['indicators']))}</td>"
            f"<td>{escape(', '.join(item['suggests']))}</td><td>{escape(item['judgement'] or 'open')}</td>"
            f"<td>{'<br>'.join(escape(e) for e in item['evidence'])}</td></tr>" for item in review["queue"])
        parts.append("<table id='review-queue'><tr><th>incident</th><th>indicators</th><th>suggests</th>"
                     f"<th>judgement</th><th>evidence</th></tr>{rows}</table>")
    if review["queue_truncated"]:
        parts.append(f"<p class='small'>{review['queue_truncated']} more incident(s) not listed; "
                     "`hocr check --format csv` lists every review.</p>")
    return "".join(parts)


def _list(items) -> str:
    return "<ul class='phrases'>" + "".join(f"<li>{escape(_sentence(i))}</li>" for i in items) + "</ul>"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")

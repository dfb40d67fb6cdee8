"""The audit document and the HTML page: figures checked against independently computed values and against the
published Kent 2017 inspection figures where they follow from counts."""

import json
import math
import re
from collections import Counter

import pytest
from scipy.stats import binomtest, norm

from hocr_rules.audit import html, report
from hocr_rules.audit.estimates import implied_recorded_per_year
from hocr_rules.audit.proportions import high_percent, low_percent
from hocr_rules.audit.tally import (CANCELLATION_GROUPS, CATEGORIES, TIMELINESS_GROUPS, AuditError, Cancellations,
                                    Recording, Tally, Timeliness)
from hocr_rules.offences import OffenceTable
from hocr_rules.screening import Summary


def tally(recording=None, timeliness=None, cancellations=None, **n100):
    """A tally holding the given counts, as if counted from incidents."""
    t = Tally(OffenceTable.load(), rule_codes=["NC02", "TL01", "CA09"])
    for name, (recorded, required) in (recording or {}).items():
        t.recording[name] = Recording(examined=required, required=required, recorded=recorded)
    for name, (within, timed) in (timeliness or {}).items():
        t.timeliness[name] = Timeliness(recorded=timed, within_limit=within, limits_hours=Counter({24: timed}))
    for name, (correct, reviewed, informed, needing) in (cancellations or {}).items():
        t.cancellations[name] = Cancellations(reviewed=reviewed, correct=correct, victim_informed=informed,
                                              victim_informed_required=needing)
    for key, value in n100.items():
        setattr(t.n100, key, value)
    return t.finish()


def category(doc, name):
    return next(c for c in doc["categories"] if c["name"] == name)


def wald_half_width_percent(k, n):
    p = k / n
    return norm.ppf(0.975) * math.sqrt(p * (1 - p) / n) * 100


# ---------------------------------------------------------------- Kent 2017
KENT = tally(
    recording={"rape": (102, 112), "domestic_abuse": (348, 446), "safeguarding_referral": (5, 18)},
    timeliness={"violence": (133, 292), "sexual": (142, 167), "other": (177, 290)},
    cancellations={"rape": (19, 19, 19, 19), "other_sexual": (13, 20, 13, 20), "violence": (11, 20, 10, 20),
                   "robbery": (9, 11, 7, 11)},
    needing=53, with_n100=36,
)


@pytest.mark.parametrize(("name", "k", "n", "what"), [
    ("rape", 102, 112, "reports of rape"),
    ("domestic_abuse", 348, 446, "reported domestic abuse crimes"),
    ("safeguarding_referral", 5, 18, "crimes reported through safeguarding (public protection) referrals"),
])
def test_kent_2017_recording_figures_are_stated_as_the_inspectorate_states_them(name, k, n, what):
    c = category(report.build(KENT), name)
    assert c["count_phrase"] == f"{k} of {n} {what} that should have been recorded were recorded"
    assert c["phrase"] == (f"{k / n * 100:.1f} % of {what} were recorded, confidence interval "
                           f"+/- {wald_half_width_percent(k, n):.2f} %")
    assert (c["required"], c["recorded"], c["not_recorded"]) == (n, k, n - k)


def test_kent_2017_rape_rate_is_91_1_percent_plus_or_minus_5_28():
    c = category(report.build(KENT), "rape")
    assert c["phrase"] == "91.1 % of reports of rape were recorded, confidence interval +/- 5.28 %"


def test_kent_2017_timeliness_is_worded_as_published():
    phrases = {t["name"]: t["phrase"] for t in report.build(KENT)["timeliness"]}
    assert phrases["violence"] == "133 of 292 violent crimes were recorded within 24 hours"
    assert phrases["sexual"] == "142 of 167 sexual offences were recorded within 24 hours"
    assert phrases["other"] == "177 of 290 other offences were recorded within 24 hours"


def test_kent_2017_cancellations_and_victims_informed():
    rows = {c["group"]: c for c in report.build(KENT)["cancellations"]}
    assert rows["rape"]["phrase"] == "19 of 19 rape cancellations were correct"
    assert rows["other_sexual"]["phrase"] == "13 of 20 other sexual offence cancellations were correct"
    assert rows["violence"]["phrase"] == "11 of 20 violent crime cancellations were correct"
    assert rows["robbery"]["phrase"] == "9 of 11 robbery cancellations were correct"
    assert (rows["all"]["correct"], rows["all"]["reviewed"]) == (52, 70)
    assert rows["all"]["victim_phrase"] == "49 of 70 victims were informed of the cancellation of their crime"


def test_kent_2017_n100_figure():
    phrase = report.build(KENT)["n100"]["phrase"]
    assert phrase == "an N100 was applied on 36 of 53 rape reports that should have had one"


@pytest.mark.parametrize(("name", "published", "k"), [("all", 24_300, 836), ("violence", 10_600, 792),
                                                       ("sexual", 400, 902)])
def test_kent_2017_over_n_not_recorded_each_year_from_the_published_rate_and_implied_recorded_total(name, published,
                                                                                                   k):
    recorded = math.ceil(implied_recorded_per_year(published, k / 1000))
    doc = report.build(tally(recording={name: (k, 1000)}), recorded_per_year={name: recorded})
    estimate = category(doc, name)["unrecorded_per_year"]
    assert estimate["value"] == pytest.approx(recorded * (1000 - k) / k)
    assert estimate["phrase"].startswith(f"over {published:,} ")
    assert estimate["low"] < estimate["value"] < estimate["high"]


def test_kent_re_inspection_compares_96_6_with_83_6_percent():
    baseline = report.Baseline("kent-2017.json", {"all": 0.836})
    doc = report.build(tally(recording={"all": (966, 1000)}), recorded_per_year={"all": 130_000}, baseline=baseline)
    compared = category(doc, "all")["baseline"]
    assert compared["change"] == pytest.approx(0.13)
    assert compared["additional_recorded_per_year"] == pytest.approx(130_000 * (0.966 - 0.836) / 0.966)
    assert compared["phrase"] == ("96.6 %, up 13.0 points from 83.6 %; an estimated 17,500 additional crimes "
                                  "recorded each year")


# ---------------------------------------------------------------- edge cases
def test_when_every_case_was_recorded_the_lower_bound_is_stated_not_an_interval():
    c = category(report.build(tally(recording={"all": (165, 165)})), "all")
    assert c["one_sided"] and c["ci_high"] == 1.0
    assert c["ci_low"] == pytest.approx(0.05 ** (1 / 165))
    assert c["phrase"] == "more than 98.2 % of reported crimes were recorded"


def test_0_of_n_gives_an_exact_upper_bound_and_no_yearly_estimate():
    doc = report.build(tally(recording={"all": (0, 40)}), recorded_per_year={"all": 1000})
    c = category(doc, "all")
    assert c["rate"] == 0.0 and c["ci_low"] == 0.0
    assert c["ci_high"] == pytest.approx(binomtest(0, 40).proportion_ci(0.95, method="exact").high)
    assert c["phrase"].startswith("0.0 % of reported crimes were recorded, confidence interval 0.0 % to ")
    assert c["unrecorded_per_year"] is None and any("no yearly estimate for all" in n for n in doc["notes"])


def test_a_category_with_no_cases_has_null_figures():
    c = category(report.build(tally()), "rape")
    assert (c["rate"], c["ci_low"], c["ci_high"], c["phrase"]) == (None, None, None, "no cases")
    assert c["count_phrase"] == "no reports of rape had to be recorded"


@pytest.mark.parametrize(("k", "n"), [(3, 4), (1, 1), (0, 2), (8, 9)])
def test_a_tiny_category_says_too_few_cases_rather_than_a_misleading_interval(k, n):
    doc = report.build(tally(recording={"rape": (k, n)}), recorded_per_year={"rape": 500})
    c = category(doc, "rape")
    assert c["too_few"] and c["phrase"] == f"too few cases (n = {n}) for a reliable rate"
    assert c["unrecorded_per_year"] is None


def test_min_cases_can_be_lowered_for_a_small_audit():
    assert not category(report.build(tally(recording={"rape": (3, 4)}), min_cases=4), "rape")["too_few"]


@pytest.mark.parametrize("method", ["wilson", "exact"])
def test_wilson_and_exact_intervals_match_scipy(method):
    c = category(report.build(tally(recording={"rape": (102, 112)}), method=method), "rape")
    expected = binomtest(102, 112).proportion_ci(0.95, method=method)
    assert (c["ci_low"], c["ci_high"]) == pytest.approx((expected.low, expected.high), abs=1e-9)
    assert c["ci_method"] == method


def test_confidence_other_than_95_percent():
    c = category(report.build(tally(recording={"rape": (102, 112)}), confidence=0.99), "rape")
    half = norm.ppf(0.995) * math.sqrt(102 / 112 * 10 / 112 / 112)
    assert c["ci_high"] - c["rate"] == pytest.approx(half)


def test_an_unknown_method_or_category_is_an_audit_error():
    with pytest.raises(AuditError, match="unknown interval method"):
        report.build(tally(recording={"all": (5, 10)}), method="bayes")
    with pytest.raises(AuditError, match="unknown category burglary"):
        report.build(tally(), recorded_per_year={"burglary": 10})


# ---------------------------------------------------------------- weights
def test_weighted_rates_use_the_weights_and_kishs_effective_sample_size():
    t = tally()
    t.recording["all"] = Recording(examined=30, required=30, recorded=20,
                                   weights=Counter({(True, 1.0): 15, (True, 4.0): 5, (False, 1.0): 5, (False, 4.0): 5}))
    t.weighted_incidents = t.incidents = 30
    c = category(report.build(t), "all")
    total, squares = 20 * 1.0 + 10 * 4.0, 20 * 1.0 + 10 * 16.0
    assert c["weighted"] and c["rate"] == pytest.approx((15 + 20) / total)
    assert c["effective_n"] == pytest.approx(total ** 2 / squares)
    assert c["ci_high"] - c["rate"] == pytest.approx(
        norm.ppf(0.975) * math.sqrt(c["rate"] * (1 - c["rate"]) / c["effective_n"]))
    assert not category(report.build(t, weighted=False), "all")["weighted"]


def test_partly_weighted_input_is_reported_unweighted_with_a_note():
    t = tally()
    t.recording["all"] = Recording(examined=3, required=3, recorded=2, unweighted=1, weights=Counter({(True, 2.0): 2}))
    t.incidents, t.weighted_incidents = 3, 2
    doc = report.build(t)
    assert not category(doc, "all")["weighted"]
    assert any("only 2 of 3 incidents carry a sampling weight" in note for note in doc["notes"])


# ---------------------------------------------------------------- the document
def test_the_document_has_the_documented_keys_and_is_strict_json():
    doc = report.build(KENT, Summary(read=10, evaluated=9, rejected=1), recorded_per_year={"rape": 900})
    text = json.dumps(doc, allow_nan=False)
    assert json.loads(text)["schema"] == "hocr-audit/1"
    assert [c["name"] for c in doc["categories"]] == list(CATEGORIES)
    for c in doc["categories"]:
        assert {"name", "required", "recorded", "rate", "ci_low", "ci_high", "ci_method"} <= set(c)
    assert [t["name"] for t in doc["timeliness"]] == list(TIMELINESS_GROUPS)
    assert all({"name", "recorded", "within_limit"} <= set(t) for t in doc["timeliness"])
    assert [c["group"] for c in doc["cancellations"]] == list(CANCELLATION_GROUPS) + ["all"]
    assert all({"group", "reviewed", "correct", "victim_informed", "victim_informed_required"} <= set(c)
               for c in doc["cancellations"])
    assert doc["input"] == {"read": 10, "evaluated": 9, "rejected": 1, "incidents_with_weight": 0}
    assert any("1 record(s) rejected" in note for note in doc["notes"])


def test_every_documented_key_is_in_docs_audit_md():
    documented = open("docs/audit.md", encoding="utf-8").read()
    doc = report.build(KENT, recorded_per_year={"rape": 900}, baseline=report.Baseline("b", {"rape": 0.8}))
    keys = set(doc) | set(doc["categories"][0]) | set(doc["timeliness"][0]) | set(doc["n100"]) \
        | set(doc["cancellations"][0]) | set(category(doc, "rape")["unrecorded_per_year"]) \
        | set(category(doc, "rape")["baseline"])
    missing = sorted(k for k in keys if f"`{k}`" not in documented and not re.search(rf"`[^`]*\b{k}\b[^`]*`",
                                                                                       documented))
    assert not missing, missing


def test_a_missing_ca09_is_said_rather_than_reporting_no_victims_to_inform():
    t = Tally(OffenceTable.load(), rule_codes=["NC02", "CA01"])
    assert any("CA09" in note for note in report.build(t.finish())["notes"])


# ---------------------------------------------------------------- baselines
def test_a_baseline_is_read_from_a_previous_audit_or_a_typed_in_figure(tmp_path):
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(report.build(KENT)))
    assert report.load_baseline(previous).rates == {"rape": pytest.approx(102 / 112),
                                                    "domestic_abuse": pytest.approx(348 / 446),
                                                    "safeguarding_referral": pytest.approx(5 / 18)}
    typed = tmp_path / "kent.json"
    typed.write_text('{"categories": [{"name": "all", "rate": 0.836}]}')
    assert report.load_baseline(typed).rates == {"all": 0.836}


@pytest.mark.parametrize(("text", "message"), [
    ("{", "is not JSON"), ("[]", "needs a list 'categories'"),
    ('{"categories": [{"name": "burglary", "rate": 0.5}]}', "categories.0.name: 'burglary'"),
    ('{"categories": [{"name": "all", "rate": 83.6}]}', "categories.0.rate: 83.6 is not a fraction"),
])
def test_a_bad_baseline_says_where_and_what(tmp_path, text, message):
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(AuditError, match=re.escape(message)):
        report.load_baseline(path)


def test_over_rounds_down_to_the_hundred_as_inspection_reports_do():
    assert [report.over(v) for v in (24_329.7, 24_300.0, 412.0, 47.0, 3.2, 0.4, 0)] == [
        "over 24,300", "about 24,300", "over 400", "over 40", "over 3", "fewer than 1", "no"]


# ---------------------------------------------------------------- HTML
def test_the_html_page_is_self_contained_and_shows_the_figures():
    baseline = report.Baseline("kent-2017.json", {"rape": 0.8})
    page = html.render(report.build(KENT, recorded_per_year={"rape": 900}, baseline=baseline), "Kent <audit>")
    assert page.startswith("<!DOCTYPE html>")
    for forbidden in ("<script", "src=", "href=", "@import", "url(http", "<link", "<img", "<iframe"):
        assert forbidden not in page.lower(), forbidden
    assert set(re.findall(r"https?://[^'\" ]+", page)) == {"http://www.w3.org/2000/svg"}  # the SVG namespace only
    assert "Kent &lt;audit&gt;" in page and "Kent <audit>" not in page
    for text in ("91.1 % of reports of rape were recorded", "133 of 292 violent crimes were recorded within 24 hours",
                 "19 of 19 rape cancellations were correct", "Compared with the previous audit"):
        assert text in page, text
    assert page.count("<svg") == 5  # rates, baseline, timeliness, N100, cancellations


def test_the_chart_gives_an_interval_clipped_at_100_percent_with_the_bounds_the_table_prints():
    # 13 of 15: the interval reaches 100 %, so "± x" would misstate it, and the rate alone would hide it
    doc = report.build(tally(recording={"all": (13, 15)}), min_cases=10)
    page, c = html.render(doc), category(doc, "all")
    assert c["ci_high"] == 1.0 and not c["one_sided"]
    low, high = (f(c[key]).removesuffix(" %") for f, key in ((low_percent, "ci_low"), (high_percent, "ci_high")))
    assert f">86.7 % ({low}–{high})</text>" in page
    assert f"{low} % to {high} %</td>" in page


def test_the_html_page_leaves_out_the_comparison_without_a_baseline():
    page = html.render(report.build(KENT))
    assert "Compared with the previous audit" not in page and page.count("<svg") == 4

"""On any incident the testing kit can generate (logs, code readings and all), the screen answers without error,
and a candidate is never raised where the incident already has a record that answers it."""

from hypothesis import given, settings

from hocr_rules.rulebook.pack import RulePack
from hocr_rules.testing.strategies import incidents

INDICATORS = RulePack.load().indicators


@settings(max_examples=200, deadline=None)
@given(incidents())
def test_the_screen_answers_every_incident(incident):
    for review in INDICATORS.screen(incident):
        assert review.incident == incident.id and review.evidence
        record = review.as_record()
        assert record["outcome"] == "review" and record["rule"] == review.rule.code
        for evidence in review.evidence:
            if evidence.kind == "phrase":
                assert incident.log[evidence.entry].text[evidence.start:evidence.end] == evidence.quote
        if review.rule.source.satisfied_by.any_record:
            assert not (incident.disclosures or incident.crime_records or incident.crime_numbers)

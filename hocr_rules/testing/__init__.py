"""The property-testing kit: Hypothesis strategies and assertions for tests on rules.

Generate incidents that honour the model (`incidents`), incidents recorded correctly by construction
(`compliant_incidents`), and incidents with exactly one known recording failure (`defective_incidents`,
labelled with the rule that must report it); then say what the engine must find (`assert_breaches`). The
guide, with worked examples of a property test on a new rule, is docs/property-testing.md.

    from hypothesis import given
    from hocr_rules.testing import assert_breaches, assert_no_breach, compliant_incidents, defective_incidents

    @given(compliant_incidents())
    def test_a_compliant_incident_has_no_breach(incident):
        assert_no_breach(incident)

    @given(defective_incidents())
    def test_each_defect_is_reported_by_its_rule_alone(case):
        incident, mutation = case
        assert_breaches(incident, mutation.expected)

Everything here is for tests: it needs `hypothesis` (`pip install -e '.[test]'`), which the engine does not.
"""

from hocr_rules.testing.assertions import (OutcomeKey, as_incident, assert_breaches, assert_no_breach,
                                           assert_outcome, breaches_of, default_engine, default_pack, outcomes_of,
                                           result_of)
from hocr_rules.testing.compliant import FRAGMENTS, compliant_incident_dicts, compliant_incidents
from hocr_rules.testing.mutations import (MUTATIONS, Mutation, defective_incident_dicts, defective_incidents,
                                          mutation, register)
from hocr_rules.testing.strategies import (cancellations, choices, clock_changes, code_readings, crime_records,
                                           disclosures, edition_starts, incident_dicts, incidents, instants,
                                           log_entries, log_spans, map_times, n100s, offences, people, seconds_of,
                                           shift_times, timestamps, write)

__all__ = [
    # strategies for valid incidents and their parts
    "incidents", "incident_dicts", "people", "disclosures", "crime_records", "cancellations", "n100s",
    "log_entries", "log_spans", "code_readings", "offences", "timestamps", "instants", "clock_changes", "edition_starts", "choices",
    # times in incident dicts
    "seconds_of", "write", "shift_times", "map_times",
    # compliant incidents and single-defect mutations
    "compliant_incidents", "compliant_incident_dicts", "FRAGMENTS",
    "defective_incidents", "defective_incident_dicts", "MUTATIONS", "Mutation", "mutation", "register",
    # assertions
    "assert_breaches", "assert_no_breach", "assert_outcome", "outcomes_of", "breaches_of", "result_of",
    "as_incident", "OutcomeKey", "default_engine", "default_pack",
]

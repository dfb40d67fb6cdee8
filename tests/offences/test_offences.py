"""What the engine learns from the offence table, by classification and by HO code."""

from datetime import date

import pytest

from hocr_rules.offences import OffenceTable, UnknownOffenceCode


@pytest.fixture(scope="module")
def table() -> OffenceTable:
    return OffenceTable.load()


def test_harassment_8l_is_a_conduct_crime_in_the_harassment_family(table):
    harassment = table.lookup("8L")
    assert harassment.code == "8L" and harassment.ho_code is None
    assert harassment.title == "Harassment"
    assert {"harassment_family", "conduct_crime", "harassment", "violence"} <= harassment.families


def test_malicious_communications_8r_is_in_the_harassment_family_but_not_a_conduct_crime(table):
    families = table.lookup("8R").families
    assert "harassment_family" in families and "conduct_crime" not in families


def test_stalking_8q_is_stalking_and_a_conduct_crime(table):
    assert {"stalking", "conduct_crime"} <= table.lookup("8Q").families


def test_ho_code_008_30_is_harassment_with_fear_of_violence_carrying_ten_years(table):
    fear = table.lookup("008/30")
    assert (fear.code, fear.classification, fear.ho_code) == ("008/30", "8L", "008/30")
    assert fear.max_sentence_months == 120
    assert fear.victim_based


@pytest.mark.parametrize("code", ["19C", "19D", "19E", "19F", "19G", "19H", "19J", "19K"])
def test_every_rape_classification_is_rape_sexual_and_victim_based(table, code):
    rape = table.lookup(code)
    assert {"rape", "sexual"} <= rape.families
    assert rape.victim_based
    assert rape.group == "sexual_offences"


def test_attempted_rape_sits_in_the_rape_classification(table):
    attempt = table.lookup("019/12")
    assert attempt.classification == "19C" and "rape" in attempt.families


@pytest.mark.parametrize("code", ["105A", "104", "008/06"])
def test_c5_self_defence_applies_to_common_assault_assault_on_a_constable_and_s47_abh(table, code):
    assert "c5_self_defence" in table.lookup(code).families


@pytest.mark.parametrize("code", ["008/01", "8N", "8S", "105B", "5D"])
def test_c5_self_defence_does_not_apply_to_gbh_or_to_assault_with_injury_as_a_whole(table, code):
    assert "c5_self_defence" not in table.lookup(code).families


def test_murder_and_manslaughter_are_homicide_but_attempted_murder_is_not(table):
    assert "homicide" in table.lookup("1").families
    assert "homicide" in table.lookup("4/1").families
    assert "homicide" not in table.lookup("2").families


def test_rape_is_more_serious_than_criminal_damage_with_a_longer_sentence(table):
    rape, damage = table.lookup("19C"), table.lookup("58A")
    assert rape.seriousness > damage.seriousness


def test_any_violent_crime_beats_any_property_crime_whatever_the_sentence(table):
    common_assault, burglary = table.lookup("105/01"), table.lookup("28I")
    assert common_assault.max_sentence_months < burglary.max_sentence_months
    assert common_assault.seriousness > burglary.seriousness


def test_a_classification_ranks_as_its_typical_offence_not_its_outlier(table):
    # 8N holds a few 7- and 14-year offences beside the 5-year ABH and s20 that make up nearly all of it
    assert table.lookup("8N").max_sentence_months == 60
    assert table.lookup("008/06").max_sentence_months == 60


def test_a_ho_code_keeps_its_own_sentence(table):
    assert table.lookup("008/30").max_sentence_months == 120  # s4 fear of violence, not s2's 6 months


@pytest.mark.parametrize("typed", ["8l", " 8L ", "8L"])
def test_classifications_are_found_however_they_are_typed(table, typed):
    assert table.lookup(typed).classification == "8L"
    assert typed in table


def test_nfib_codes_are_found_with_or_without_the_space(table):
    assert table.lookup("NFIB 11") == table.lookup("NFIB11")


def test_a_ho_code_shared_by_several_classifications_maps_to_the_general_one(table):
    assert table.lookup("008/06").classification == "8N"
    assert table.lookup("019/08").classification == "19C"


def test_a_ho_code_must_be_written_in_full(table):
    assert "8/30" not in table
    with pytest.raises(UnknownOffenceCode, match="008/30"):
        table.lookup("8/30")


def test_an_unknown_code_names_itself_and_suggests_the_nearest(table):
    with pytest.raises(UnknownOffenceCode) as caught:
        table.lookup("8Z")
    assert "'8Z'" in str(caught.value)
    assert caught.value.suggestions and "did you mean" in str(caught.value)


def test_codes_lists_classifications_and_ho_codes_in_reading_order(table):
    codes = table.codes()
    assert {"8L", "008/30", "19C", "NFIB11"} <= set(codes)
    assert codes.index("4/2") < codes.index("4/10")


def test_the_default_table_is_read_once(table):
    assert OffenceTable.load() is OffenceTable.load()


def test_an_offence_exists_from_its_commencement_up_to_the_day_before_its_cessation(table):
    threatening = table.lookup("005/28")
    assert threatening.commenced == date(2024, 1, 31) and threatening.ceased is None
    assert not threatening.in_force_on(date(2024, 1, 30)) and threatening.in_force_on(date(2024, 1, 31))
    photographs = table.lookup("008/71")
    assert photographs.in_force_on(date(2024, 1, 30)) and not photographs.in_force_on(date(2024, 1, 31))


def test_a_classification_exists_whenever_any_of_its_offences_does(table):
    assert table.lookup("8R").commenced == date(2015, 4, 13)  # 008/72's date, not 005/28's 2024
    assert table.lookup("8N").commenced is None and table.lookup("8N").ceased is None


@pytest.mark.parametrize(("code", "indictable"), [("34B", True), ("19C", True), ("001/01", True), ("8N", False),
                                                   ("105A", False), ("46", False)])
def test_an_offence_is_indictable_only_when_every_row_of_it_is_triable_only_on_indictment(code, indictable):
    assert ("indictable_only" in OffenceTable.load().lookup(code).families) is indictable


@pytest.mark.parametrize(("code", "summary"), [("105/01", True), ("195/94", True), ("105A", False), ("149/00", False),
                                               ("46", False), ("34B", False)])
def test_an_offence_is_summary_only_when_every_row_of_it_is_triable_only_summarily(code, summary):
    """Summary only is what gives a statutory time limit, the one case outcome 17 is for (OFG p. 20): 149/00 has a
    row triable either way, and 105A holds either-way assaults, so neither is summary only as recorded."""
    assert ("summary_only" in OffenceTable.load().lookup(code).families) is summary

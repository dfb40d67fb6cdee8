"""The condition language of rule files: what an author may write, what is refused and why, how missing data
propagates (Kleene's three-valued logic), and that a condition can never reach Python itself."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hocr_rules.compiler import Compiler
from hocr_rules.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse

T, F, U = True, False, None  # U: unknown (an absent fact)
HOUR = 3600.0


class Facts(dict):
    """Like the evaluator's facts mapping: a `let` step is computed the first time a condition reads it."""

    def __init__(self, values: dict, steps: dict):
        super().__init__(values)
        self.steps = steps

    def __missing__(self, key: str):
        value = self[key] = self.steps[key](self)
        return value


def compile_version(text: str, constants: dict | None = None, lets=(), applies: str = "true",
                    label: str = "TEST01 from 2025-04-01"):
    """(version, steps) for a breach test `text`: every name a fact under its own name, `let` steps under
    `TEST01:<name>`."""
    constants = constants or {}
    lets = [(name, parse(step)) for name, step in lets]
    nodes = [parse(text), parse(applies)] + [node for _, node in lets]
    names = set().union(*(node.names() for node in nodes)) - set(constants)
    keys = {name: name for name in names} | {name: f"TEST01:{name}" for name, _ in lets}
    return Compiler(keys, constants).function(lets, parse(applies), parse(text), label)


def run(text: str, constants: dict | None = None, **facts):
    """Compile `text` as a breach test in a rule that always applies, run it on `facts`, return the verdict."""
    version, steps = compile_version(text, constants)
    applies, verdict = version(Facts(facts, steps))
    assert applies is True
    return verdict


# ---------------------------------------------------------------- what a rule file may not write


@pytest.mark.parametrize(("text", "says"), [
    ("victim.age > 16", "'Attribute' is not allowed"),
    ("victims[0] == 'V1'", "'Subscript' is not allowed"),
    ("(lambda: 1)()", "only plain calls"),
    ("lambda: 1", "'Lambda' is not allowed"),
    ("[v for v in victims]", "'ListComp' is not allowed"),
    ("{v for v in victims}", "'SetComp' is not allowed"),
    ("{v: 1 for v in victims}", "'DictComp' is not allowed"),
    ("any(v for v in victims)", "unknown function 'any'"),
    ("(v for v in victims)", "'GeneratorExp' is not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("open('/etc/passwd')", "unknown function 'open'"),
    ("eval('1 + 1')", "unknown function 'eval'"),
    ("exec('x = 1')", "unknown function 'exec'"),
    ("getattr(victim, 'age')", "unknown function 'getattr'"),
    ("__builtins__", "names may not start with '_'"),
    ("__class__ == 1", "names may not start with '_'"),
    ("_private", "names may not start with '_'"),
    ("(limit := 24) > 1", "'NamedExpr' is not allowed"),
    ("f'{offence}' == '8L'", "'JoinedStr' is not allowed"),
    ("max(*hours, 1) > 2", "'Starred' is not allowed"),
    ("present(x=offence)", "only plain calls of the built-in functions"),
    ("offence.lower()", "only plain calls of the built-in functions"),
    ("count(flags)(1)", "only plain calls of the built-in functions"),
    ("hours ** 2 > 1", "operator 'Pow' is not allowed"),
    ("hours % 24 == 0", "operator 'Mod' is not allowed"),
    ("offence is victim", "comparison 'Is' is not allowed"),
    ("victim == None", "use present(x) or missing(x)"),
    ("{'a': 1} == offence", "'Dict' is not allowed"),
    ("import os", "not a valid expression"),
    ("a; b", "not a valid expression"),
    ("", "not a valid expression"),
])
def test_constructs_outside_the_whitelist_are_refused_with_a_reason(text, says):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert says in str(caught.value)


def test_an_unknown_function_is_refused_with_the_list_of_functions_there_are():
    with pytest.raises(ExpressionError) as caught:
        parse("system('rm -rf /')")
    message = str(caught.value)
    assert "unknown function 'system'" in message
    for name in ("hours_between", "present", "missing", "only_phrases", "contains_any"):
        assert name in message


def test_the_error_points_at_the_column_of_the_refused_part():
    with pytest.raises(ExpressionError) as caught:
        parse("has_crime_record and victim.age > 16")
    assert caught.value.column == len("has_crime_record and ") + 1


def test_a_function_called_with_the_wrong_number_of_arguments_says_how_many_it_takes():
    with pytest.raises(ExpressionError, match=r"hours_between\(\) takes 2 argument\(s\), got 1"):
        parse("hours_between(received_at) > 24")


def test_a_condition_must_be_text():
    with pytest.raises(ExpressionError, match="expected an expression as text, got int"):
        parse(24)


def test_the_names_a_condition_reads_are_known_before_it_runs():
    node = parse("hours_between(received_at, first_recorded_at) > limit_hours and 'rape' in families")
    assert node.names() == {"received_at", "first_recorded_at", "limit_hours", "families"}


# ---------------------------------------------------------------- limits


def test_an_expression_longer_than_the_limit_is_refused():
    text = "'" + "x" * (MAX_LENGTH - 1) + "'"
    with pytest.raises(ExpressionError, match=f"{MAX_LENGTH + 1} characters long; the limit is {MAX_LENGTH}"):
        parse(text)


def test_an_expression_exactly_at_the_length_limit_is_accepted():
    text = "'" + "x" * (MAX_LENGTH - 2) + "'"
    assert len(text) == MAX_LENGTH
    assert parse(text).value == "x" * (MAX_LENGTH - 2)


def test_nesting_deeper_than_the_limit_is_refused():
    with pytest.raises(ExpressionError, match=f"nested more than {MAX_DEPTH} levels deep"):
        parse("not " * (MAX_DEPTH + 1) + "flag")


def test_nesting_exactly_at_the_limit_is_accepted_and_runs():
    assert run("not " * MAX_DEPTH + "flag", flag=True) is (MAX_DEPTH % 2 == 0)


def test_parentheses_deeper_than_python_can_parse_are_an_expression_error_not_a_crash():
    with pytest.raises(ExpressionError):
        parse("(" * 300 + "flag" + ")" * 300)


def test_a_long_but_shallow_chain_of_conditions_compiles_and_runs():
    names = [f"c{i}" for i in range(100)]
    text = " and ".join(names)
    assert len(text) < MAX_LENGTH
    assert run(text, **{n: True for n in names}) is True
    assert run(text, **{n: True for n in names} | {"c99": None}) is None


# ---------------------------------------------------------------- three-valued logic

AND = {(T, T): T, (T, F): F, (T, U): U, (F, T): F, (F, F): F, (F, U): F, (U, T): U, (U, F): F, (U, U): U}
OR = {(T, T): T, (T, F): T, (T, U): T, (F, T): T, (F, F): F, (F, U): U, (U, T): T, (U, F): U, (U, U): U}
NOT = {T: F, F: T, U: U}


@pytest.mark.parametrize(("a", "b"), list(AND), ids=lambda v: {T: "true", F: "false", U: "unknown"}[v])
def test_and_follows_kleene(a, b):
    assert run("a and b", a=a, b=b) is AND[(a, b)]


@pytest.mark.parametrize(("a", "b"), list(OR), ids=lambda v: {T: "true", F: "false", U: "unknown"}[v])
def test_or_follows_kleene(a, b):
    assert run("a or b", a=a, b=b) is OR[(a, b)]


@pytest.mark.parametrize("a", list(NOT), ids=["true", "false", "unknown"])
def test_not_follows_kleene(a):
    assert run("not a", a=a) is NOT[a]


def test_a_known_false_decides_an_and_chain_whatever_else_is_unknown():
    assert run("a and b and c", a=U, b=F, c=U) is False
    assert run("a and b and c", a=U, b=T, c=T) is None


def test_a_known_true_decides_an_or_chain_whatever_else_is_unknown():
    assert run("a or b or c", a=U, b=U, c=T) is True
    assert run("a or b or c", a=U, b=F, c=F) is None


@pytest.mark.parametrize("text", [
    "a < 24", "a <= 24", "a > 24", "a >= 24", "a == 24", "a != 24", "24 < a", "1 < a < 30",
    "a + 1", "a - 1", "a * 2", "a / 2", "1 / a", "-a", "a == b", "a if a else 1",
])
def test_comparisons_and_arithmetic_with_an_unknown_value_are_unknown(text):
    assert run(text, a=None, b=None) is None


def test_an_unknown_value_is_not_equal_to_another_unknown_value_it_is_unknown():
    assert run("a == b", a=None, b=None) is None
    assert run("a != b", a=None, b=None) is None


def test_division_by_zero_is_unknown_rather_than_a_crash():
    assert run("hours / occasions", hours=12, occasions=0) is None


def test_arithmetic_and_comparisons_on_known_values_are_ordinary():
    assert run("hours_to_record > limit_hours", hours_to_record=25.0, limit_hours=24) is True
    assert run("1 < a < 3", a=2) is True
    assert run("a * 2 + 1 - -b / 2", a=3, b=4) == 9
    assert run("'yes' if a else 'no'", a=False) == "no"


@pytest.mark.parametrize(("value", "expected"), [("victim", T), ("witness", F), (None, U)])
def test_in_a_constant_list(value, expected):
    assert run("reported_by in ['victim', 'on_behalf_of_victim']", reported_by=value) is expected


@pytest.mark.parametrize(("value", "expected"), [("victim", F), ("witness", T), (None, U)])
def test_not_in_a_constant_list(value, expected):
    assert run("reported_by not in ['victim', 'on_behalf_of_victim']", reported_by=value) is expected


def test_a_constant_list_is_folded_into_one_set_when_parsed():
    node = parse("['N100/01', 'N100/02', 'N100/03']")
    assert node.op == "const" and node.value == frozenset({"N100/01", "N100/02", "N100/03"})


def test_membership_in_a_fact_that_holds_codes():
    assert run("'domestic_abuse' in qualifiers", qualifiers=frozenset({"domestic_abuse", "alcohol"})) is True
    assert run("'domestic_abuse' in qualifiers", qualifiers=frozenset()) is False
    assert run("'domestic_abuse' in qualifiers", qualifiers=None) is None


def test_a_list_of_facts_is_built_when_they_are_known_and_unknown_when_one_is_not():
    assert run("'8L' in [a, b]", a="8Q", b="8L") is True
    assert run("'8L' in [a, b]", a="8Q", b=None) is None


def test_true_and_false_are_written_in_lower_case():
    assert run("true and not false") is True


# ---------------------------------------------------------------- functions


def test_hours_between_two_times_in_epoch_seconds():
    assert run("hours_between(a, b)", a=1000.0, b=1000.0 + 25 * HOUR) == 25.0
    assert run("hours_between(a, b)", a=1000.0 + HOUR, b=1000.0) == -1.0


@pytest.mark.parametrize(("a", "b"), [(None, 10.0), (10.0, None), (None, None)])
def test_hours_between_with_a_time_missing_is_unknown(a, b):
    assert run("hours_between(a, b) > 24", a=a, b=b) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Victim withdrew.", True),
    ("victim withdrew and no further action", True),
    ("VICTIM WITHDREW - no further action", True),
    ("Victim withdrew; CCTV shows the named man in Leeds", False),
    ("CCTV", False),
])
def test_only_phrases_is_true_when_the_text_says_nothing_beyond_the_phrases(text, expected):
    assert run("only_phrases(avi, ['victim withdrew', 'no further action'])", avi=text) is expected


def test_only_phrases_of_an_absent_text_is_unknown():
    assert run("only_phrases(avi, ['victim withdrew'])", avi=None) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("CCTV shows him at work in Leeds", True),
    ("The cctv footage was reviewed", True),
    ("Seen on camera", False),
    ("Accountant", False),  # whole words only: 'cc' is not in 'Accountant'
])
def test_contains_any_matches_whole_words_whatever_the_case(text, expected):
    assert run("contains_any(avi, ['cctv', 'cc'])", avi=text) is expected


def test_contains_any_of_an_absent_text_is_unknown():
    assert run("contains_any(avi, ['cctv'])", avi=None) is None


@pytest.mark.parametrize(("value", "present"), [
    (None, False), ("", False), ([], False), ((), False), ("AVI: CCTV", True), (["V1"], True), (0, True),
    (False, True),
])
def test_present_and_missing_treat_absent_and_empty_alike(value, present):
    assert run("present(x)", x=value) is present
    assert run("missing(x)", x=value) is (not present)


@pytest.mark.parametrize("text", ["present(flags)", "not missing(flags)", "present([])"])
def test_an_empty_set_of_codes_is_not_present(text):
    assert run(text, flags=frozenset()) is False


def test_count_max_min_and_overlaps():
    assert run("count(victims)", victims=frozenset({"V1", "V2"})) == 2
    assert run("max(a, b)", a=3, b=7) == 7
    assert run("min(a, b)", a=3, b=7) == 3
    assert run("overlaps(flags, ['domestic_abuse', 'hate_crime'])", flags=frozenset({"hate_crime"})) is True
    assert run("overlaps(flags, ['domestic_abuse'])", flags=frozenset({"hate_crime"})) is False


@pytest.mark.parametrize("text", ["count(x)", "max(x, 1)", "min(1, x)", "overlaps(x, ['a'])"])
def test_functions_of_unknown_values_are_unknown(text):
    assert run(text, x=None) is None


# ---------------------------------------------------------------- the compiled function


def test_the_rule_is_out_of_scope_when_applies_is_false_and_the_test_is_not_run():
    version, _ = compile_version("b / 0 > 1", applies="a")
    assert version({"a": False, "b": 1}) == (False, None)
    assert version({"a": None, "b": 1}) == (None, None)
    assert version({"a": True, "b": 1}) == (True, None)


def test_let_steps_are_computed_under_their_own_key_and_read_by_later_steps():
    version, steps = compile_version("late > 0", {"limit_hours": 24},
                                     lets=[("hours", "hours_between(received_at, recorded_at)"),
                                           ("late", "hours - limit_hours")])
    assert set(steps) == {"TEST01:hours", "TEST01:late"}
    facts = Facts({"received_at": 0.0, "recorded_at": 25 * HOUR}, steps)
    assert version(facts) == (True, True)
    assert (facts["TEST01:hours"], facts["TEST01:late"]) == (25.0, 1.0)


def test_a_let_step_only_the_breach_test_needs_is_not_computed_when_the_rule_does_not_apply():
    version, steps = compile_version("hours > 24", lets=[("hours", "hours_between(a, b)")], applies="in_scope")
    facts = Facts({"in_scope": False, "a": 0.0, "b": 1.0}, steps)
    assert version(facts) == (False, None)
    assert "TEST01:hours" not in facts


def test_parameters_are_folded_in_as_constants_and_need_no_fact():
    assert run("hours > limit_hours", {"limit_hours": 24}, hours=25) is True
    assert run("reason in valid", {"valid": ["N100/01", "N100/02"]}, reason="N100/02") is True


def test_an_infinite_limit_compares_like_any_number():
    assert run("hours > limit_hours", {"limit_hours": float("inf")}, hours=10_000) is False


def test_a_type_mismatch_at_run_time_is_an_expression_error_naming_the_rule():
    with pytest.raises(ExpressionError, match="TEST01 from 2025-04-01"):
        run("classification > 3", classification="8L")


def test_generated_code_runs_without_builtins():
    version, _ = compile_version("a")
    assert version.__globals__["__builtins__"] == {}


@pytest.mark.parametrize("name", ["open", "len", "print", "eval", "exec"])
def test_a_name_that_is_also_a_python_builtin_reads_the_fact_of_that_name(name):
    assert run(name, **{name: "the fact's value"}) == "the fact's value"


def test_a_string_constant_that_looks_like_code_is_only_data(tmp_path):
    marker = tmp_path / "pwned"
    sneaky = f"x'); __import__('os').system('touch {marker}') #"
    assert run(f"a == {sneaky!r}", a=sneaky) is True
    assert run(f"a == {sneaky!r}", a="x") is False
    assert not marker.exists()


def test_a_label_that_looks_like_code_is_only_data(tmp_path):
    marker = tmp_path / "pwned"
    label = f"x'); __import__('os').system('touch {marker}') #"
    version, _ = compile_version("a", label=label)
    assert version({"a": True}) == (True, True)
    assert not marker.exists()


# ---------------------------------------------------------------- properties

NAMES = ("a", "b", "c")


def _leaf(name):
    if name in ("true", "false"):
        value = 1.0 if name == "true" else 0.0
        return name, lambda env: value
    return name, lambda env: env[name]


def _extend(children):
    def negate(child):
        text, fn = child
        return f"(not {text})", lambda env: 1.0 - fn(env)

    def combine(parts):
        (left, lf), op, (right, rf) = parts
        pick = min if op == "and" else max
        return f"({left} {op} {right})", lambda env: pick(lf(env), rf(env))

    return st.one_of(children.map(negate),
                     st.tuples(children, st.sampled_from(["and", "or"]), children).map(combine))


# (text, reference) where the reference reads truth values as numbers: false 0, unknown 0.5, true 1; Kleene's
# `and` is then min, `or` max and `not` 1 - x.
FORMULAS = st.recursive(st.sampled_from(NAMES + ("true", "false")).map(_leaf), _extend, max_leaves=10)
NUMBER = {False: 0.0, None: 0.5, True: 1.0}


@settings(max_examples=150, deadline=None)
@given(FORMULAS, st.tuples(st.booleans(), st.booleans(), st.booleans()))
def test_with_no_unknowns_and_or_not_agree_with_python(formula, values):
    text, _ = formula
    env = dict(zip(NAMES, values))
    expected = eval(text, {"__builtins__": {}}, {**env, "true": True, "false": False})  # our own generated text
    assert run(text, **env) is expected


@settings(max_examples=150, deadline=None)
@given(FORMULAS, st.tuples(*[st.sampled_from([True, False, None])] * 3))
def test_with_unknowns_and_or_not_follow_kleene(formula, values):
    text, reference = formula
    env = dict(zip(NAMES, values))
    verdict = run(text, **env)
    assert verdict in (True, False, None)
    assert NUMBER[verdict] == reference({k: NUMBER[v] for k, v in env.items()})


def test_every_combination_of_three_unknowable_facts_in_a_mixed_formula():
    # (a or b) and not c, by hand, for all 27 combinations
    for a, b, c in itertools.product((T, F, U), repeat=3):
        left = OR[(a, b)]
        assert run("(a or b) and not c", a=a, b=b, c=c) is AND[(left, NOT[c])], (a, b, c)


class _Vouching(Compiler):
    """A compiler told that `a` and `b` are never absent, as the rule programs are told of required fields."""

    def fact_present(self, key: str) -> bool:
        return key in ("a", "b")


@settings(max_examples=150, deadline=None)
@given(FORMULAS, st.tuples(st.booleans(), st.booleans(), st.sampled_from([True, False, None])))
def test_facts_vouched_present_compile_to_the_same_answers_without_their_unknown_tests(formula, values):
    text, _ = formula
    env = dict(zip(NAMES, values))
    keys = {name: name for name in NAMES}
    plain, _ = Compiler(keys, {}).function([], parse("true"), parse(text), "PLAIN")
    vouched, _ = _Vouching(keys, {}).function([], parse("true"), parse(text), "VOUCHED")
    assert vouched(Facts(env, {})) == plain(Facts(env, {}))


def test_a_constant_operand_decides_or_drops_out_of_and_and_or():
    assert run("false and a", a=None) is False
    assert run("true or a", a=None) is True
    assert run("true and a", a="text") is True   # still a truth value, as `and` gives
    assert run("false or a", a=None) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Victim withdrwe", True),                               # a typo in a long word is still the phrase
    ("Victim has withdrawn her complaint", True),            # filler words add nothing
    ("victim retracted allegation", True),                   # "victim retracted" does not hide the longer phrase
    ("Victim did not withdraw; bank letter shows card used", False),
])
def test_only_phrases_reads_phrases_through_typos_and_filler(text, expected):
    phrases = "['victim withdrew', 'withdrawn', 'victim has withdrawn', 'withdrawn her complaint', " \
              "'victim retracted', 'retracted allegation']"
    assert run(f"only_phrases(avi, {phrases})", avi=text) is expected

"""allowedPattern with the `regex` package: Java-like syntax compiles, a search that backtracks
gives up within its time and says so, in validation (W1005) and at the start of an execution."""

import pytest

from xacct.document.model import Parameter
from xacct.document.patterns import Patterns, compile_pattern, search
from xacct.engine.errors import ExecutionRejected
from xacct.engine.parameters import check_constraints

BACKTRACKS = r"^(a|aa)+$"  # every way to cut a run of a's: Fibonacci(length) tries when it fails
LONG_FAIL = "a" * 60 + "b"


def test_java_syntax_compiles():
    for pattern in (r"^\d++$", r"^(?>ab|a)c$", r"^\p{L}+$", r"^[a-z&&[^x]]+$"):
        assert compile_pattern(pattern).pattern is not None, pattern
    assert search(compile_pattern(r"^\d++$").pattern, "123") is True


def test_an_invalid_pattern_says_why():
    assert compile_pattern("([").error
    assert compile_pattern("(" * 5000).error  # deep nesting is a finding, not a RecursionError


def test_a_search_that_backtracks_is_not_told():
    assert search(compile_pattern(BACKTRACKS).pattern, LONG_FAIL, seconds=0.05) is None
    assert search(compile_pattern(BACKTRACKS).pattern, "a" * 60) is True


def test_a_document_has_a_limit_of_search_time():
    patterns = Patterns()
    assert patterns.search(BACKTRACKS, LONG_FAIL) is None
    spent = patterns.seconds_left
    for n in range(10):  # every other search gets what is left of the document's time, then none
        patterns.search(BACKTRACKS, LONG_FAIL + "a" * n)
    assert patterns.seconds_left <= 0 < spent
    assert patterns.search(BACKTRACKS, LONG_FAIL + "c") is None
    assert patterns.search(r"^a+b$", LONG_FAIL) is None  # even a quick one: the document's time is up


def test_a_start_with_a_value_that_backtracks_is_refused_as_ssm_refuses():
    param = Parameter(name="P", path=("parameters", "P"), type="String", allowed_pattern=BACKTRACKS)
    with pytest.raises(ExecutionRejected) as caught:
        check_constraints(param, LONG_FAIL)
    assert "could not be checked against" in str(caught.value)
    check_constraints(param, "a" * 60)  # matches: no error
    with pytest.raises(ExecutionRejected, match="not matching"):
        check_constraints(param, "b")

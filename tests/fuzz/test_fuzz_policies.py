"""Property-based fuzzing of the IAM evaluator through `xacct explain --request FILE`: mutated
real request files (wrong types anywhere, huge numbers, deep nesting, backtracking wildcards,
bytes that are not UTF-8) always end in a decision (exit 0 or 1) or in an error that names the
file and says where (exit 2), never in an exception."""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xacct.iam import Caller, PolicyError, PolicySet, Request, evaluate, parse_policy
from xacct.iam.request_file import RequestFileError, load_request

from .policies import REQUEST_FILES, SEEDS, STRUCTURAL, WRONG, run_explain

# XACCT_FUZZ_EXAMPLES=5000 for a long campaign; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("XACCT_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


@SETTINGS
@given(data=REQUEST_FILES)
def test_every_request_file_gets_an_answer(data):
    assert run_explain(data) in (0, 1, 2)


@SETTINGS
@given(data=STRUCTURAL)
def test_a_refusal_names_the_key(data):
    try:
        load_request(data)
    except RequestFileError as exc:
        message = str(exc)
        assert message and "Traceback" not in message
        assert len(message) < 2000, "a message shows a value's type, not the value"


@SETTINGS
@given(index=st.integers(0, len(SEEDS) - 1), value=WRONG, which=st.integers(0, 50))
def test_wrong_types_in_a_policy_document_are_refused_or_evaluated(index, value, which):
    """parse_policy straight from Python data (as world files give it), a node replaced."""
    seed = SEEDS[index]
    document = json.loads(json.dumps(seed.get("resourcePolicy") or seed["identityPolicies"][0]))
    document = document.get("document", document)
    statement = document["Statement"][which % len(document["Statement"])]
    element = sorted(statement)[which % len(statement)]
    statement[element] = value
    try:
        policy = parse_policy(document, "fuzzed")
    except PolicyError as exc:
        assert str(exc).startswith("fuzzed")
        return
    for caller in (Caller(seed["principal"]), Caller("*"), Caller("ssm.amazonaws.com")):
        request = Request(caller, seed["action"], seed.get("resource", "*"), None, {"aws:username": ["alice"]})
        evaluate(request, PolicySet(identity=[policy], resource=policy, boundaries=[policy], scps=[[policy]]))


@SETTINGS
@given(data=STRUCTURAL)
def test_a_decision_made_once_is_the_compiled_one(data):
    """`xacct explain` matches each statement as written (once=True); the sandbox gate compiles
    them: both must decide alike, down to the deciding statements and the near misses."""
    try:
        request, policies = load_request(data)
    except RequestFileError:
        return
    once = evaluate(request, policies, once=True)
    compiled = evaluate(*load_request(data))
    assert (once.decision, once.layer, once.missing) == (compiled.decision, compiled.layer, compiled.missing)
    assert [s.ref for s in once.statements] == [s.ref for s in compiled.statements]
    assert [str(n) for n in once.notes] == [str(n) for n in compiled.notes]

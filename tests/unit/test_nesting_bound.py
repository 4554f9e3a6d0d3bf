"""The depth pre-scan (document/nesting.py) answers large runbooks at C speed: reference braces
and selector brackets are pairs that nest one level, not one level each; real depth is still found."""

from xacct.document import nesting
from xacct.document.nesting import too_deep


def runbook(steps: int) -> str:
    lines = ["schemaVersion: '0.3'", "mainSteps:"]
    for i in range(steps):
        lines += [f"  - name: s{i}", "    action: aws:executeAwsApi",
                  "    inputs: {Service: ec2, Api: DescribeInstances, InstanceIds: ['{{ Ids }}']}",
                  "    outputs:", "      - {Name: State, Selector: '$.Reservations[0].Instances[0].State.Name', Type: String}"]
    return "\n".join(lines) + "\n"


def test_references_and_selectors_do_not_force_the_line_scan(monkeypatch):
    def scanned(*args):
        raise AssertionError("the line scan ran")

    monkeypatch.setattr(nesting._Scan, "line", scanned)
    assert too_deep(runbook(300), 200) is None


def test_a_deep_flow_collection_is_still_found():
    text = "v: " + "[" * 250 + "]" * 250 + "\n"
    assert too_deep(text, 200) is not None
    text = "v: '{{ x }}'\nw: " + "{a: " * 250 + "b" + "}" * 250 + "\n"
    assert too_deep(text, 200) is not None


def test_pairs_with_quotes_or_comments_between_are_counted_in_full():
    # the ']' inside quotes may be text: the '[' before it counts as a level
    text = "v: " + "[ ']'," * 150 + "\n"
    assert nesting._at_most(text) > 150


def test_a_quote_inside_a_plain_scalar_starts_no_quoted_pair():
    # x'y is a plain scalar; ' ]' is a quoted scalar holding the ']': the '[' stays open
    line = "[ x'y ' ]'"
    assert nesting._INNERMOST_PAIR.search(line) is None
    text = "v: " + "[ x'y ' ]',\n" * 150
    assert nesting._at_most(text) > 150

"""Flow rules (E3xxx). Sources: "Properties shared by all actions" (nextStep, isEnd, onFailure,
onCancel) and "aws:branch – Run conditional automation steps", AWS Systems Manager User Guide."""

from textwrap import dedent

import pytest

from .helpers import Case, check, runbook


def sleep(name, extra=""):
    return f"- name: {name}\n  action: aws:sleep\n  inputs: {{Duration: PT1S}}\n" + extra


CASES = [
    Case("E3001", "next-step", runbook(sleep("a", "  nextStep: c\n") + sleep("b")), True),
    Case("E3001", "on-failure", runbook(sleep("a", "  onFailure: 'step:gone'\n") + sleep("b")), True),
    Case("E3001", "branch-default", runbook(dedent("""
        - name: a
          action: aws:branch
          inputs:
            Choices: [{NextStep: b, Variable: '{{ P }}', StringEquals: x}]
            Default: nowhere
        """) + sleep("b"), "P: {type: String}"), True),
    Case("E3001", "into-a-loop", runbook(sleep("a", "  nextStep: inner\n") + dedent("""
        - name: each
          action: aws:loop
          inputs: {Iterators: [x], Steps: [{name: inner, action: aws:sleep, inputs: {Duration: PT1S}}]}
        """)), True),
    Case("E3001", "all-exist", runbook(sleep("a", "  nextStep: c\n  onFailure: 'step:b'\n  onCancel: 'step:b'\n")
                                       + sleep("b", "  isEnd: true\n") + sleep("c")), False),
    Case("E3002", "cancel-to-sleep", runbook(sleep("a", "  onCancel: 'step:b'\n") + sleep("b")), True),
    Case("E3002", "cancel-to-script", runbook(sleep("a", "  onCancel: 'step:cleanup'\n") + dedent("""
        - name: cleanup
          action: aws:executeScript
          inputs: {Runtime: python3.11, Handler: h, Script: 'def h(e, c): pass'}
        """)), False),
    Case("W3003", "after-end", runbook(sleep("a", "  isEnd: true\n") + sleep("b")), True),
    Case("W3003", "jumped-over", runbook(sleep("a", "  nextStep: c\n") + sleep("b") + sleep("c")), True),
    Case("W3003", "reached-by-failure", runbook(sleep("a", "  onFailure: 'step:b'\n  isEnd: true\n") + sleep("b")), False),
    Case("E3004", "self-loop", runbook(sleep("a", "  nextStep: a\n")), True),
    Case("E3004", "branch-without-exit", runbook(sleep("a") + dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices: [{NextStep: a, Variable: '{{ P }}', StringEquals: x}]
            Default: a
        """), "P: {type: String}"), True),
    Case("E3004", "poll-with-exit", runbook(sleep("a") + dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices: [{NextStep: a, Variable: '{{ P }}', StringEquals: x}]
            Default: done
        """) + sleep("done"), "P: {type: String}"), False),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_flow_rule(case):
    check(case)

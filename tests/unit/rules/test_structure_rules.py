"""Structure rules (E0xxx). Source: "Data elements and parameters", AWS Systems Manager User Guide."""

import pytest

from .helpers import SLEEP, Case, check, runbook

CASES = [
    Case("E0010", "missing", "mainSteps: []\n", True),
    Case("E0010", "command-document", runbook(SLEEP).replace('"0.3"', '"2.2"'), True),
    Case("E0010", "automation", runbook(SLEEP), False),
    Case("W0011", "bare-number", runbook(SLEEP).replace('"0.3"', "0.3"), True),
    Case("W0011", "quoted", runbook(SLEEP), False),
    Case("E0012", "not-a-mapping", "- a\n- b\n", True),
    Case("E0012", "no-main-steps", 'schemaVersion: "0.3"\n', True),
    Case("E0012", "steps-not-a-list", 'schemaVersion: "0.3"\nmainSteps: {a: 1}\n', True),
    Case("E0012", "parameters-a-list", runbook(SLEEP, extra="parameters: [a]"), True),
    Case("E0012", "outputs-not-strings", runbook(SLEEP, extra="outputs: [{a: 1}]"), True),
    Case("E0012", "well-formed", runbook(SLEEP, extra="description: fine\nassumeRole: '{{ Role }}'",
                                         parameters="Role: {type: String}"), False),
    Case("W0013", "unknown-element", runbook(SLEEP, extra="templateBody: x"), True),
    Case("W0013", "typo", runbook(SLEEP, extra="paramters: {}"), True),
    Case("W0013", "known-elements", runbook(SLEEP, extra="files: {}\nvariables: {}\noutputs: []"), False),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_structure_rule(case):
    check(case)

"""Every rule has at least one case that must fire and one that must not."""

from xacct.document.rules import RULES

from . import (
    test_api_rules,
    test_flow_rules,
    test_parameter_rules,
    test_reference_rules,
    test_step_rules,
    test_structure_rules,
)

ALL_CASES = [
    case
    for module in (test_structure_rules, test_parameter_rules, test_step_rules, test_flow_rules,
                   test_reference_rules, test_api_rules)
    for case in module.CASES
]


def test_every_rule_has_a_failing_and_a_passing_case():
    missing = []
    for rule in RULES:
        kinds = {case.fires for case in ALL_CASES if case.rule == rule.id}
        if kinds != {True, False}:
            missing.append(rule.id)
    assert not missing, f"rules without both a failing and a passing case: {missing}"


def test_every_rule_says_what_it_checks():
    for rule in RULES:
        assert rule.summary and rule.__doc__, rule.id

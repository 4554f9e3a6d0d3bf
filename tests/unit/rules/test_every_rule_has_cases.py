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
    for rule_id in [rule.id for rule in RULES] + [rule.warning_id for rule in RULES if rule.warning_id]:
        kinds = {case.fires for case in ALL_CASES if case.rule == rule_id}
        if kinds != {True, False}:
            missing.append(rule_id)
    assert not missing, f"rules without both a failing and a passing case: {missing}"


def test_every_rule_says_what_it_checks():
    for rule in RULES:
        assert rule.summary and rule.__doc__, rule.id
        assert not rule.warning_id or rule.warning_summary, rule.warning_id


def test_every_error_rule_cites_the_aws_page_behind_it():
    """An error is a claim about AWS: SSM refuses the document or the step certainly fails."""
    for rule in RULES:
        if rule.id.startswith("E"):
            assert rule.source.startswith("https://docs.aws.amazon.com/"), rule.id

"""Runbooks written the way AWS's own published runbooks are (SSM accepts and runs them): no
error-level finding on any of them, and each doubtful pattern still reported as the warning it
is. The S2 pitfall, a StringList reaching an API call's String parameter, stays an error."""

from pathlib import Path

import pytest

from xacct.document.validate import validate_file, validate_text

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "aws-style"
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "xacct" / "examples"

# The warnings each runbook earns: the patterns it was written to exercise.
EXPECTED_WARNINGS = {
    "optional-parameters.yaml": {"W1004", "W4001"},  # '' defaults vs allowedPattern; EXECUTION_ID default
    "ami-update.yaml": {"W5001"},  # runInstances InstanceIds into createImage InstanceId
    "loop-exit.yaml": set(),  # jumps out of a loop's steps are plain flow
    "template-and-scripts.yaml": {"W2005", "W2010", "W2012"},  # 900 s script, output without Type, python3.9
    "change-template.yaml": {"W2007"},  # EnhancedApprovals, pause Message
    "api-model-drift.yaml": {"W6001", "W6002", "W6003"},  # newer than this botocore
}


def test_every_runbook_has_its_expectation():
    assert sorted(p.name for p in FOLDER.glob("*.yaml")) == sorted(EXPECTED_WARNINGS)


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNINGS))
def test_no_error_on_what_aws_runs(name):
    findings = validate_file(str(FOLDER / name))
    errors = [f.text() for f in findings if f.severity == "error"]
    assert not errors, "\n".join(errors)
    assert {f.id for f in findings} == EXPECTED_WARNINGS[name], [f.text() for f in findings]


def test_s2_pitfall_is_still_an_error():
    """aws:executeAutomation's Output (a StringList) as aws:executeAwsApi's ImageId: botocore's
    type check refuses a list ("Invalid type for parameter ImageId")."""
    findings = validate_file(str(EXAMPLES / "s2-share-ami-unconverted.yaml"))
    assert [f.id for f in findings if f.severity == "error"] == ["E5001"]


def test_the_same_list_into_a_built_in_action_is_a_warning():
    text = (FOLDER / "ami-update.yaml").read_text()
    api_call = text.replace("    action: aws:createImage\n    inputs:\n      InstanceId:",
                            "    action: aws:executeAwsApi\n    inputs:\n      Service: ec2\n      Api: CreateImage\n"
                            "      Name: n\n      InstanceId:").replace("      ImageName: 'updated-{{ global:DATE_TIME }}'\n", "")
    ids = [f.id for f in validate_text(api_call, "api-call.yaml")]
    assert "E5001" in ids and "W5001" not in ids

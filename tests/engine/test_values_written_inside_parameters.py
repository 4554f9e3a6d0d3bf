"""References written inside a parameter's value are filled, once, where the value is used, as SSM
fills them: AWS-UpdateWindowsAmi's default TargetAmiName is
`UpdateWindowsAmi_from_{{SourceAmiId}}_on_{{global:DATE_TIME}}`, and AWS's walkthrough starts it
with `AutomationAssumeRole='arn:aws:iam::{{global:ACCOUNT_ID}}:role/AutomationServiceRole'`."""

import json

import pytest

from .helpers import run_text

ROLE = "nested-values-runner"
RUNBOOK = f"""
schemaVersion: "0.3"
assumeRole: "{{{{ AutomationAssumeRole }}}}"
parameters:
  AutomationAssumeRole: {{type: String, default: "arn:aws:iam::{{{{global:ACCOUNT_ID}}}}:role/{ROLE}"}}
  Source: {{type: String, default: ami-0123456789abcdef0}}
  ImageName: {{type: String, default: "copy_from_{{{{Source}}}}_in_{{{{ global:REGION }}}}"}}
  Note: {{type: String, default: "kept {{{{ elsewhere.Output }}}}"}}
mainSteps:
  - name: remember
    action: aws:executeAwsApi
    inputs:
      Service: ssm
      Api: PutParameter
      Name: /nested/image-name
      Type: String
      Overwrite: true
      Value: "{{{{ ImageName }}}} / {{{{ Note }}}}"
"""


@pytest.fixture(scope="module")
def runner(sandbox):
    iam = sandbox.client("iam", "us-east-1", sandbox.caller_credentials())
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=ROLE, PolicyName="put", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:PutParameter", "Resource": "*"}]}))
    return ROLE


def test_an_assume_role_and_a_default_with_references_inside_are_filled(runner, sandbox, store):
    final, result, execution = run_text(RUNBOOK, sandbox, store)
    assert final == "Success", result.get("FailureMessage")
    assert f":assumed-role/{ROLE}/" in execution.credentials.arn  # the filled role, assumed by SSM
    value = sandbox.client("ssm", "us-east-1", sandbox.caller_credentials()).get_parameter(
        Name="/nested/image-name")["Parameter"]["Value"]
    # a reference inside is filled once; one that names neither a parameter nor a system
    # variable stays as written
    assert value == "copy_from_ami-0123456789abcdef0_in_us-east-1 / kept {{ elsewhere.Output }}"


def test_a_given_value_with_references_inside_is_filled_too(runner, sandbox, store):
    final, _, _ = run_text(RUNBOOK, sandbox, store, parameters={
        "AutomationAssumeRole": [f"arn:aws:iam::{{{{global:ACCOUNT_ID}}}}:role/{ROLE}"],
        "ImageName": ["given_{{ global:AWS_PARTITION }}"]})
    assert final == "Success"
    value = sandbox.client("ssm", "us-east-1", sandbox.caller_credentials()).get_parameter(
        Name="/nested/image-name")["Parameter"]["Value"]
    assert value.startswith("given_aws / ")

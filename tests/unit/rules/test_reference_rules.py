"""Reference and type rules (E4xxx, E5xxx, W5xxx). Source: "Variables you can reference in
runbooks" and "Data elements and parameters", AWS Systems Manager User Guide."""

from textwrap import dedent

import pytest

from .helpers import Case, check, runbook

CREATE_IMAGE = dedent("""
    - name: makeImage
      action: aws:executeAutomation
      inputs:
        DocumentName: AWS-CreateImage
        RuntimeParameters: {InstanceId: ['{{ InstanceId }}']}
    """)


def share(image_id: str) -> str:
    return CREATE_IMAGE + dedent(f"""
        - name: share
          action: aws:executeAwsApi
          inputs:
            Service: ec2
            Api: modify-image-attribute
            ImageId: '{image_id}'
            LaunchPermission: {{Add: [{{UserId: '{{{{ global:ACCOUNT_ID }}}}'}}]}}
        """)


def tag(value: str, params: str = "") -> str:
    return runbook(dedent(f"""
        - name: tag
          action: aws:createTags
          inputs: {{ResourceIds: ['i-1'], Tags: [{{Key: k, Value: '{value}'}}]}}
        """), params)


CASES = [
    Case("E4001", "unknown-parameter", tag("{{ Nmae }}", "Name: {type: String}"), True),
    Case("E4001", "unknown-step", tag("{{ nostep.Out }}"), True),
    Case("E4001", "unknown-output", runbook(share("{{ makeImage.ImageId }}"), "InstanceId: {type: String}"), True),
    Case("E4001", "unknown-system", tag("{{ global:ACCOUNT }}"), True),
    Case("E4001", "undeclared-variable", tag("{{ variable:v }}"), True),
    Case("E4001", "parameter-store-in-step", tag("{{ ssm:/app/name }}"), True),
    Case("E4001", "document-output", runbook(CREATE_IMAGE, "InstanceId: {type: String}",
                                             "outputs: [makeImage.ImageId]"), True),
    Case("E4001", "parameter-referencing-parameter", tag("x", "A: {type: String}\nB: {type: String, default: '{{ A }}'}"), True),
    Case("E4001", "all-resolve", runbook(share("{{ makeImage.ExecutionId }}"), "InstanceId: {type: String}",
                                         "outputs: [makeImage.Output]"), False),
    Case("E4001", "system-and-variables", tag("{{global:REGION}}-{{ automation:EXECUTION_ID }}-{{ variable:v }}",
                                              ) .replace('schemaVersion: "0.3"\n',
                                                         'schemaVersion: "0.3"\nvariables:\n  v: {type: String}\n'), False),
    Case("E4002", "script-placeholder", runbook(dedent("""
        - name: fix
          action: aws:executeScript
          inputs: {Runtime: python3.11, Handler: handler, Script: '%%SCRIPT=fix.py%%'}
        """)), True),
    Case("W4002", "tag-placeholder", tag("%%ROLE=run%%"), True),
    Case("E4002", "tag-placeholder-is-no-error", tag("%%ROLE=run%%"), False),
    Case("E4002", "percent-in-text", tag("100% done"), False),
    Case("W4003", "later-step", runbook(dedent("""
        - name: first
          action: aws:createTags
          inputs: {ResourceIds: ['{{ second.ImageId }}'], Tags: []}
        - name: second
          action: aws:createImage
          inputs: {InstanceId: i-1, ImageName: n}
        """)), True),
    Case("W4003", "loop-counter-inside-loop", runbook(dedent("""
        - name: each
          action: aws:loop
          inputs:
            Iterators: [a, b]
            Steps:
              - {name: t, action: aws:createTags, inputs: {ResourceIds: ['{{ each.CurrentIteratorValue }}'], Tags: []}}
        """)), False),
    Case("E4004", "resource-id-in-runbook", tag("{{ RESOURCE_ID }}"), True),
    Case("E4004", "resource-id-in-run-command", runbook(dedent("""
        - name: rc
          action: aws:runCommand
          inputs: {DocumentName: AWS-RunShellScript, InstanceIds: ['{{ RESOURCE_ID }}']}
        """)), False),
    Case("E5001", "seed-002-pitfall", runbook(share("{{ makeImage.Output }}"), "InstanceId: {type: String}"), True),
    Case("W5001", "list-parameter-for-built-in-string", runbook(dedent("""
        - name: del
          action: aws:deleteImage
          inputs: {ImageId: '{{ Images }}'}
        """), "Images: {type: StringList}"), True),
    Case("E5001", "list-parameter-for-built-in-string-is-no-error", runbook(dedent("""
        - name: del
          action: aws:deleteImage
          inputs: {ImageId: '{{ Images }}'}
        """), "Images: {type: StringList}"), False),
    Case("E5001", "list-parameter-for-api-string", runbook(dedent("""
        - name: describe
          action: aws:executeAwsApi
          inputs: {Service: ec2, Api: DeregisterImage, ImageId: '{{ Images }}'}
        """), "Images: {type: StringList}"), True),
    Case("E5001", "list-inside-list", runbook(dedent("""
        - name: stop
          action: aws:changeInstanceState
          inputs: {InstanceIds: ['{{ Ids }}'], DesiredState: stopped}
        """), "Ids: {type: StringList}"), False),
    Case("E5001", "string-for-string", runbook(share("{{ makeImage.ExecutionId }}"), "InstanceId: {type: String}"), False),
    Case("W5002", "string-for-list", runbook(dedent("""
        - name: stop
          action: aws:executeAwsApi
          inputs: {Service: ec2, Api: StopInstances, InstanceIds: '{{ Id }}'}
        """), "Id: {type: String}"), True),
    Case("W5002", "wrapped", runbook(dedent("""
        - name: stop
          action: aws:executeAwsApi
          inputs: {Service: ec2, Api: StopInstances, InstanceIds: ['{{ Id }}']}
        """), "Id: {type: String}"), False),
    Case("W4001", "system-variable-in-default", tag("{{ P }}", "P: {type: String, default: '{{ automation:EXECUTION_ID }}'}"),
         True),
    Case("E4001", "system-variable-in-default-is-no-error",
         tag("{{ P }}", "P: {type: String, default: '{{ automation:EXECUTION_ID }}'}"), False),
    Case("W4001", "parameter-store-in-default", tag("{{ P }}", "P: {type: String, default: '{{ ssm:/team/name }}'}"), False),
    Case("E4001", "triple-braces-are-text", tag("{{{}}}"), False),
    Case("W4002", "percent-in-text", tag("100% done"), False),
    Case("W5001", "list-inside-list", runbook(dedent("""
        - name: stop
          action: aws:changeInstanceState
          inputs: {InstanceIds: ['{{ Ids }}'], DesiredState: stopped}
        """), "Ids: {type: StringList}"), False),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_reference_rule(case):
    check(case)

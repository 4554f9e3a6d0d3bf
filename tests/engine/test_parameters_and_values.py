"""Parameters at start (with AWS's InvalidAutomationExecutionParametersException texts), `{{ }}`
interpolation with types, variables, and output selectors with their types."""

import pytest

from xacct.engine import ExecutionRejected

from .helpers import run_text, step

PARAMS = """
schemaVersion: "0.3"
parameters:
  Name: {type: String, allowedPattern: '^[a-z]+$'}
  Count: {type: Integer, default: 2}
  Flag: {type: Boolean, default: false}
  Ids: {type: StringList, default: [a, b]}
  Mode: {type: String, default: fast, allowedValues: [fast, slow]}
  Tags: {type: StringMap, default: {k: v}}
mainSteps:
  - name: show
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      InputPayload:
        name: "{{ Name }}"
        count: "{{ Count }}"
        flag: "{{ Flag }}"
        ids: "{{ Ids }}"
        listed: ["x", "{{ Ids }}"]
        text: "{{ Name }}-{{ Count }}-{{ global:REGION }}"
        tags: "{{ Tags }}"
        id: "{{ automation:EXECUTION_ID }}"
      Script: |
        def handler(events, context):
            return events
    outputs:
      - {Name: Count, Selector: $.Payload.count, Type: Integer}
      - {Name: Listed, Selector: $.Payload.listed, Type: StringList}
      - {Name: Tags, Selector: $.Payload.tags, Type: StringMap}
      - {Name: Flag, Selector: $.Payload.flag, Type: Boolean}
"""


@pytest.mark.parametrize("given, message", [
    ({}, "Missing required parameter: Name in user inputs."),
    ({"Name": ["ok"], "Other": ["x"]}, "Undefined execution inputs: [Other]"),
    ({"Name": ["Not-OK"]}, 'Parameter "Name" has value "Not-OK" not matching "^[a-z]+$".'),
    ({"Name": ["ok"], "Mode": ["medium"]}, 'Parameter "Mode" has value "medium" not found in [fast, slow].'),
    ({"Name": ["ok"], "Count": ["two"]}, "Parameter 'Count' must be of type Integer; got ['two']."),
])
def test_bad_parameters_are_refused_before_anything_runs(given, message, sandbox, store):
    with pytest.raises(ExecutionRejected) as err:
        run_text(PARAMS, sandbox, store, parameters=given)
    assert err.value.code == "InvalidAutomationExecutionParametersException"
    assert err.value.message == message
    assert store.executions() == []


def test_values_keep_their_types(sandbox, store):
    status, result, execution = run_text(PARAMS, sandbox, store, parameters={"Name": ["ok"], "Count": ["5"]})
    assert status == "Success", result.get("FailureMessage")
    outputs = execution.outputs["show"]
    payload = outputs["Payload"]
    assert payload["count"] == 5 and payload["flag"] is False and payload["ids"] == ["a", "b"]
    assert payload["listed"] == ["x", "a", "b"]  # a StringList inside a list stands for its items
    assert payload["text"] == "ok-5-us-east-1"
    assert payload["tags"] == {"k": "v"} and payload["id"] == execution.id
    assert outputs["Count"] == 5 and outputs["Listed"] == ["x", "a", "b"] and outputs["Flag"] is False
    assert step(result, "show")["Outputs"]["Count"] == ["5"]
    assert result["Parameters"]["Ids"] == ["a", "b"]


def test_output_that_cannot_take_its_type_fails_the_step(sandbox, store):
    text = PARAMS.replace("{Name: Count, Selector: $.Payload.count, Type: Integer}",
                          "{Name: Count, Selector: $.Payload.name, Type: Integer}")
    status, result, _ = run_text(text, sandbox, store, parameters={"Name": ["ok"]})
    assert status == "Failed"
    assert "Output Count of type Integer cannot be set" in step(result, "show")["FailureMessage"]


def test_variables_and_update_variable(sandbox, store):
    text = """
    schemaVersion: "0.3"
    variables:
      counter: {type: Integer, default: 1}
    mainSteps:
      - name: bump
        action: aws:updateVariable
        inputs: {Name: "variable:counter", Value: 7}
      - name: check
        action: aws:branch
        inputs:
          Choices: [{NextStep: good, Variable: "{{ variable:counter }}", NumericEquals: 7}]
          Default: bad
      - {name: bad, action: aws:sleep, inputs: {Duration: PT0S}, isEnd: true}
      - {name: good, action: aws:sleep, inputs: {Duration: PT0S}}
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Success"
    assert step(result, "good")["StepStatus"] == "Success" and step(result, "bad")["StepStatus"] == "Pending"
    assert step(result, "check")["Outputs"]["NextStep"] == ["good"]


def test_unresolved_reference_fails_the_step(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: a
        action: aws:sleep
        inputs: {Duration: "{{ nowhere.Out }}"}
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Failed"
    assert "Unable to resolve {{nowhere.Out}}" in step(result, "a")["FailureMessage"]


def test_document_outputs_and_missing_ones(sandbox, store):
    text = """
    schemaVersion: "0.3"
    outputs: [a.Out, b.Out]
    mainSteps:
      - name: a
        action: aws:executeAwsApi
        inputs: {Service: sts, Api: GetCallerIdentity}
        outputs: [{Name: Out, Selector: $.Account, Type: String}]
        isEnd: true
      - name: b
        action: aws:executeAwsApi
        inputs: {Service: sts, Api: GetCallerIdentity}
        outputs: [{Name: Out, Selector: $.Account, Type: String}]
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Success"
    assert result["Outputs"]["a.Out"] == ["111111111111"]
    assert result["Outputs"]["b.Out"] == ["No output available yet because the step is not successfully executed"]

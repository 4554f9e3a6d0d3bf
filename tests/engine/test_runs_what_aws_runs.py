"""The engine runs what AWS runs (issue 11): jumps from a loop's steps to a step around the loop,
timeoutSeconds written as a string, allowedPattern in Java syntax, and defaults that their own
allowedPattern refuses. (A one-item StringList into a built-in action's String input:
test_aws_actions.test_run_instances_create_and_delete_image.)"""

import pytest

from xacct.engine.errors import ExecutionRejected

from .helpers import run_text, statuses, step

SCRIPT = "{Runtime: python3.11, Handler: h, InputPayload: {v: '{{ each.CurrentIteratorValue }}'}, "


def loop(inner_exit: str) -> str:
    return f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: each
        action: aws:loop
        inputs:
          Iterators: [a, b, c]
          Steps:
            - name: look
              action: aws:executeScript
              {inner_exit}
              inputs: {SCRIPT}Script: "def h(e, c):\\n    if e['v'] == 'x': raise ValueError('boom')\\n    return e"}}
              outputs: [{{Name: V, Selector: $.Payload.v, Type: String}}]
            - name: isB
              action: aws:branch
              inputs:
                Choices: [{{NextStep: found, Variable: '{{{{ look.V }}}}', StringEquals: b}}]
                Default: next
            - {{name: next, action: aws:sleep, inputs: {{Duration: PT0S}}}}
      - {{name: notFound, action: aws:sleep, inputs: {{Duration: PT0S}}, isEnd: true}}
      - {{name: found, action: aws:sleep, inputs: {{Duration: PT0S}}, isEnd: true}}
      - {{name: recover, action: aws:sleep, inputs: {{Duration: PT0S}}, isEnd: true}}
    """


def test_a_branch_out_of_a_loop_ends_it_and_goes_on_at_the_target(sandbox, store):
    status, result, execution = run_text(loop(""), sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    looks = [s for s in result["StepExecutions"] if s["StepName"] == "look"]
    assert len(looks) == 2  # a, then b: the loop ends there
    ran = statuses(result)
    assert ran["found"] == "Success" and ran["notFound"] == ran["recover"] == "Pending"  # never run
    assert execution.outputs["each"]["CurrentIteration"] == 2
    assert step(result, "each")["StepStatus"] == "Success"


def test_on_failure_out_of_a_loop_goes_on_at_the_target(sandbox, store):
    text = loop("onFailure: step:recover").replace("if e['v'] == 'x'", "if e['v'] == 'a'")
    status, result, _ = run_text(text, sandbox, store)
    ran = statuses(result)
    assert ran["look"] == "Failed" and ran["recover"] == "Success"
    assert ran["found"] == ran["notFound"] == "Pending"
    assert len([s for s in result["StepExecutions"] if s["StepName"] == "look"]) == 1


def test_a_loop_that_never_leaves_runs_every_iteration(sandbox, store):
    text = loop("").replace("StringEquals: b", "StringEquals: z")
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success"
    assert execution.outputs["each"]["CurrentIteration"] == 3 and statuses(result)["notFound"] == "Success"


@pytest.mark.parametrize("written", ["'1'", '"1"', "1"])
def test_timeout_seconds_as_a_string_is_enforced(written, sandbox, store):
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - {{name: wait, action: aws:sleep, timeoutSeconds: {written}, inputs: {{Duration: PT5S}}}}
    """
    status, result, _ = run_text(text, sandbox, store)
    assert step(result, "wait")["StepStatus"] == "TimedOut", result


JAVA = """
schemaVersion: "0.3"
parameters:
  Name: {type: String, allowedPattern: '^[\\p{Alnum}-_.]+$'}
  Path: {type: String, default: logs, allowedPattern: '^[\\w-\\/]+$'}
  Role: {type: String, default: '', allowedPattern: '^arn:aws:iam::\\d{12}:role/\\w+$'}
mainSteps:
  - {name: wait, action: aws:sleep, inputs: {Duration: PT0S}}
"""


@pytest.mark.parametrize("name, path", [("web-01_a.b", "a-b/c"), ("A1", "x")])
def test_java_patterns_accept_what_java_accepts(name, path, sandbox, store):
    status, _, execution = run_text(JAVA, sandbox, store, parameters={"Name": [name], "Path": [path]})
    assert status == "Success"
    assert execution.parameters["Role"] == ""  # a default its pattern refuses is used as it is


@pytest.mark.parametrize("name, path", [("café", "x"), ("a b", "x"), ("a", "a*b")])
def test_java_patterns_refuse_what_java_refuses(name, path, sandbox, store):
    # \p{Alnum} is ASCII in Java; a '-' after \w in a set is a literal hyphen, not a range
    with pytest.raises(ExecutionRejected, match="not matching"):
        run_text(JAVA, sandbox, store, parameters={"Name": [name], "Path": [path]})


def test_a_service_named_in_upper_case_is_called(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: regions
        action: aws:executeAwsApi
        inputs: {Service: EC2, Api: DescribeRegions}
        outputs: [{Name: Names, Selector: '$.Regions..RegionName', Type: StringList}]
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    assert "us-east-1" in execution.outputs["regions"]["Names"]

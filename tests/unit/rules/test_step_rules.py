"""Step and input rules (E2xxx). Sources: "Systems Manager Automation actions reference" and the
page of each action, AWS Systems Manager User Guide (page titles in src/xacct/actions/)."""

from textwrap import dedent

import pytest

from .helpers import SLEEP, Case, check, runbook

SCRIPT = """
- name: run
  action: aws:executeScript
  inputs:
    Runtime: {runtime}
    Handler: handler
    Script: "def handler(events, context): return {{}}"
  outputs:
    - {{Name: Out, Selector: {selector}, Type: String}}
"""


def script(runtime="python3.11", selector="$.Payload.x", edit=lambda text: text):
    return runbook(edit(SCRIPT.format(runtime=runtime, selector=selector)))


CASES = [
    Case("E2001", "dash", runbook(SLEEP.replace("name: wait", "name: wait-here")), True),
    Case("E2001", "missing", runbook("- action: aws:sleep\n  inputs: {Duration: PT1S}"), True),
    Case("E2001", "valid", runbook(SLEEP.replace("name: wait", "name: Wait_2")), False),
    Case("E2002", "twice", runbook(SLEEP + SLEEP), True),
    Case("E2002", "in-loop-too", runbook("""
        - name: wait
          action: aws:loop
          inputs:
            Iterators: [a]
            Steps:
              - {name: wait, action: aws:sleep, inputs: {Duration: PT1S}}
        """), True),
    Case("E2002", "unique", runbook(SLEEP + SLEEP.replace("wait", "wait2")), False),
    Case("E2003", "unknown", runbook("- {name: a, action: 'aws:sleeep', inputs: {}}"), True),
    Case("E2003", "internal", runbook("- {name: a, action: 'aws:shareSQLMedia', inputs: {}}"), True),
    Case("E2003", "missing", runbook("- {name: a, inputs: {}}"), True),
    Case("E2003", "documented", runbook(SLEEP), False),
    Case("W2004", "unknown-property", runbook(SLEEP + "  retries: 3\n"), True),
    Case("E2004", "no-inputs", runbook("- {name: a, action: 'aws:sleep'}"), True),
    Case("E2004", "pause-without-inputs", runbook("- {name: a, action: 'aws:pause'}"), False),
    Case("E2005", "zero-attempts", runbook(SLEEP + "  maxAttempts: 0\n"), True),
    Case("E2005", "timeout-text", runbook(SLEEP + "  timeoutSeconds: soon\n"), True),
    Case("W2005", "script-timeout-over-600", script(edit=lambda t: t.replace("  inputs:", "  timeoutSeconds: 900\n  inputs:")), True),
    Case("E2005", "script-timeout-over-600-is-no-error",
         script(edit=lambda t: t.replace("  inputs:", "  timeoutSeconds: 900\n  inputs:")), False),
    Case("E2005", "timeout-as-string", runbook(SLEEP + "  timeoutSeconds: '600'\n"), False),
    Case("E2005", "timeout-as-negative-string", runbook(SLEEP + "  timeoutSeconds: '-5'\n"), True),
    Case("E2005", "on-failure", runbook(SLEEP + "  onFailure: Retry\n"), True),
    Case("E2005", "on-cancel-continue", runbook(SLEEP + "  onCancel: Continue\n"), True),
    Case("E2005", "on-cancel-on-loop", runbook("""
        - name: each
          action: aws:loop
          onCancel: Abort
          inputs: {Iterators: [a], Steps: [{name: w, action: aws:sleep, inputs: {Duration: PT1S}}]}
        """), True),
    Case("E2005", "is-end", runbook(SLEEP + "  isEnd: maybe\n"), True),
    Case("E2005", "valid", runbook(SLEEP + "  maxAttempts: 3\n  timeoutSeconds: 60\n  onFailure: Continue\n"
                                   "  onCancel: Abort\n  isEnd: true\n  isCritical: false\n"), False),
    Case("E2005", "cloudformation-ref", runbook(SLEEP + "  timeoutSeconds: !Ref Timeout\n"), False),
    Case("E2006", "missing", runbook("- {name: a, action: 'aws:createImage', inputs: {InstanceId: i-1}}"), True),
    Case("E2006", "one-of", runbook("- {name: a, action: 'aws:sleep', inputs: {}}"), True),
    Case("E2006", "run-command-targets", runbook("- {name: a, action: 'aws:runCommand', inputs: {DocumentName: X}}"), True),
    Case("E2006", "complete", runbook("- {name: a, action: 'aws:createImage', inputs: {InstanceId: i-1, ImageName: n}}"), False),
    Case("W2007", "unknown", runbook("- {name: a, action: 'aws:sleep', inputs: {Duration: PT1S, Seconds: 3}}"), True),
    Case("W2007", "api-parameter-of-wrapped-operation", runbook(
        "- {name: a, action: 'aws:runInstances', inputs: {ImageId: ami-1, Foo: 1}}"), True),
    Case("W2007", "wrapped-operation-parameter", runbook(
        "- {name: a, action: 'aws:runInstances', inputs: {ImageId: ami-1, UserData: eA==, HibernationOptions: {}}}"), False),
    Case("E2008", "both", runbook("""
        - name: s
          action: aws:createStack
          inputs: {StackName: s, TemplateBody: '{}', TemplateURL: 'https://x'}
        """), True),
    Case("E2008", "targets-and-maps", runbook("""
        - name: s
          action: aws:executeAutomation
          inputs: {DocumentName: D, Targets: [], TargetMaps: []}
        """), True),
    Case("E2008", "one", runbook("- {name: s, action: 'aws:createStack', inputs: {StackName: s, TemplateBody: '{}'}}"), False),
    Case("E2009", "string-for-list", runbook(
        "- {name: a, action: 'aws:changeInstanceState', inputs: {InstanceIds: i-1, DesiredState: stopped}}"), True),
    Case("E2009", "not-allowed", runbook(
        "- {name: a, action: 'aws:changeInstanceState', inputs: {InstanceIds: [i-1], DesiredState: halted}}"), True),
    Case("E2009", "map-for-string", runbook("- {name: a, action: 'aws:deleteImage', inputs: {ImageId: {a: 1}}}"), True),
    Case("E2009", "valid", runbook(
        "- {name: a, action: 'aws:changeInstanceState', inputs: {InstanceIds: ['{{ Ids }}'], DesiredState: stopped}}",
        "Ids: {type: StringList}"), False),
    Case("E2010", "no-selector", runbook(SLEEP.replace("inputs:", "outputs: [{Name: a, Type: String}]\n  inputs:")), True),
    Case("E2010", "bad-type", script(edit=lambda t: t.replace("Type: String", "Type: Number")), True),
    Case("E2010", "not-a-list", runbook(SLEEP + "  outputs: {Name: a}\n"), True),
    Case("E2010", "well-formed", script(), False),
    Case("W2011", "bad-jsonpath", script(selector="'$.Payload[['"), True),
    Case("W2011", "script-outside-payload", script(selector="$.First"), True),
    Case("W2011", "property-selector", runbook("""
        - name: a
          action: aws:assertAwsResourceProperty
          inputs: {Service: ec2, Api: DescribeImages, PropertySelector: '$.Images[', DesiredValues: [x]}
        """), True),
    Case("W2011", "valid", script(selector="'$.Payload.items[0].id'"), False),
    Case("W2011", "whole-response", script(selector="$"), False),
    Case("W2012", "announced-python3.6", script(runtime="python3.6"), True),
    Case("W2012", "announced-python3.8", script(runtime="python3.8"), True),
    Case("E2012", "announced-is-no-error", script(runtime="python3.7"), False),
    Case("W2012", "deprecated", script(runtime="python3.9"), True),
    Case("E2012", "deprecated-is-no-error", script(runtime="python3.9"), False),
    Case("E2012", "unknown", script(runtime="ruby3.2"), True),
    Case("E2012", "no-handler", script(edit=lambda t: t.replace("    Handler: handler\n", "")), True),
    Case("E2012", "attachment-undeclared", script(edit=lambda t: t.replace(
        '    Script: "def handler(events, context): return {}"', "    Attachment: code.zip")), True),
    Case("E2012", "current", script(), False),
    Case("E2013", "no-next-step", runbook(dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices: [{Variable: '{{ P }}', StringEquals: a}]
        """) + SLEEP, "P: {type: String}"), True),
    Case("E2013", "two-operators", runbook(dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices: [{NextStep: wait, Variable: '{{ P }}', StringEquals: a, Contains: b}]
        """) + SLEEP, "P: {type: String}"), True),
    Case("E2013", "numeric-with-text", runbook(dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices: [{NextStep: wait, Variable: '{{ P }}', NumericGreater: many}]
        """) + SLEEP, "P: {type: Integer}"), True),
    Case("E2013", "nested-next-step", runbook(dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices:
              - NextStep: wait
                Not: {Variable: '{{ P }}', StringEquals: a, NextStep: wait}
        """) + SLEEP, "P: {type: String}"), True),
    Case("E2013", "valid", runbook(dedent("""
        - name: b
          action: aws:branch
          inputs:
            Choices:
              - NextStep: wait
                And:
                  - {Variable: '{{ P }}', StartsWith: a}
                  - Not: {Variable: '{{ N }}', NumericEquals: 3}
              - {NextStep: wait, Variable: '{{ B }}', BooleanEquals: true}
              - {NextStep: wait, Variable: '{{ N }}', NumericLesserOrEquals: '{{ N }}'}
            Default: wait
        """) + SLEEP, "P: {type: String}\nN: {type: Integer}\nB: {type: Boolean}"), False),
    Case("E2014", "too-many-iterations", runbook("""
        - name: each
          action: aws:loop
          inputs: {Iterators: [a], MaxIterations: 500, Steps: [{name: w, action: aws:sleep, inputs: {Duration: PT1S}}]}
        """), True),
    Case("E2014", "neither-style", runbook("""
        - name: each
          action: aws:loop
          inputs: {Steps: [{name: w, action: aws:sleep, inputs: {Duration: PT1S}}]}
        """), True),
    Case("E2014", "do-while", runbook("""
        - name: each
          action: aws:loop
          inputs:
            MaxIterations: 3
            LoopCondition: {Variable: '{{ each.CurrentIteration }}', NumericLesser: 3}
            Steps: [{name: w, action: aws:sleep, inputs: {Duration: PT1S}}]
        """), False),
    Case("E2015", "not-iso", runbook("- {name: s, action: 'aws:sleep', inputs: {Duration: 10 minutes}}"), True),
    Case("E2015", "too-long", runbook("- {name: s, action: 'aws:sleep', inputs: {Duration: P8D}}"), True),
    Case("E2015", "bad-timestamp", runbook("- {name: s, action: 'aws:sleep', inputs: {Timestamp: tomorrow}}"), True),
    Case("E2015", "valid", runbook("- {name: s, action: 'aws:sleep', inputs: {Duration: PT1H30M}}\n"
                                   "- {name: t, action: 'aws:sleep', inputs: {Timestamp: '2026-01-01T01:00:00Z'}}"), False),
    Case("E2016", "undeclared", runbook("- {name: u, action: 'aws:updateVariable', inputs: {Name: 'variable:x', Value: a}}"), True),
    Case("E2016", "no-prefix", runbook("- {name: u, action: 'aws:updateVariable', inputs: {Name: x, Value: a}}",
                                       extra="variables:\n  x: {type: String}"), True),
    Case("E2016", "wrong-type", runbook("- {name: u, action: 'aws:updateVariable', inputs: {Name: 'variable:x', Value: [a]}}",
                                        extra="variables:\n  x: {type: String}"), True),
    Case("E2016", "valid", runbook("- {name: u, action: 'aws:updateVariable', inputs: {Name: 'variable:x', Value: 2}}",
                                   extra="variables:\n  x: {type: Integer, default: 1}"), False),
    # Doubtful halves: reported as warnings, never as errors (docs/decisions/0015).
    Case("W2004", "known-properties", runbook(SLEEP + "  maxAttempts: 2\n"), False),
    Case("W2005", "script-timeout-at-600", script(edit=lambda t: t.replace("  inputs:", "  timeoutSeconds: 600\n  inputs:")),
         False),
    Case("W2010", "output-without-type", script(edit=lambda t: t.replace(", Type: String}", "}")), True),
    Case("E2010", "output-without-type-is-no-error", script(edit=lambda t: t.replace(", Type: String}", "}")), False),
    Case("W2010", "output-with-type", script(), False),
    Case("W2012", "current-runtime", script(runtime="python3.11"), False),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_step_rule(case):
    check(case)

"""The AWS calls a runbook's steps make, as IAM sees them: for `aws:executeAwsApi` and the wait
and assert actions, the operation they name; for the other built-in actions, the operations
xacct's handlers (and SSM's, per the actions reference) make. Inputs are filled with the parameter
values known before the run; what stays unknown (step outputs, parameters not given) keeps its
`{{ }}` so that doctor judges the action without guessing the resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..document.model import Document, Step
from ..engine.interpolate import interpolate
from ..iam.actions import Authorization, authorizations

API_NAMING_ACTIONS = ("aws:executeAwsApi", "aws:waitForAwsResourceProperty", "aws:assertAwsResourceProperty")
NOT_PARAMETERS = {"Service", "Api", "PropertySelector", "DesiredValues"}

# The operations each built-in action makes (the `call_api` calls of src/xacct/actions/, which
# follow the pages of the Automation actions reference). aws:changeInstanceState picks one by
# DesiredState and aws:createTags by ResourceType: see _built_in().
BUILT_IN: dict[str, tuple[tuple[str, str], ...]] = {
    "aws:createImage": (("ec2", "CreateImage"), ("ec2", "DescribeImages")),
    "aws:runInstances": (("ec2", "RunInstances"), ("ec2", "DescribeInstances")),
    "aws:copyImage": (("ec2", "DescribeImages"), ("ec2", "CopyImage")),
    "aws:deleteImage": (("ec2", "DescribeImages"), ("ec2", "DeregisterImage"), ("ec2", "DeleteSnapshot")),
    "aws:createStack": (("cloudformation", "DescribeStacks"), ("cloudformation", "CreateStack")),
    "aws:deleteStack": (("cloudformation", "DescribeStacks"), ("cloudformation", "DeleteStack")),
    "aws:executeStateMachine": (("stepfunctions", "StartExecution"), ("stepfunctions", "DescribeExecution")),
    "aws:invokeLambdaFunction": (("lambda", "Invoke"),),
    "aws:runCommand": (("ssm", "SendCommand"), ("ssm", "GetCommandInvocation")),
    "aws:executeAutomation": (("ssm", "StartAutomationExecution"), ("ssm", "GetAutomationExecution")),
}
DESIRED_STATE = {"running": "StartInstances", "stopped": "StopInstances", "terminated": "TerminateInstances"}


@dataclass(frozen=True)
class Call:
    step: str
    service: str
    operation: str
    authorization: Authorization

    @property
    def known_resource(self) -> bool:
        return "{{" not in self.authorization.resource and self.authorization.resource != "*"


def parameter_values(document: Document, given: dict[str, list[str]]) -> dict[str, Any]:
    """Values known before the run: those given, else the defaults."""
    values: dict[str, Any] = {}
    for name, parameter in document.parameters.items():
        if name in given:
            raw = given[name]
            values[name] = raw if parameter.type in ("StringList", "MapList") else (raw[0] if raw else "")
        elif parameter.has_default and parameter.default not in (None, ""):
            values[name] = parameter.default
    return values


def _steps(steps) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from _steps(step.steps)  # aws:loop


def _built_in(step: Step, inputs: dict) -> tuple[tuple[str, str], ...]:
    if step.action == "aws:changeInstanceState":
        wanted = DESIRED_STATE.get(str(inputs.get("DesiredState", "")).lower())
        return (("ec2", "DescribeInstances"),) + ((("ec2", wanted),) if wanted else ())
    if step.action == "aws:createTags":
        if str(inputs.get("ResourceType", "EC2")) == "EC2":
            return (("ec2", "CreateTags"),)
        return (("ssm", "AddTagsToResource"),)
    if step.action == "aws:approve" and inputs.get("NotificationArn"):
        return (("sns", "Publish"),)
    return BUILT_IN.get(step.action or "", ())


def runbook_calls(document: Document, values: dict[str, Any], *, region: str, account: str,
                  partition: str = "aws") -> list[Call]:
    """Every call of every step, with the resources IAM will judge."""

    def known(name: str) -> Any:
        if name == "global:REGION":
            return region
        if name == "global:ACCOUNT_ID":
            return account
        if name == "global:AWS_PARTITION":
            return partition
        return "{{ " + name + " }}"  # unknown until the run

    def lookup(name: str) -> Any:
        if name in values:
            # what is written inside a parameter's value is filled too, once, as SSM fills it
            return interpolate(values[name], lambda inner: values[inner] if inner in values else known(inner))
        return known(name)

    calls: list[Call] = []
    for step in _steps(document.steps):
        if not isinstance(step.inputs, dict):
            continue
        inputs = interpolate(step.inputs, lookup)
        if step.action == "aws:executeScript":
            for service, operation, literal in _script_operations(step):
                for authorization in authorizations(service, operation, literal, region=region, account=account,
                                                    partition=partition):
                    calls.append(Call(step.name or "?", service, operation, authorization))
            continue
        if step.action in API_NAMING_ACTIONS:
            service, operation = inputs.get("Service"), inputs.get("Api")
            if not isinstance(service, str) or not isinstance(operation, str) or "{{" in service + operation:
                continue
            operations = ((service, _operation_name(service, operation)),)
            params = {k: v for k, v in inputs.items() if k not in NOT_PARAMETERS}
        else:
            operations = _built_in(step, inputs)
            params = inputs
        for service, operation in operations:
            if service == "ssm" and operation == "StartAutomationExecution":
                params = {"DocumentName": params.get("DocumentName")}
            for authorization in authorizations(service, operation, params, region=region, account=account,
                                                partition=partition):
                calls.append(Call(step.name or "?", service, operation, authorization))
    return calls


def _script_operations(step: Step) -> Iterator[tuple[str, str, dict]]:
    """The client calls of a Python aws:executeScript step (script_calls.py), as botocore names
    the operations; a method the service's model lacks is no call (the run would fail first)."""
    from ..aws.models import operation_name
    from .script_calls import script_calls

    script = step.inputs.get("Script") if isinstance(step.inputs, dict) else None
    runtime = str(step.inputs.get("Runtime", "")) if isinstance(step.inputs, dict) else ""
    if not isinstance(script, str) or not runtime.startswith("python"):
        return
    for service, method, params in script_calls(script):
        try:
            operation = operation_name(service, method)
        except Exception:  # a service botocore does not know
            operation = None
        if operation:
            yield service, operation, params


def _operation_name(service: str, api: str) -> str:
    """The API's name as botocore's model spells it (runbooks may write describe_instances)."""
    from ..aws.models import operation_name

    return operation_name(service, api) or api


def target_resolution_calls(keys: list[str], *, region: str, account: str, partition: str = "aws") -> list[Call]:
    """The calls that resolve --targets into resources before any child runs (engine/targets.py):
    tags through the Resource Groups Tagging API, a resource group through Resource Groups and
    that API."""
    operations: list[tuple[str, str]] = []
    for key in keys:
        if key.startswith("tag:") or key == "tag-key":
            operations.append(("resourcegroupstaggingapi", "GetResources"))
        elif key == "ResourceGroup":
            operations += [("resource-groups", "ListGroupResources"), ("resourcegroupstaggingapi", "GetResources")]
    calls = []
    for service, operation in dict.fromkeys(operations):
        for authorization in authorizations(service, operation, {}, region=region, account=account,
                                            partition=partition):
            calls.append(Call("(targets)", service, operation, authorization))
    return calls

"""CloudFormation templates deployed into a world's account: what moto's CloudFormation supports
goes to it; AWS::SSM::Association, which moto skips while reporting success, is xacct's: after
the stack is complete the association runs its document for each target, as State Manager does
when an association is created. Any other type moto does not support is refused, never skipped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

XACCT_TYPES = {"AWS::SSM::Association"}


@dataclass
class Deployed:
    stack: str
    executions: list[str]  # the association runs started


def supported_types() -> set[str]:
    from moto.cloudformation.parsing import get_model_map

    return {k for k in get_model_map() if k.startswith("AWS::")} | XACCT_TYPES


def unsupported(template: dict) -> list[tuple[str, str]]:
    """(logical ID, type) of each resource the sandbox cannot deploy."""
    known = supported_types()
    return [(name, r.get("Type")) for name, r in (template.get("Resources") or {}).items()
            if isinstance(r, dict) and r.get("Type") not in known and not str(r.get("Type", "")).startswith("Custom::")]


class _Resolver:
    """Intrinsic functions of the association's properties, against the deployed stack."""

    def __init__(self, cloud, admin, region: str, parameters: dict, physical: dict, account: str):
        self.cloud, self.admin, self.region = cloud, admin, region
        self.parameters, self.physical, self.account = parameters, physical, account

    def value(self, item: Any) -> Any:
        if isinstance(item, list):
            return [self.value(v) for v in item]
        if not isinstance(item, dict):
            return item
        if len(item) == 1:
            (key, arg), = item.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._attribute(name, attribute)
            if key == "Fn::Sub":
                text, extra = (arg[0], self.value(arg[1])) if isinstance(arg, list) else (arg, {})
                import re

                return re.sub(r"\$\{([^}!][^}]*)\}", lambda m: str(extra.get(m.group(1)) or self._ref(m.group(1))), text)
            if key == "Fn::Join":
                separator, items = arg
                return separator.join(str(v) for v in self.value(items))
        return {k: self.value(v) for k, v in item.items()}

    def _ref(self, name: str) -> Any:
        pseudo = {"AWS::AccountId": self.account, "AWS::Region": self.region, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.physical.get(name, name)

    def _attribute(self, name: str, attribute: str) -> Any:
        physical = self.physical.get(name)
        if attribute == "Arn":
            try:
                return self.cloud.client("iam", "us-east-1", self.admin).get_role(RoleName=physical)["Role"]["Arn"]
            except Exception:
                return physical
        return physical


def _parameters(template: dict, given: dict) -> dict:
    values = {}
    for name, spec in (template.get("Parameters") or {}).items():
        value = given.get(name, (spec or {}).get("Default"))
        values[name] = str(value) if value is not None else ""
    return values


def deploy(cloud, admin, account: str, region: str, path: str, stack: str, given: dict, store,
           text: str | None = None) -> Deployed:
    """Deploy the template at `path` (whose `text` the caller may have read already); run its
    associations; raise ValueError for what cannot be."""
    from ...document.loader import is_template
    from ...document.parse import ParseError, parse_text

    if text is None:
        from ...document.loader import MAX_FILE_BYTES

        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_FILE_BYTES + 1)  # a bound, for a path that is a device or a pipe
        if len(text) > MAX_FILE_BYTES:
            raise ValueError(f"{path}: more than {MAX_FILE_BYTES // 1048576} MB; CloudFormation takes templates "
                             "of at most 1 MB")
    try:
        template = parse_text(text, json_mode=text.lstrip().startswith("{")).data
    except ParseError as exc:
        raise ValueError(f"{path}:{exc.mark.line}:{exc.mark.column}: {exc.message}") from None
    if not is_template(template) or not isinstance(template.get("Resources"), dict) or not all(
            isinstance(r, dict) for r in template["Resources"].values()):
        raise ValueError(f"{path} is not a CloudFormation template (Resources, each a mapping with a Type)")
    refused = unsupported(template)
    if refused:
        names = ", ".join(f"{n} ({t})" for n, t in refused)
        raise ValueError(f"the sandbox cannot deploy {names}: moto's CloudFormation does not support "
                         f"{'this type' if len(refused) == 1 else 'these types'}")
    associations = {n: r for n, r in template["Resources"].items() if r.get("Type") in XACCT_TYPES}
    body = {**template, "Resources": {n: r for n, r in template["Resources"].items() if n not in associations}}
    body.pop("Outputs", None)  # outputs may name the associations moto never sees
    cfn = cloud.client("cloudformation", region, admin)
    parameters = _parameters(template, given)
    cfn.create_stack(StackName=stack, TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in given.items()])
    resources = cfn.describe_stack_resources(StackName=stack)["StackResources"]
    physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in resources}
    resolver = _Resolver(cloud, admin, region, parameters, physical, account)
    _attach_managed_policies(cloud, admin, template, physical, resolver)
    executions = []
    for name, resource in associations.items():
        executions += _run_association(cloud, admin, region, resolver.value(resource.get("Properties") or {}), store)
    return Deployed(stack, executions)


def _attach_managed_policies(cloud, admin, template: dict, physical: dict, resolver: "_Resolver") -> None:
    """moto's CloudFormation creates roles without their ManagedPolicyArns; attach them."""
    iam = cloud.client("iam", "us-east-1", admin)
    for name, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::IAM::Role" or not physical.get(name):
            continue
        for arn in resolver.value((resource.get("Properties") or {}).get("ManagedPolicyArns") or []):
            iam.attach_role_policy(RoleName=physical[name], PolicyArn=str(arn))  # the gate makes AWS's own


def _targets(cloud, admin, region: str, targets: list) -> list[str]:
    ec2 = cloud.client("ec2", region, admin)
    filters = []
    ids: list[str] = []
    for target in targets or []:
        key, values = target.get("Key", ""), target.get("Values", [])
        if key.startswith("tag:"):
            filters.append({"Name": key, "Values": values})
        elif key == "InstanceIds":
            ids += values
    if filters:
        reservations = ec2.describe_instances(Filters=filters + [{"Name": "instance-state-name",
                                                                    "Values": ["pending", "running", "stopped"]}])
        ids += [i["InstanceId"] for r in reservations["Reservations"] for i in r["Instances"]]
    return ids


def _run_association(cloud, admin, region: str, properties: dict, store) -> list[str]:
    from ...engine import run, start_runbook
    from ...engine.documents import by_name

    name = properties.get("Name")
    parameters = properties.get("Parameters") or {}
    target_parameter = properties.get("AutomationTargetParameterName")
    runbook = by_name(str(name), cloud, admin, region)
    runs = []
    for resource in _targets(cloud, admin, region, properties.get("Targets")) or [None]:
        given = {}
        for key, values in parameters.items():
            values = values if isinstance(values, list) else [values]
            given[key] = [str(v).replace("{{RESOURCE_ID}}", resource or "").replace("{{ RESOURCE_ID }}", resource or "")
                          for v in values]
        if target_parameter and resource and target_parameter not in given:
            given[target_parameter] = [resource]
        execution = start_runbook(runbook, cloud=cloud, store=store, region=region, parameters=given, caller=admin)
        run(execution)
        runs.append(execution.id)
    return runs

"""AMIs the run launches in a target account (story S3): an image of another account must be
shared with the target; if its snapshots are encrypted with a customer managed key, the key policy
must let the target use it; and Auto Scaling launches as the target's service-linked role, which
needs a grant made from the target. Without these the launch ends with "Client.InternalError:
Client error on launch", not with an AccessDenied. What is missing is what `xacct ami share` would
do, so doctor asks its planner and reports each planned change as a finding.

The images are the AMI IDs given as parameters and the literal ImageId inputs of the steps; Auto
Scaling is assumed when the runbook calls the autoscaling API.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from botocore.exceptions import ClientError

from ..ami_share import PlanError, plan_share
from .calls import parameter_values, runbook_calls
from .checkup import Checkup
from .findings import Finding
from .reader import Unreadable

IMAGE_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")
BY_COMMAND = (("aws ec2 modify-image-attribute", "D501", "launch-permission"),
              ("aws ec2 modify-snapshot-attribute", "D502", "launch-permission"),
              ("aws kms put-key-policy", "D503", "kms"),
              ("aws kms create-grant", "D504", "grant"),
              ("aws iam create-service-linked-role", "D506", "trust"))


def _literal_images(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("ImageId", "ImageIds") and isinstance(item, (str, list)):
                yield from (i for i in ([item] if isinstance(item, str) else item)
                            if isinstance(i, str) and IMAGE_ID.match(i))
            else:
                yield from _literal_images(item)
    elif isinstance(value, list):
        for item in value:
            yield from _literal_images(item)


def images_of(checkup: Checkup) -> list[str]:
    found = list(checkup.images)
    for step in checkup.runbook.document.steps:
        found += _literal_images(step.inputs)
    return list(dict.fromkeys(found))


def _owner(checkup: Checkup, image_id: str, region: str, accounts: list[str]) -> str | None:
    for account in accounts:
        try:
            images = checkup.reader.client("ec2", account, region).describe_images(ImageIds=[image_id])["Images"]
        except (ClientError, Unreadable):
            continue
        if images:
            return images[0]["OwnerId"]
    return None


def launchable(checkup: Checkup, account: str, region: str) -> Iterator[Finding]:
    images = images_of(checkup)
    if not images:
        return
    values = parameter_values(checkup.runbook.document, checkup.given)
    autoscaling = any(call.service == "autoscaling" for call in runbook_calls(
        checkup.runbook.document, values, region=region, account=account, partition=checkup.partition))
    for image_id in images:
        owner = _owner(checkup, image_id, region, [checkup.account, account])
        if owner is None:
            yield Finding("D501", "error", account, region,
                          f"{image_id} is neither an image of {checkup.account} nor one shared with {account} in "
                          f"{region}", f"share it from its owner: xacct ami share {image_id} --to {account} "
                          f"--region {region}", layer="launch-permission")
            continue
        if owner == account:
            continue
        try:
            plan = plan_share(checkup.reader.cloud, image_id, region, checkup.reader.credentials(owner), [account],
                              [region], for_autoscaling=autoscaling,
                              target_credentials_for=checkup.reader.credentials)
        except (PlanError, Unreadable) as exc:
            yield Finding("D901", "info", owner, region, str(exc), "pass --read-role-name", layer="read")
            continue
        for action in plan.actions:
            finding_id, layer = next(((fid, lay) for prefix, fid, lay in BY_COMMAND
                                      if action.command.startswith(prefix)), ("D501", "launch-permission"))
            yield Finding(finding_id, "error", action.account, action.region,
                          f"{image_id} of {owner}, launched in {account}: {action.why}", action.command,
                          layer=layer, apply=action.apply)
        for problem in plan.problems:
            finding_id = "D505" if "AWS managed key" in problem.message else "D501"
            yield Finding(finding_id, "error", problem.account, problem.region, problem.message, problem.fix,
                          layer="kms" if finding_id == "D505" else "launch-permission")

"""What the sandbox does once a call has been answered, whichever way the call came: in process
(a botocore `after-call` handler, Gate.attach) or over HTTP (the server, with moto's answer read
by botocore's own response parser, wire_answers.after). One table, so that both paths give the
same answers.

Each handler receives the call and its parsed answer, as botocore's after-call hooks do. It may
act on the sandbox (judge a launch, remember a session) and may change the answer; it returns
True when it changed it, so that the server writes the answer again in the call's protocol.
Only answers that succeeded come here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Answered:
    """A call the sandbox answered: who made it, where, and with which parameters."""
    service: str  # the boto3 service name
    operation: str
    region: str
    access_key_id: str
    params: dict = field(default_factory=dict)


def _remember_session(gate, call: Answered, parsed: dict) -> bool:
    """AssumeRole: who holds the new key, with MFA or not, and its secret and token (kept in
    memory, for the served sandbox's signature checks)."""
    from .principals import KeySecret

    credentials, user = parsed.get("Credentials"), parsed.get("AssumedRoleUser") or {}
    if not credentials or not user.get("Arn"):
        return False
    secret = None
    if credentials.get("SecretAccessKey"):
        secret = KeySecret(credentials["SecretAccessKey"], credentials.get("SessionToken") or None,
                           _aware(credentials.get("Expiration")))
    gate.after_assume(call.params, credentials["AccessKeyId"], user["Arn"], secret)
    return False


def _aware(moment):
    from datetime import datetime, timezone

    return moment.astimezone(timezone.utc) if isinstance(moment, datetime) else None


def _image_key(gate, call: Answered, parsed: dict) -> bool:
    """RegisterImage, CopyImage: the key an image's snapshots are encrypted with (moto keeps none)."""
    from . import launches

    if parsed.get("ImageId"):
        launches.remember_image_key(parsed["ImageId"], call.params)
    return False


def _judge_launch(gate, call: Answered, parsed: dict) -> bool:
    """RunInstances: an instance whose AMI's key the launcher may not use never reaches running.
    The answer stands (AWS accepts the call); the instance ends terminated afterwards."""
    from ..iam import Caller
    from . import launches

    holder = gate.principals.resolve(call.access_key_id)
    instances = [i["InstanceId"] for i in parsed.get("Instances") or [] if i.get("InstanceId")]
    if holder is not None and instances:
        launches.judge_instances(gate, Caller(holder.arn, holder.role_arn), holder.account, call.region, instances,
                                 call.access_key_id)
    return False


def _judge_groups(gate, call: Answered, parsed: dict) -> bool:
    """A group created or resized launches at once, through Auto Scaling's service-linked role."""
    from . import launches

    holder = gate.principals.resolve(call.access_key_id)
    if holder is not None:
        launches.judge_groups(gate, holder.account, call.region)
    return False


def _buckets_of_region(gate, call: Answered, parsed: dict) -> bool:
    """The Resource Groups Tagging API lists a bucket in its own Region only; moto lists every
    bucket of the account in every Region, so a run by tag in two Regions would act on each
    bucket twice."""
    from .policies import bucket_region

    mappings = parsed.get("ResourceTagMappingList")
    if not mappings:
        return False
    kept = [m for m in mappings if not m.get("ResourceARN", "").startswith("arn:aws:s3:::")
            or bucket_region(m["ResourceARN"][len("arn:aws:s3:::"):]) in (None, call.region)]
    if len(kept) == len(mappings):
        return False
    parsed["ResourceTagMappingList"] = kept
    return True


HANDLERS: dict[tuple[str, str], Callable[..., bool]] = {
    ("sts", "AssumeRole"): _remember_session,
    ("ec2", "RegisterImage"): _image_key,
    ("ec2", "CopyImage"): _image_key,
    ("ec2", "RunInstances"): _judge_launch,
    ("autoscaling", "CreateAutoScalingGroup"): _judge_groups,
    ("autoscaling", "UpdateAutoScalingGroup"): _judge_groups,
    ("autoscaling", "SetDesiredCapacity"): _judge_groups,
    ("resourcegroupstaggingapi", "GetResources"): _buckets_of_region,
}


def handles(service: str, operation: str) -> bool:
    return (service, operation) in HANDLERS


def run(gate, call: Answered, parsed) -> bool:
    """Run the call's handler, if it has one, on its parsed answer; True when the answer changed."""
    handler = HANDLERS.get((call.service, call.operation))
    if handler is None or not isinstance(parsed, dict):
        return False
    return bool(handler(gate, call, parsed))

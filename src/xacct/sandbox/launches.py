"""Launches from encrypted AMIs, as AWS carries them out: EC2 uses the AMI's KMS key on behalf of
whoever launches, Auto Scaling through its service-linked role. When the key's policy, the
launcher's IAM policies and the key's grants do not let that principal use the key, the instance
does not reach running: it ends terminated with the state reason
`Client.InternalError: Client error on launch`, and an Auto Scaling group records a failed
scaling activity ("Required AWS KMS key policy for use with encrypted volumes", Amazon EC2 Auto
Scaling User Guide; "Troubleshoot Amazon EC2 Auto Scaling: EC2 instance launch failures").

moto keeps neither an AMI's key nor scaling activities, so both are kept here."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone

CLIENT_ERROR = "Client.InternalError: Client error on launch"
KEY_ACTIONS = ("kms:CreateGrant", "kms:Decrypt")  # what EC2 needs of the launcher for an encrypted volume
SLR_NAME = "AWSServiceRoleForAutoScaling"

_lock = threading.Lock()
IMAGE_KEYS: dict[str, str] = {}  # image ID -> ARN of the key its snapshots are encrypted with
ACTIVITIES: dict[tuple[str, str], list[dict]] = {}  # (account, region) -> scaling activities
_checked: set[str] = set()  # instances already judged


def remember_image_key(image_id: str, params: dict) -> None:
    """From RegisterImage's block device mappings or CopyImage's KmsKeyId."""
    key = params.get("KmsKeyId") if params.get("Encrypted") else None
    for mapping in params.get("BlockDeviceMappings") or []:
        ebs = mapping.get("Ebs") or {}
        if ebs.get("Encrypted") and ebs.get("KmsKeyId"):
            key = ebs["KmsKeyId"]
    if key:
        with _lock:
            IMAGE_KEYS[image_id] = key
        _encrypt_snapshot(image_id, key)


def _encrypt_snapshot(image_id: str, key: str) -> None:
    """moto makes an image's snapshot unencrypted whatever the mappings say; AWS's
    DescribeSnapshots shows it Encrypted with the key's ARN in KmsKeyId, and that is where a
    reader (xacct ami share) learns an AMI's key."""
    from moto.ec2.models import ec2_backends

    for account in list(ec2_backends.keys()):
        for backend in list(ec2_backends[account].values()):
            image = backend.amis.get(image_id)
            snapshot = getattr(image, "ebs_snapshot", None)
            if image is not None and image.ec2_backend is backend and snapshot is not None:
                snapshot.encrypted, snapshot.kms_key_id = True, key
                return


def _fail(instance) -> None:
    from moto.ec2.models.instances import StateReason

    instance.terminate()
    instance._reason = ""
    instance.state_reason = StateReason(CLIENT_ERROR, "Client.InternalError")


def judge_instances(gate, caller, account: str, region: str, instance_ids: list[str],
                    access_key_id: str | None = None) -> list[str]:
    """Fail the launches `caller` may not decrypt for, keeping the Decision as a denial of the
    caller's key so the failure can be explained; return the IDs that failed."""
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[account][region]
    failed = []
    for instance_id in instance_ids:
        instance = backend.get_instance(instance_id)
        key = IMAGE_KEYS.get(instance.image_id)
        with _lock:
            _checked.add(instance_id)
        denied = gate.key_use_denied(caller, account, key, KEY_ACTIONS) if key else None
        if denied is not None:
            _fail(instance)
            failed.append(instance_id)
            if access_key_id:
                gate.record_decision(access_key_id, denied, CLIENT_ERROR)
    return failed


def _activity(group: str, status: str, description: str, message: str = "") -> dict:
    now = datetime.now(timezone.utc)
    activity = {"ActivityId": str(uuid.uuid4()), "AutoScalingGroupName": group, "Description": description,
                "Cause": f"At {now:%Y-%m-%dT%H:%M:%SZ} an instance was started in response to a difference between "
                         "desired and actual capacity, increasing the capacity.",
                "StartTime": now, "EndTime": now, "StatusCode": status, "Progress": 100}
    if message:
        activity["StatusMessage"] = message
    return activity


def judge_groups(gate, account: str, region: str) -> None:
    """Let each group bring itself to its desired capacity (as Auto Scaling keeps trying), and
    fail the launches its service-linked role may not decrypt for."""
    from moto.autoscaling.models import autoscaling_backends

    from ..iam import Caller

    backend = autoscaling_backends[account][region]
    role = f"arn:aws:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/{SLR_NAME}"
    slr = Caller(f"arn:aws:sts::{account}:assumed-role/{SLR_NAME}/AutoScaling", role)
    for group in list(backend.autoscaling_groups.values()):
        if len(group.instance_states) < (group.desired_capacity or 0):
            group.set_desired_capacity(group.desired_capacity)
        for state in list(group.instance_states):
            instance = state.instance
            if instance.id in _checked:
                continue
            with _lock:
                _checked.add(instance.id)
            key = IMAGE_KEYS.get(instance.image_id)
            if key and gate.key_use_denied(slr, account, key, KEY_ACTIONS):
                _fail(instance)
                group.instance_states = [s for s in group.instance_states if s.instance.id != instance.id]
                record = _activity(group.name, "Failed", f"Launching a new EC2 instance.  Status Reason: "
                                                         f"{CLIENT_ERROR}", CLIENT_ERROR)
            else:
                record = _activity(group.name, "Successful", f"Launching a new EC2 instance: {instance.id}")
            with _lock:
                ACTIVITIES.setdefault((account, region), []).insert(0, record)


def activities(account: str, region: str, group: str | None) -> list[dict]:
    with _lock:
        found = list(ACTIVITIES.get((account, region), []))
    return [a for a in found if group is None or a["AutoScalingGroupName"] == group]

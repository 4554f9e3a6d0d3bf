"""SSM reads a run's runbook in each target as the service (issue 11, defect 3): an execution
role without ssm:GetDocument runs it, whether the cloud reads documents as the service (the
embedded sandbox) or only as a principal (AWS's client path, here over the sandbox's gate), and
doctor, which asks no such permission, agrees."""

import json

import pytest

from xacct.cloud import Cloud
from xacct.sandbox.embedded import SandboxCloud
from tests.generalisation import harness

V = "2012-10-17"
REGION = "eu-north-1"


class ReadsAsPrincipal(SandboxCloud):
    """A cloud whose runbook reads are GetDocument calls made with the given credentials."""

    read_document = Cloud.read_document


def _world(tmp_path, m: str, t: str):
    (tmp_path / "lister.yaml").write_text(
        "schemaVersion: '0.3'\nassumeRole: '{{ AutomationAssumeRole }}'\n"
        "parameters:\n  AutomationAssumeRole: {type: String, default: ''}\n"
        "mainSteps:\n- name: list\n  action: aws:executeAwsApi\n  inputs: {Service: s3, Api: ListBuckets}\n")
    admin = f"arn:aws:iam::{m}:role/{harness.ADMIN}"
    execution = f"arn:aws:iam::{t}:role/AWS-SystemsManager-AutomationExecutionRole"
    world = {"world": 1, "accounts": {
        m: {"iam": {"roles": {harness.ADMIN: {
            "trust": {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"},
                                                   "Action": "sts:AssumeRole"}]},
            "policies": {"Assume": {"Version": V, "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": execution}]}}}}},
            "regions": {REGION: {"documents": {"Lister": {"file": "lister.yaml", "sharedWith": [t]}}}}},
        t: {"iam": {"roles": {"AWS-SystemsManager-AutomationExecutionRole": {
            "trust": {"Version": V, "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "sts:AssumeRole"},
                {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "policies": {"Run": {"Version": V, "Statement": [  # no ssm:GetDocument
                {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "iam:PassRole"], "Resource": "*"}]}}}}}}}}
    path = tmp_path / "world.yaml"
    path.write_text(json.dumps(world))
    return path


@pytest.mark.parametrize("cloud_class, ids", [(SandboxCloud, ("646000000001", "646000000002")),
                                              (ReadsAsPrincipal, ("646000000011", "646000000012"))])
def test_an_execution_role_without_get_document_runs_the_runbook(tmp_path, store, cloud_class, ids):
    m, t = ids
    checked = harness.check(cloud_class(REGION), store, _world(tmp_path, m, t), "Lister", m, [(t, REGION)], REGION)
    assert checked.findings == []
    assert checked.outcomes[(t, REGION)].status == "Success", checked.outcomes

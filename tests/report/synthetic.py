"""A run across N target locations written straight into a store (the events the engine writes,
without running anything): for size tests and bench/report.py. One target in three fails with an
AccessDenied explained as the engine explains it; the run was given a password parameter."""

from __future__ import annotations

import uuid

from xacct.store import Store

PASSWORD = "hunter2-very-secret"
RUNBOOK = "AWS-EnableS3BucketEncryption"
REGIONS = ["ap-northeast-1", "us-east-1", "eu-west-1", "us-west-2"]


def fanout_store(path, targets: int = 1000) -> tuple[Store, str]:
    store = Store(path)
    parent = str(uuid.uuid4())
    accounts = [f"{800000000000 + n:012d}" for n in range((targets + len(REGIONS) - 1) // len(REGIONS))]
    places = [(a, r) for a in accounts for r in REGIONS][:targets]
    admin = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole"
    store.create_execution(parent, document_name=RUNBOOK, parent_id=None, account="111111111111",
                           region="us-east-1", data={
        "DocumentName": RUNBOOK, "Parameters": {"AutomationAssumeRole": [admin], "DbPassword": [PASSWORD]},
        "ExecutedBy": "arn:aws:iam::111111111111:user/ops", "Mode": "Auto",
        "TargetLocations": [{"Accounts": accounts, "Regions": REGIONS, "TargetLocationMaxConcurrency": "10",
                             "TargetLocationMaxErrors": "100%"}],
        "Steps": [{"StepName": f"{a}_{r}", "Action": "aws:executeAutomation",
                   "xacct:TargetLocation": {"Account": a, "Region": r}} for a, r in places]})
    store.append(parent, "ExecutionStatus", data={"AutomationExecutionStatus": "InProgress"}, status="InProgress")
    failed = 0
    for n, (account, region) in enumerate(places):
        child, bucket = str(uuid.uuid4()), f"logs-{account}-{region}"
        store.append(parent, "StepStarted", f"{account}_{region}", {"Action": "aws:executeAutomation", "Inputs": {
            "DocumentName": f'"{RUNBOOK}"', "TargetLocation": f'{{"Account":"{account}","Region":"{region}"}}'}})
        store.create_execution(child, document_name=RUNBOOK, parent_id=parent, account=account, region=region,
                               data={"DocumentName": RUNBOOK, "Parameters": {"BucketName": [bucket],
                                                                             "DbPassword": [PASSWORD]},
                                     "ExecutedBy": f"arn:aws:sts::{account}:assumed-role/Exec/{child}",
                                     "ParentAutomationExecutionId": parent,
                                     "Steps": [{"StepName": "PutBucketEncryption", "Action": "aws:executeAwsApi"}]})
        store.append(child, "StepStarted", "PutBucketEncryption", {"Action": "aws:executeAwsApi", "Inputs": {
            "Service": '"s3"', "Api": '"PutBucketEncryption"', "Bucket": f'"{bucket}"'}})
        fails = n % 3 == 0
        finished = {"StepStatus": "Failed" if fails else "Success", "Outputs": {}}
        if fails:
            failed += 1
            principal = f"arn:aws:sts::{account}:assumed-role/Exec/{child}"
            finished["FailureMessage"] = (
                f"An error occurred (AccessDenied) when calling the PutBucketEncryption operation: User: {principal} "
                f"is not authorized to perform: s3:PutEncryptionConfiguration on resource: arn:aws:s3:::{bucket}")
            finished["xacct:Explanation"] = {
                "decision": "implicitDeny", "layer": "identity", "principal": principal,
                "action": "s3:PutEncryptionConfiguration", "resource": f"arn:aws:s3:::{bucket}", "statements": [],
                "cause": f"the step calls the s3 API PutBucketEncryption, which IAM authorizes as "
                         f"s3:PutEncryptionConfiguration on arn:aws:s3:::{bucket}; no identity-based policy of "
                         f"{principal} allows it",
                "fix": 'add to an identity-based policy: {"Effect": "Allow", "Action": '
                       f'"s3:PutEncryptionConfiguration", "Resource": "arn:aws:s3:::{bucket}"}}'}
        store.append(child, "StepFinished", "PutBucketEncryption", finished)
        status = "Failed" if fails else "Success"
        store.append(child, "ExecutionFinished", data={"AutomationExecutionStatus": status,
                                                      **({"FailureMessage": finished["FailureMessage"]}
                                                         if fails else {})}, status=status, ended=True)
        store.append(parent, "StepFinished", f"{account}_{region}", {
            "StepStatus": status, "ChildExecutionId": child, "Outputs": {"ExecutionId": [child]},
            **({"FailureMessage": "1 of 1 targets failed.",
                "xacct:Explanation": finished["xacct:Explanation"]} if fails else {})})
    store.append(parent, "ExecutionFinished", data={
        "AutomationExecutionStatus": "Failed", "FailureMessage": f"{failed} of {targets} target locations failed."},
        status="Failed", ended=True)
    return store, parent

"""The runbook in each target: SSM reads a custom runbook in the target account and Region by its
owner's ARN, so the owner must have shared it with that account, in that Region ("Sharing SSM
documents", Systems Manager User Guide). A missing share surfaces in AWS as "The execution role
... in the target location is unable to be assumed." (story S0)."""

from __future__ import annotations

from typing import Iterator

from botocore.exceptions import ClientError

from .checkup import Checkup
from .findings import Finding

MISSING = ("InvalidDocument", "InvalidDocumentVersion")


def shared_with(checkup: Checkup, account: str, region: str) -> Iterator[Finding]:
    if checkup.owned_by_aws or checkup.runbook.folder is not None or account == checkup.account:
        return  # AWS-owned runbooks are everywhere; a file runs as it is; the owner reads its own
    owner, name = checkup.account, checkup.runbook.name
    ssm = checkup.reader.reading("ssm", owner, region)
    try:
        shares = ssm.describe_document_permission(Name=name, PermissionType="Share")["AccountIds"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in MISSING:
            raise
        yield Finding("D102", "error", owner, region,
                      f"the runbook {name} does not exist in {owner} in {region}: each Region has its own "
                      f"documents, and SSM reads it in {account} {region} from there",
                      f"aws ssm create-document --name {name} --document-type Automation --document-format YAML "
                      f"--content file://{name}.yaml --region {region}", layer="share")
        return
    if account in shares or "all" in shares:
        return

    def apply() -> None:
        ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=[account])

    target = f"arn:{checkup.partition}:iam::{account}:role/{checkup.execution_role_name}"
    yield Finding("D101", "error", account, region,
                  f"the runbook {name} is owned by {owner} and not shared with {account} in {region}; SSM reads "
                  f"it in the target location and reports \"The execution role {target} in the target location is "
                  "unable to be assumed.\"",
                  f"aws ssm modify-document-permission --name {name} --permission-type Share "
                  f"--account-ids-to-add {account} --region {region}", layer="share", apply=apply)

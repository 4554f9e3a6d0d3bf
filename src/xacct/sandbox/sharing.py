"""Resources one account shares with others, made real across the sandbox's accounts: moto keeps
each account's resources apart and records shares without honouring them.

SSM documents ("Sharing SSM documents"): a document shared with an account (or with All) can be
read from that account by its ARN; to anyone else it "does not exist", as SSM answers.
"""

from __future__ import annotations

from typing import Any

from ..iam import Policy, parse_policy

NOT_FOUND = ("InvalidDocument", "The specified document does not exist.")


def _document_arn_parts(name: str) -> tuple[str, str, str] | None:
    """(region, account, name) of `arn:aws:ssm:REGION:ACCOUNT:document/NAME`."""
    if not name.startswith("arn:"):
        return None
    parts = name.split(":", 5)
    if len(parts) != 6 or parts[2] != "ssm" or not parts[5].startswith("document/"):
        return None
    return parts[3], parts[4], parts[5][len("document/"):]


def _documents(account: str, region: str, name: str):
    from moto.ssm.models import ssm_backends

    try:
        return ssm_backends[account][region]._get_documents(name)
    except Exception:
        return None


def shared_with(documents) -> list[str]:
    return [str(a) for a in documents.describe_permissions().get("AccountIds", [])]


def document_share_policy(arn: str) -> Policy | None:
    """The share of a document, as the resource-based policy it amounts to."""
    parts = _document_arn_parts(arn)
    if parts is None:
        return None
    region, account, name = parts
    documents = _documents(account, region, name)
    if documents is None:
        return None
    accounts = shared_with(documents)
    principal = "*" if any(a.lower() == "all" for a in accounts) else {"AWS": [f"arn:aws:iam::{a}:root" for a in accounts]}
    statements = [{"Sid": "DocumentShare", "Effect": "Allow", "Principal": principal,
                   "Action": ["ssm:GetDocument", "ssm:DescribeDocument"], "Resource": arn}] if accounts else []
    return parse_policy({"Version": "2012-10-17", "Statement": statements}, f"share of document {name}")


def serve_document(operation: str, params: dict, caller_account: str,
                   region: str | None = None) -> tuple[dict | None, tuple | None]:
    """Answer GetDocument, DescribeDocument or ListDocumentVersions of an AWS-owned document (in
    `region`: any when None), or GetDocument or DescribeDocument of another account's document,
    by ARN: (response, None), or (None, (code, message)). (None, None) when it is not such a call.
    AWS-owned documents are answered for every account, as AWS's are readable everywhere."""
    from .owned import serve_owned

    owned = serve_owned(operation, params, region)
    if owned is not None:
        return owned
    if operation not in ("GetDocument", "DescribeDocument"):
        return None, None
    parts = _document_arn_parts(str(params.get("Name", "")))
    if parts is None or parts[1] == caller_account:
        return None, None
    region, account, name = parts
    documents = _documents(account, region, name)
    if documents is None:
        return None, NOT_FOUND
    accounts = [a.lower() for a in shared_with(documents)]
    if caller_account not in accounts and "all" not in accounts:
        return None, NOT_FOUND
    from moto.ssm.models import ssm_backends

    backend = ssm_backends[account][region]
    if operation == "GetDocument":
        answer: dict[str, Any] = backend.get_document(name, params.get("DocumentVersion"), params.get("VersionName"),
                                                      params.get("DocumentFormat"))
        return answer, None
    description = backend.describe_document(name, params.get("DocumentVersion"), params.get("VersionName"))
    return {"Document": description}, None


# AMIs ("Share an AMI with specific AWS accounts"): an image whose launch permissions name an
# account (or the group all) is visible and launchable there, owned by its owner.
IMAGE_CALLS = {"DescribeImages", "RunInstances", "CopyImage", "CreateLaunchTemplate", "DescribeImageAttribute"}


def sync_shared_images(account: str, region: str) -> None:
    """Show in `account` the images other accounts share with it, and only those."""
    from moto.ec2.models import ec2_backends

    target = ec2_backends[account][region]
    shared = set()
    for other in list(ec2_backends.keys()):
        if other == account or region not in ec2_backends[other]:
            continue
        for image in list(ec2_backends[other][region].amis.values()):
            if image.ec2_backend is not ec2_backends[other][region]:
                continue  # a view this account holds of a third account's image
            if any(p.get("UserId") == account or p.get("Group") == "all" for p in image.launch_permissions):
                target.amis[image.id] = image
                shared.add(image.id)
    for image_id, image in list(target.amis.items()):
        if image.ec2_backend is not target and image_id not in shared:
            del target.amis[image_id]


def image_visible(account: str, region: str, image_id: str) -> bool:
    from moto.ec2.models import ec2_backends

    return image_id in ec2_backends[account][region].amis

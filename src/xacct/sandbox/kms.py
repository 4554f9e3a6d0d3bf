"""KMS keys across the sandbox's accounts: a key is used by its ARN from any account, where its
key policy, the caller's IAM policies and the key's grants say so ("Allowing users in other
accounts to use a KMS key", "Grants in AWS KMS"). moto keeps keys per account and never looks at
grants; here the call is checked, then carried to the key's own account."""

from __future__ import annotations

from ..aws.sessions import create_client
from ..iam import Caller


def key_account(key_id: str, caller_account: str) -> str:
    if key_id.startswith("arn:") and key_id.count(":") >= 5:
        return key_id.split(":")[4]
    return caller_account


def _key(key_arn: str):
    from moto.kms.models import kms_backends

    parts = key_arn.split(":")
    try:
        return kms_backends[parts[4]][parts[3]].describe_key(parts[5].split("/", 1)[-1])
    except Exception:
        return None


def grant_allows(key_arn: str, caller: Caller, action: str) -> str | None:
    """The ID of a grant on the key that lets `caller` do `action` (kms:Decrypt, ...), or None.
    A grant names its grantee by ARN: a role's grant serves the role's sessions."""
    key = _key(key_arn)
    if key is None:
        return None
    operation = action.split(":", 1)[1]
    for grant in key.grants.values() if isinstance(key.grants, dict) else key.grants:
        if grant.grantee_principal in (caller.arn, caller.principal_arn) and operation in grant.operations:
            return grant.id
    return None


def forward(session, operation: str, params: dict, region: str, owner_admin) -> dict:
    """Make the call in the key's own account (past the gate, which has already decided)."""
    from botocore import xform_name

    client = create_client(session, "kms", region_name=region, **owner_admin.as_client_kwargs())
    answer = getattr(client, xform_name(operation))(**params)
    answer.pop("ResponseMetadata", None)
    return answer

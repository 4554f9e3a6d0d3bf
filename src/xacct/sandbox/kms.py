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


# -- which key a call is about -------------------------------------------------------------------
# A KMS call names its key by key ID, key ARN, alias name or alias ARN, or (Decrypt, the usual
# call) not at all: the ciphertext says which key made it. AWS authorizes the call on the key, with
# the key's policy and grants, whatever name was used; only CreateAlias, UpdateAlias and
# DeleteAlias are also authorized on the alias, which has no policy of its own ("Controlling
# access to aliases", https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html;
# "Decrypt", https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html: "the KeyId
# parameter is optional ... AWS KMS gets the KMS key from metadata that it adds to the ciphertext").

KEY_ID_LENGTH = 36  # moto writes the key's ID as the first 36 bytes of its ciphertext blob
ALIAS_CALLS = ("CreateAlias", "UpdateAlias", "DeleteAlias")


def _backend(account: str, region: str):
    from moto.kms.models import kms_backends

    try:
        return kms_backends[account][region]
    except KeyError:
        return None


def _arn_parts(arn: str) -> tuple[str, str, str] | None:
    """(Region, account, resource) of a KMS ARN."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "kms":
        return parts[3], parts[4], parts[5]
    return None


def resolve(name: str, account: str, region: str) -> tuple[str | None, str | None]:
    """(the key's ARN, the alias ARN when `name` is an alias) for a KeyId of any form; the key's
    ARN is None when there is no such key (the service's own NotFoundException follows)."""
    parts = _arn_parts(name)
    if parts:
        region, account, resource = parts
    else:
        resource = name if name.startswith("alias/") else f"key/{name}"
    backend = _backend(account, region)
    alias_arn = f"arn:aws:kms:{region}:{account}:{resource}" if resource.startswith("alias/") else None
    if backend is None:
        return None, alias_arn
    if alias_arn:
        key_id = backend.get_key_id_from_alias(resource) if resource in _aliases(backend) else None
    else:
        key_id = resource.split("/", 1)[-1]
    key = backend.keys.get(key_id) if key_id else None
    return (key.arn if key is not None else None), alias_arn


def _aliases(backend) -> set[str]:
    return {alias for key in backend.keys.values() for alias in key.aliases}


def key_of_ciphertext(blob, region: str) -> str | None:
    """The ARN of the key that made a ciphertext (in any account of the sandbox, in `region`)."""
    if isinstance(blob, str):  # over HTTP the blob arrives as base64 text
        import base64
        import binascii

        try:
            blob = base64.b64decode(blob, validate=True)
        except (binascii.Error, ValueError):
            return None
    if not isinstance(blob, (bytes, bytearray)) or len(blob) < KEY_ID_LENGTH:
        return None
    try:
        key_id = bytes(blob[:KEY_ID_LENGTH]).decode("ascii")
    except UnicodeDecodeError:
        return None
    from moto.kms.models import kms_backends

    for account in list(kms_backends.keys()):
        backend = _backend(account, region)
        key = backend.keys.get(key_id) if backend is not None else None
        if key is not None:
            return key.arn
    return None


def authorizations(operation: str, params: dict, region: str, account: str, generic: list) -> list:
    """The Authorizations of a KMS call: on the key its KeyId names (or its ciphertext made),
    with kms:RequestAlias when an alias named it; the alias calls on the alias and on every key
    they touch. `generic`: actions.authorizations' answer, kept when no key is found."""
    from ..iam.actions import Authorization

    action = f"kms:{operation}"

    def on_key(key_arn: str, context: dict | None = None, found_by: str = "") -> "Authorization":
        return Authorization(action, key_arn, key_arn.split(":")[4], context or {}, found_by)

    if operation in ALIAS_CALLS:
        alias_name = str(params.get("AliasName") or "")
        alias_arn = f"arn:aws:kms:{region}:{account}:{alias_name}"
        found = [Authorization(action, alias_arn, account)]
        current, _ = resolve(alias_name, account, region) if operation != "CreateAlias" else (None, None)
        target = resolve(str(params["TargetKeyId"]), account, region)[0] if params.get("TargetKeyId") else None
        found += [on_key(arn) for arn in dict.fromkeys(k for k in (current, target) if k)]
        return found
    key_id = params.get("KeyId")
    if isinstance(key_id, str) and key_id:
        key_arn, alias_arn = resolve(key_id, account, region)
        if key_arn:
            return [on_key(key_arn, {"kms:RequestAlias": [alias_arn.split(":", 5)[5]]} if alias_arn else None)]
        return generic
    if operation == "Decrypt" and params.get("CiphertextBlob") is not None:
        key_arn = key_of_ciphertext(params["CiphertextBlob"], region)
        if key_arn:
            return [on_key(key_arn, found_by="ciphertext")]
    return generic


def owner_of_ciphertext(params: dict, region: str) -> str | None:
    """The account whose key made a Decrypt's ciphertext, when the call names no key."""
    if params.get("KeyId") or params.get("CiphertextBlob") is None:
        return None
    key_arn = key_of_ciphertext(params["CiphertextBlob"], region)
    return key_arn.split(":")[4] if key_arn else None


# -- a world's own key IDs -----------------------------------------------------------------------
# KMS makes a key's ID (a UUID; "mrk-" and 32 hex digits for a multi-Region key), so a world that
# names a key by ID in its policies or in `xacct explain --world` gives the ID it wants
# ("Key identifiers (KeyId)", https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id).
import re as _re

KEY_ID = _re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}")


def key_id_problem(value) -> str | None:
    """Why `value` cannot be a KMS key ID, or None."""
    if not isinstance(value, str) or not KEY_ID.fullmatch(value):
        return ("is not a KMS key ID: a UUID in lower case such as 1234abcd-12ab-34cd-56ef-1234567890ab "
                "(or mrk- and 32 hex digits)")
    return None


def give_key_id(key_arn: str, key_id: str) -> str | None:
    """Give the key `key_arn` the ID `key_id` (a world's fixed ID); its new ARN, or None when
    another key of the account and Region has that ID already."""
    region, account, resource = _arn_parts(key_arn)
    backend = _backend(account, region)
    old = resource.split("/", 1)[-1]
    if key_id == old:
        return key_arn
    if key_id in backend.keys:
        return None
    key = backend.keys.pop(old)
    key.id = key_id
    key.arn = f"arn:aws:kms:{region}:{account}:key/{key_id}"
    backend.keys[key_id] = key
    return key.arn

"""STS GetSessionToken as AWS does it ("Permissions for GetSessionToken", IAM User Guide): no
policy can allow or deny it, as it only authenticates; only an IAM user's long-term keys may call
it ("Cannot call GetSessionToken with session credentials"); with SerialNumber and TokenCode the
one-time code of the user's MFA device is checked, and the session carries the MFA context
(aws:MultiFactorAuthPresent true, aws:MultiFactorAuthAge) into every later request. The session
has the user's permissions, but no IAM call without MFA and no STS call but AssumeRole and
GetCallerIdentity.

moto answers GetSessionToken with the same example key for everyone, so the sandbox issues the
session itself: a temporary key in the user's account (moto then finds the account of its
requests), its secret and token kept in memory by Principals for the signature checks."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

from .principals import Holder, KeySecret, Principals

DEFAULT_SECONDS, LEAST_SECONDS, MOST_SECONDS = 43200, 900, 129600
INVALID_TOKEN = "The security token included in the request is invalid."
SERVED = ("GetSessionToken", "GetCallerIdentity")


def check(holder: Holder, params: dict) -> None:
    """Raise AccessRefused unless this holder may get a session token with these parameters."""
    from .gate import MFA_FAILED, AccessRefused, totp_ok

    if holder.role_arn is not None or holder.temporary:
        raise AccessRefused("AccessDenied", "Cannot call GetSessionToken with session credentials")
    if holder.user_name is None:
        raise AccessRefused("AccessDenied", "GetSessionToken is for IAM users' long-term credentials")
    _seconds(params)
    if params.get("SerialNumber") or params.get("TokenCode"):
        if not totp_ok(holder, str(params.get("SerialNumber") or ""), str(params.get("TokenCode") or "")):
            raise AccessRefused("AccessDenied", MFA_FAILED)


def restrict(holder: Holder, service: str, operation: str) -> None:
    """What a GetSessionToken session may not do whatever its policies say."""
    from .gate import AccessRefused

    if not holder.temporary:
        return
    if service == "iam" and holder.mfa_at is None:
        raise AccessRefused("InvalidClientTokenId", INVALID_TOKEN)
    if service == "sts" and operation not in ("AssumeRole", "GetCallerIdentity"):
        raise AccessRefused("AccessDenied", f"Cannot call {operation} with session credentials")


def serve(principals: Principals, operation: str, params: dict, access_key_id: str) -> dict | None:
    holder = principals.resolve(access_key_id)
    if holder is None:
        return None
    if operation == "GetSessionToken":
        return issue(principals, holder, params)
    if operation == "GetCallerIdentity" and holder.temporary:  # moto knows no user for the session's key
        return {"UserId": _user_id(holder), "Account": holder.account, "Arn": holder.arn}
    return None


def issue(principals: Principals, holder: Holder, params: dict) -> dict:
    from moto.iam.models import iam_backends

    now = datetime.now(timezone.utc)
    expires = now + timedelta(seconds=_seconds(params))
    key = iam_backends[holder.account]["global"].create_temp_access_key()
    token = "IQoJb3JpZ2luX2VjE" + secrets.token_urlsafe(180)  # the shape of an STS session token, at random
    mfa = bool(params.get("SerialNumber"))
    principals.add_session(key.access_key_id, Holder(holder.arn, holder.account, user_name=holder.user_name,
                                                     mfa_at=now if mfa else None, temporary=True),
                           KeySecret(key.secret_access_key, token, expires))
    return {"Credentials": {"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret_access_key,
                            "SessionToken": token, "Expiration": expires.replace(microsecond=0)}}


def _seconds(params: dict) -> int:
    from .gate import AccessRefused

    value = params.get("DurationSeconds")
    if value is None or value == "":
        return DEFAULT_SECONDS
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise AccessRefused("ValidationError", f"1 validation error detected: Value '{value}' at 'durationSeconds' "
                                               f"failed to satisfy constraint: Member must be of type Integer",
                            status=400) from None
    for bad, bound, word in ((seconds < LEAST_SECONDS, LEAST_SECONDS, "greater"),
                             (seconds > MOST_SECONDS, MOST_SECONDS, "less")):
        if bad:
            raise AccessRefused("ValidationError", f"1 validation error detected: Value '{seconds}' at "
                                                   f"'durationSeconds' failed to satisfy constraint: Member must "
                                                   f"have value {word} than or equal to {bound}", status=400)
    return seconds


def _user_id(holder: Holder) -> str:
    from moto.iam.models import iam_backends

    try:
        return iam_backends[holder.account]["global"].get_user(holder.user_name).id
    except Exception:
        return holder.account

"""Who holds an access key in the sandbox, and what their session carries (MFA, the role it is a
session of). Long-term keys belong to IAM users; temporary keys to role sessions, recorded when
the gate lets an AssumeRole through, with whether MFA was used, and to users' sessions from
GetSessionToken. An unsigned request is made by the anonymous caller (`*`).

A key's secret (and a session's token) is what the served sandbox checks signatures with. It is
kept in memory only, where moto keeps it too, and never shown: KeySecret's repr leaves it out."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

ANONYMOUS = "anonymous"  # the access key id an unsigned request is made with (no real key looks like it)


@dataclass(frozen=True)
class Holder:
    arn: str  # a user ARN or an assumed-role session ARN
    account: str
    role_arn: str | None = None  # for a session: the role (with its path)
    user_name: str | None = None  # for an IAM user
    mfa_at: datetime | None = None  # when the session's MFA was checked, if it was
    temporary: bool = False  # a user's session from GetSessionToken
    # a role session's session policies (inline and managed, as one iam.Policy), or None
    session_policy: Any = field(default=None, compare=False, repr=False)

    def context(self) -> dict[str, list[str]]:
        """The global condition keys this holder brings to each request."""
        context: dict[str, list[str]] = {}
        if self.mfa_at is not None:
            context["aws:MultiFactorAuthPresent"] = ["true"]
            age = int((datetime.now(timezone.utc) - self.mfa_at).total_seconds())
            context["aws:MultiFactorAuthAge"] = [str(max(age, 0))]
        elif self.role_arn is not None or self.temporary:
            # temporary credentials obtained without MFA say so; long-term keys carry no such key
            context["aws:MultiFactorAuthPresent"] = ["false"]
        return context


ANONYMOUS_HOLDER = Holder("*", "")  # of no account: only resource policies that allow "*" let it in


@dataclass(frozen=True)
class KeySecret:
    secret: str = field(repr=False)
    token: str | None = field(default=None, repr=False)  # a session's token
    expires: datetime | None = None  # a session's end (aware, UTC)


class Principals:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Holder] = {}
        self._secrets: dict[str, KeySecret] = {}

    def add_session(self, access_key_id: str, holder: Holder, secret: KeySecret | None = None) -> None:
        with self._lock:
            self._sessions[access_key_id] = holder
            if secret is not None:
                self._secrets[access_key_id] = secret

    def resolve(self, access_key_id: str) -> Holder | None:
        if access_key_id == ANONYMOUS:
            return ANONYMOUS_HOLDER
        with self._lock:
            known = self._sessions.get(access_key_id)
        if known:
            return known
        return _from_moto(access_key_id)

    def secret(self, access_key_id: str) -> KeySecret | None:
        """What a request signed with this key is checked with; None for a key that does not exist
        or is inactive."""
        with self._lock:
            known = self._secrets.get(access_key_id)
        return known or _secret_from_moto(access_key_id)


def _from_moto(access_key_id: str) -> Holder | None:
    from moto.iam.models import get_account_id_from, iam_backends
    from moto.sts.models import sts_backends

    account = get_account_id_from(access_key_id)
    try:
        user = iam_backends[account]["global"].get_user_from_access_key_id(access_key_id)
    except Exception:
        user = None
    if user is not None:
        return Holder(user.arn, account, user_name=user.name)
    for partition in ("aws",):
        try:
            assumed = sts_backends[account][partition].get_assumed_role_from_access_key(access_key_id)
        except Exception:
            assumed = None
        if assumed is not None:
            return Holder(assumed.arn, account, role_arn=assumed.role_arn)
    return None


def _secret_from_moto(access_key_id: str) -> KeySecret | None:
    """IAM users' keys and the sessions moto's STS made (an in-process AssumeRole): moto keeps
    their secrets, and a session's token and end."""
    from moto.iam.models import get_account_id_from, iam_backends
    from moto.sts.models import sts_backends

    account = get_account_id_from(access_key_id)
    if account not in iam_backends:
        return None
    key = iam_backends[account]["aws"].access_keys.get(access_key_id)  # the sandbox is all in partition aws
    if key is None or key.status != "Active":
        return None
    if key.user_name is None:  # a temporary key: the session that holds it has its token
        assumed = sts_backends[account]["aws"].get_assumed_role_from_access_key(access_key_id)
        if assumed is None:
            return None
        return KeySecret(key.secret_access_key, assumed.session_token, assumed.expiration.replace(tzinfo=timezone.utc))
    return KeySecret(key.secret_access_key)

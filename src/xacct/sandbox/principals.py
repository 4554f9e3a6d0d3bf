"""Who holds an access key in the sandbox, and what their session carries (MFA, the role it is a
session of). Long-term keys belong to IAM users; temporary keys to role sessions, recorded when
the gate lets an AssumeRole through, with whether MFA was used."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class Holder:
    arn: str  # a user ARN or an assumed-role session ARN
    account: str
    role_arn: str | None = None  # for a session: the role (with its path)
    user_name: str | None = None  # for an IAM user
    mfa_at: datetime | None = None  # when the session's MFA was checked, if it was

    def context(self) -> dict[str, list[str]]:
        """The global condition keys this holder brings to each request."""
        context: dict[str, list[str]] = {}
        if self.mfa_at is not None:
            context["aws:MultiFactorAuthPresent"] = ["true"]
            age = int((datetime.now(timezone.utc) - self.mfa_at).total_seconds())
            context["aws:MultiFactorAuthAge"] = [str(max(age, 0))]
        elif self.role_arn is not None:
            # temporary credentials obtained without MFA say so; long-term keys carry no such key
            context["aws:MultiFactorAuthPresent"] = ["false"]
        return context


class Principals:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Holder] = {}

    def add_session(self, access_key_id: str, holder: Holder) -> None:
        with self._lock:
            self._sessions[access_key_id] = holder

    def resolve(self, access_key_id: str) -> Holder | None:
        with self._lock:
            known = self._sessions.get(access_key_id)
        if known:
            return known
        return _from_moto(access_key_id)


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

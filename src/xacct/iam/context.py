"""The request context a condition reads: the request's own keys (any case, values as text) and
the global keys xacct can know ("AWS global condition context keys"). Each key is read when a
condition or a policy variable first asks for it, so a decision that meets no condition formats
no time and lowercases no value."""

from __future__ import annotations

from datetime import datetime, timezone

from .principals import Caller
from .scalars import as_text

_UNREAD = object()
PRINCIPAL_TYPES = {"user": "User", "session": "AssumedRole", "root": "Account", "federated": "FederatedUser",
                   "role": "AssumedRole"}


def _texts(value) -> list[str]:
    """A context value as the list of texts conditions compare (booleans as "true"/"false")."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return [text for text in map(as_text, values) if text is not None]


def _global(key: str, caller: Caller) -> list[str] | None:
    if key == "aws:currenttime":
        return [datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]
    if key == "aws:epochtime":
        return [str(int(datetime.now(timezone.utc).timestamp()))]
    if key == "aws:securetransport":
        return ["true"]
    if key == "aws:principalisawsservice":  # in every request; RCPs exempt services with it
        return ["true" if caller.is_service else "false"]
    if caller.is_service:
        return [caller.arn] if key == "aws:principalservicename" else None
    if caller.is_anonymous:
        return None
    if key == "aws:principalarn":
        return [caller.principal_arn]
    if key == "aws:principalaccount":
        return [caller.account] if caller.account else None
    if key == "aws:username":
        return [caller.arn.rsplit("/", 1)[-1]] if caller.kind == "user" else None
    if key == "aws:principaltype":
        return [PRINCIPAL_TYPES.get(caller.kind, "")]
    return None


class RequestContext:
    """`get(lowercased key)` -> list of texts, or None when the request has no such key."""

    __slots__ = ("_given", "_read", "_caller", "_lookup")

    def __init__(self, context: dict, caller: Caller, lookup=None) -> None:
        self._given = {str(k).lower(): v for k, v in context.items()} if context else {}
        self._read: dict[str, list[str] | None] = {}
        self._caller = caller
        self._lookup = lookup  # keys known elsewhere (a resource's tags), read when asked for

    def get(self, key: str, default=None):
        value = self._read.get(key, _UNREAD)
        if value is _UNREAD:
            # the request's own value wins over a global xacct fills in
            value = _texts(self._given[key]) if key in self._given else _global(key, self._caller)
            if value is None and self._lookup is not None:
                value = self._lookup(key)
            self._read[key] = value
        return default if value is None else value

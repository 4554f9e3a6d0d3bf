"""IAM policy documents into statements that know where they came from.

A statement is named by its policy, its Sid and its position, so that a decision can say which
statement decided it ("IAM JSON policy elements reference", IAM User Guide). A document is checked
against the policy grammar ("Grammar of the IAM JSON policy language") before anything evaluates
it: what IAM refuses is a PolicyError that says where, so that evaluation only ever meets the
types the grammar allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .json_text import JsonTextError, loads
from .scalars import as_text, kind


class PolicyError(ValueError):
    """A policy that is not a valid IAM policy document; the message says where."""


# The kinds of principal a Principal element may name ("AWS JSON policy elements: Principal").
PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")
_REMEMBERED_ACTIONS = 1024  # per policy; the memory is emptied when full


def _as_list(value: Any) -> tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def shown(value: Any, limit: int = 60) -> str:
    """A value for a message: a short string quoted, anything else by its JSON type."""
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else repr(value[:limit]) + "..."
    return kind(value)


@dataclass(frozen=True)
class Statement:
    policy: str  # the policy's name or ARN, as the caller named it
    index: int  # position in the policy's Statement list, from 0
    sid: str | None
    effect: str  # "Allow" or "Deny"
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principal: Any = None  # "*" or {"AWS": [...], "Service": [...], ...}; None when absent
    not_principal: Any = None
    condition: dict = field(default_factory=dict)  # {operator: {key: [values as text]}}

    @property
    def ref(self) -> str:
        """How an explanation names it: policy, Sid and position."""
        sid = f" (Sid {self.sid})" if self.sid else ""
        return f"{self.policy} statement {self.index + 1}{sid}"

    # Matchers are built on first use and kept with the statement: a statement is evaluated many
    # times (every call through the sandbox gate) and compiled once. Its Action first, because
    # most statements are about other actions and need no more. (cached_property writes the
    # instance's __dict__, which a frozen dataclass allows; dataclasses.replace starts afresh.)
    @cached_property
    def action_matcher(self):
        from .matchers import action_matcher

        return action_matcher(self)

    @cached_property
    def compiled(self):
        """Resource, Principal and Condition matchers."""
        from .matchers import CompiledStatement

        return CompiledStatement(self)


@dataclass(frozen=True)
class Policy:
    name: str
    statements: tuple[Statement, ...]
    document: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _by_action(self) -> dict[str, tuple[Statement, ...]]:
        return {}

    def statements_for(self, action: str) -> tuple[Statement, ...]:
        """The statements whose Action or NotAction covers `action` (lowercased). Remembered per
        action: a policy meets the same few actions again and again, and most of its statements
        are about other actions."""
        remembered = self._by_action
        found = remembered.get(action)
        if found is None:
            if len(remembered) >= _REMEMBERED_ACTIONS:
                remembered.clear()
            found = tuple(s for s in self.statements if s.action_matcher.covers(action))
            remembered[action] = found
        return found


def parse_policy(document: Any, name: str) -> Policy:
    """A policy from a JSON string or a mapping; raises PolicyError for what IAM would reject."""
    if isinstance(document, (str, bytes)):
        try:
            document = loads(document)
        except JsonTextError as exc:
            raise PolicyError(f"{name}: {exc}") from None
    if not isinstance(document, dict):
        raise PolicyError(f"{name}: a policy is a JSON object with a Statement, not {kind(document)}")
    raw = document.get("Statement")
    if raw is None:
        raise PolicyError(f"{name}: the policy has no Statement")
    statements = []
    for index, item in enumerate(_as_list(raw)):
        statements.append(_statement(item, name, index))
    return Policy(name, tuple(statements), document)


def _strings(item: dict, element: str, where: str) -> tuple[str, ...]:
    """Action, NotAction, Resource, NotResource: a string or a non-empty list of strings."""
    value = item[element]
    values = value if isinstance(value, list) else [value]
    if not values:
        raise PolicyError(f"{where}: {element} is an empty list")
    for position, text in enumerate(values):
        if not isinstance(text, str):
            at = f"{element}[{position}]" if isinstance(value, list) else element
            raise PolicyError(f"{where}: {at} is {kind(text)}; actions and resources are strings")
    return tuple(values)


def _principal(value: Any, element: str, where: str) -> Any:
    """"*" or a map from AWS, Service, Federated, CanonicalUser to a string or a list of them."""
    if value == "*":
        return value
    if not isinstance(value, dict):
        raise PolicyError(f"{where}: {element} is \"*\" or a map such as {{\"AWS\": [...]}}, not {shown(value)}")
    for principal_kind, names in value.items():
        if principal_kind not in PRINCIPAL_KINDS:
            raise PolicyError(f"{where}: {element} names {shown(principal_kind)}; the kinds of principal are "
                              f"{', '.join(PRINCIPAL_KINDS)}")
        for position, principal in enumerate(names if isinstance(names, list) else [names]):
            if not isinstance(principal, str):
                at = f"{principal_kind}[{position}]" if isinstance(names, list) else principal_kind
                raise PolicyError(f"{where}: {element} {at} is {kind(principal)}, not a string")
    return value


def _condition(value: Any, where: str) -> dict:
    """{operator: {key: value or [values]}}, each value a string, a number or a boolean (compared
    as its text); the values are kept as text."""
    from .conditions import UnknownOperator, split_operator

    if not isinstance(value, dict):
        raise PolicyError(f"{where}: Condition maps operators to {{key: values}}, not {kind(value)}")
    condition = {}
    for operator, keys in value.items():
        try:
            split_operator(operator)
        except UnknownOperator:
            raise PolicyError(f"{where}: unknown condition operator {shown(operator)}") from None
        if not isinstance(keys, dict):
            raise PolicyError(f"{where}: Condition {shown(operator)} maps keys to values, not {kind(keys)}")
        condition[operator] = {}
        for key, values in keys.items():
            texts = []
            for position, item in enumerate(values if isinstance(values, list) else [values]):
                text = as_text(item)
                if text is None:
                    at = f"[{position}]" if isinstance(values, list) else ""
                    raise PolicyError(f"{where}: Condition {shown(operator)} {shown(key)}{at} is {kind(item)}; "
                                      "condition values are strings, numbers or booleans")
                texts.append(text)
            condition[operator][key] = texts
    return condition


def _statement(item: Any, name: str, index: int) -> Statement:
    where = f"{name} statement {index + 1}"
    if not isinstance(item, dict):
        raise PolicyError(f"{where}: a statement is a JSON object, not {kind(item)}")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny") or not isinstance(effect, str):
        raise PolicyError(f"{where}: Effect must be Allow or Deny, not {shown(effect)}")
    sid = item.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError(f"{where}: Sid is a string, not {kind(sid)}")
    if ("Action" in item) == ("NotAction" in item):
        raise PolicyError(f"{where}: a statement has exactly one of Action and NotAction")
    if "Resource" in item and "NotResource" in item:
        raise PolicyError(f"{where}: a statement has at most one of Resource and NotResource")
    if "Principal" in item and "NotPrincipal" in item:
        raise PolicyError(f"{where}: a statement has at most one of Principal and NotPrincipal")
    elements = {element: _strings(item, element, where)
                for element in ("Action", "NotAction", "Resource", "NotResource") if element in item}
    principals = {element: _principal(item[element], element, where)
                  for element in ("Principal", "NotPrincipal") if element in item}
    return Statement(
        policy=name,
        index=index,
        sid=sid,
        effect=effect,
        actions=elements.get("Action", ()),
        not_actions=elements.get("NotAction", ()),
        resources=elements.get("Resource", ()),
        not_resources=elements.get("NotResource", ()),
        principal=principals.get("Principal"),
        not_principal=principals.get("NotPrincipal"),
        condition=_condition(item["Condition"], where) if "Condition" in item else {},
    )

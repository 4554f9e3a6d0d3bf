"""IAM policy documents into statements that know where they came from.

A statement is named by its policy, its Sid and its position, so that a decision can say which
statement decided it ("IAM JSON policy elements reference", IAM User Guide).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class PolicyError(ValueError):
    """A policy that is not a valid IAM policy document; the message says where."""


def _as_list(value: Any) -> tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


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
    condition: dict = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """How an explanation names it: policy, Sid and position."""
        sid = f" (Sid {self.sid})" if self.sid else ""
        return f"{self.policy} statement {self.index + 1}{sid}"


@dataclass(frozen=True)
class Policy:
    name: str
    statements: tuple[Statement, ...]
    document: dict = field(default_factory=dict, compare=False, repr=False)


def parse_policy(document: Any, name: str) -> Policy:
    """A policy from a JSON string or a mapping; raises PolicyError for what IAM would reject."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise PolicyError(f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(document, dict):
        raise PolicyError(f"{name}: a policy is a JSON object with a Statement")
    raw = document.get("Statement")
    if raw is None:
        raise PolicyError(f"{name}: the policy has no Statement")
    statements = []
    for index, item in enumerate(_as_list(raw)):
        statements.append(_statement(item, name, index))
    return Policy(name, tuple(statements), document)


def _statement(item: Any, name: str, index: int) -> Statement:
    where = f"{name} statement {index + 1}"
    if not isinstance(item, dict):
        raise PolicyError(f"{where}: a statement is a JSON object")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f"{where}: Effect must be Allow or Deny, not {effect!r}")
    if ("Action" in item) == ("NotAction" in item):
        raise PolicyError(f"{where}: a statement has exactly one of Action and NotAction")
    if "Resource" in item and "NotResource" in item:
        raise PolicyError(f"{where}: a statement has at most one of Resource and NotResource")
    if "Principal" in item and "NotPrincipal" in item:
        raise PolicyError(f"{where}: a statement has at most one of Principal and NotPrincipal")
    condition = item.get("Condition") or {}
    if not isinstance(condition, dict) or not all(isinstance(v, dict) for v in condition.values()):
        raise PolicyError(f"{where}: Condition maps operators to {{key: values}}")
    from .conditions import UnknownOperator, split_operator

    for operator in condition:
        try:
            split_operator(operator)
        except UnknownOperator:
            raise PolicyError(f"{where}: unknown condition operator {operator!r}") from None
    for value in (*_as_list(item.get("Action")), *_as_list(item.get("NotAction")),
                  *_as_list(item.get("Resource")), *_as_list(item.get("NotResource"))):
        if not isinstance(value, str):
            raise PolicyError(f"{where}: actions and resources are strings, not {value!r}")
    return Statement(
        policy=name,
        index=index,
        sid=item.get("Sid"),
        effect=effect,
        actions=_as_list(item.get("Action")),
        not_actions=_as_list(item.get("NotAction")),
        resources=_as_list(item.get("Resource")),
        not_resources=_as_list(item.get("NotResource")),
        principal=item.get("Principal"),
        not_principal=item.get("NotPrincipal"),
        condition={op: {k: [str(x) if not isinstance(x, str) else x for x in _as_list(v)]
                        for k, v in keys.items()} for op, keys in condition.items()},
    )

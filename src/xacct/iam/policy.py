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
from .once import covers, covers_element
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
    # times (every call through the sandbox gate) and compiled once; only statements whose action
    # a request reaches are (Policy.statements_for). (cached_property writes the instance's
    # __dict__, which a frozen dataclass allows; dataclasses.replace starts afresh.)
    @cached_property
    def compiled(self):
        """Resource, Principal and Condition matchers."""
        from .matchers import CompiledStatement

        return CompiledStatement(self)


class Policy:
    """A policy: its name, its statements and the document they came from.

    A parsed document keeps a statement of the plain shape (no Principal, no Condition) as its
    checked JSON object until a request's action reaches it (statements_for) or every statement
    is asked for (statements): a request file may hold 20,000 statements about other actions,
    and making a Statement of each would cost more than checking it does."""

    def __init__(self, name: str, statements=(), document: dict | None = None, *, entries: list | None = None):
        self.name = name
        self.document = {} if document is None else document
        # each a Statement, or the checked JSON object of a plain statement at that position
        self._entries = list(statements) if entries is None else entries
        self._by_action: dict[str, tuple[Statement, ...]] = {}
        self._reached: dict[str, tuple[int, ...]] = {}
        self.literal_variables = False  # version 2008-10-17 (or none): `${...}` is text (parse_policy)

    def _made(self, entry: dict, index: int) -> Statement:
        """The Statement of a plain statement still in its JSON object."""
        return _from_plain(_variables_as_text(entry) if self.literal_variables else entry, self.name, index)

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        """Every statement, in order."""
        entries = self._entries
        for index, entry in enumerate(entries):
            if type(entry) is dict:
                entries[index] = self._made(entry, index)
        return tuple(entries)

    def statements_for(self, action: str) -> tuple[Statement, ...]:
        """The statements whose Action or NotAction covers `action` (lowercased). Remembered per
        action: a policy meets the same few actions again and again, and most of its statements
        are about other actions."""
        remembered = self._by_action
        found = remembered.get(action)
        if found is None:
            if len(remembered) >= _REMEMBERED_ACTIONS:
                remembered.clear()
            entries = self._entries
            for index in self._reach(action):
                if type(entries[index]) is dict:
                    entries[index] = self._made(entries[index], index)
            found = remembered[action] = tuple(entries[index] for index in self._reach(action))
        return found

    def _reach(self, action: str) -> tuple[int, ...]:
        """The positions of the statements `action` reaches, found without making Statements."""
        remembered = self._reached
        found = remembered.get(action)
        if found is None:
            if len(remembered) >= _REMEMBERED_ACTIONS:
                remembered.clear()
            seen: dict[str, bool] = {}  # a pattern repeated over statements is matched once
            found = remembered[action] = tuple(
                index for index, entry in enumerate(self._entries)
                if (covers_element(entry, action, seen) if type(entry) is dict else covers(entry, action)))
        return found

    def reached_elements(self, action: str) -> tuple[list[str], list[Statement], int]:
        """(the Resource and NotResource patterns of the statements `action` reaches, those of
        them with a Condition, how many it reaches), without making Statements of plain ones
        (budget.py)."""
        patterns, conditions = [], []
        entries = self._entries
        for index in self._reach(action):
            entry = entries[index]
            if type(entry) is dict:
                value = entry.get("Resource")
                if value is None:
                    value = entry.get("NotResource")
                if type(value) is str:
                    patterns.append(value)
                elif value is not None:
                    patterns += value
            else:
                patterns += entry.resources or entry.not_resources
                if entry.condition:
                    conditions.append(entry)
        return patterns, conditions, len(self._reach(action))

    def action_patterns(self) -> list[str]:
        """Every Action and NotAction pattern of the policy, without making Statements of the
        plain ones (budget.py counts them all)."""
        patterns = []
        for entry in self._entries:
            if type(entry) is dict:
                value = entry.get("Action")
                if value is None:
                    value = entry["NotAction"]
                if type(value) is str:
                    patterns.append(value)
                else:
                    patterns += value
            else:
                patterns += entry.actions or entry.not_actions
        return patterns

    def __eq__(self, other) -> bool:
        if not isinstance(other, Policy):
            return NotImplemented
        return (self.name, self.statements) == (other.name, other.statements)

    __hash__ = None  # as the frozen dataclass it was: its statements hold dicts

    def __repr__(self) -> str:
        return f"Policy(name={self.name!r}, statements={self.statements!r})"


# The policy language version in which policy variables are variables; in 2008-10-17, the version
# a policy without a Version element has, `${aws:username}` is literal text ("IAM JSON policy
# elements: Version", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html).
VARIABLES_VERSION = "2012-10-17"
# An empty Action or Resource list names nothing, so its statement matches no request; it is kept
# as one pattern that no action or ARN equals (an empty tuple would mean "no Resource element").
MATCHES_NOTHING = ""


def parse_policy(document: Any, name: str, *, identity: bool = False) -> Policy:
    """A policy from a JSON string or a mapping; raises PolicyError for what IAM would reject.
    `identity`: the policy is identity-based (a user's, group's or role's policy, a boundary, a
    session policy), whose statements IAM refuses without a Resource or NotResource."""
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
    literal = document.get("Version") != VARIABLES_VERSION
    entries = []
    for index, item in enumerate(_as_list(raw)):
        if _plain(item):
            entries.append(item)  # (its variables are made literal when it becomes a Statement)
        else:
            entries.append(_statement(_variables_as_text(item) if literal else item, name, index, literal))
    if identity:
        _require_resources(raw, name)
    policy = Policy(name, document=document, entries=entries)
    policy.literal_variables = literal
    return policy


def _require_resources(raw: Any, name: str) -> None:
    """IAM refuses an identity-based policy with a statement that has neither Resource nor
    NotResource (MalformedPolicyDocument; IAM Access Analyzer's policy check calls it "Missing
    required field Resource", https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)."""
    for index, item in enumerate(_as_list(raw)):
        if isinstance(item, dict) and "Resource" not in item and "NotResource" not in item:
            raise PolicyError(f"{name} statement {index + 1}: Missing required field Resource (IAM refuses the "
                              "policy: MalformedPolicyDocument)")


def _variables_as_text(item: Any) -> Any:
    """A statement with each `${` in its Resource and NotResource written as the escape `${$}`
    followed by `{`, which reads back as the literal text: a policy of version 2008-10-17 (or
    none) has no policy variables (its Condition values are rewritten where _condition reads
    them). A statement without `${` is returned as it is, found at C speed."""
    if not isinstance(item, dict):
        return item
    elements = [e for e in ("Resource", "NotResource") if e in item and _has_variable(item[e])]
    if not elements:
        return item
    return {**item, **{element: _literal(item[element]) for element in elements}}


def _has_variable(value: Any) -> bool:
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, list):
        if set(map(type, value)) == _STR_ONLY:  # the common case, at C speed
            return "${" in "\x00".join(value)
        return any(map(_has_variable, value))
    if isinstance(value, dict):
        return any(_has_variable(v) for v in value.values())
    return False


def _literal(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${", "${$}{")
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    return value


def _strings(item: dict, element: str, where: str) -> tuple[str, ...]:
    """Action, NotAction, Resource, NotResource: a string or a list of strings. An empty Action or
    Resource list names nothing (MATCHES_NOTHING); an empty NotAction or NotResource is refused."""
    value = item[element]
    values = value if isinstance(value, list) else [value]
    if not values:
        if element in ("Action", "Resource"):
            return (MATCHES_NOTHING,)
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


def _condition(value: Any, where: str, literal: bool = False) -> dict:
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
            if type(values) is list and set(map(type, values)) == _STR_ONLY:
                # text already: no look at each value (but one, at C speed, for `${` to keep as text)
                condition[operator][key] = _literal(values) if literal and "${" in "\x00".join(values) else values
                continue
            texts = []
            for position, item in enumerate(values if isinstance(values, list) else [values]):
                text = as_text(item)
                if text is None:
                    at = f"[{position}]" if isinstance(values, list) else ""
                    raise PolicyError(f"{where}: Condition {shown(operator)} {shown(key)}{at} is {kind(item)}; "
                                      "condition values are strings, numbers or booleans")
                texts.append(_literal(text) if literal else text)
            condition[operator][key] = texts
    return condition


_EFFECTS = ("Allow", "Deny")
_STR_ONLY = {str}
_ABSENT = object()
_new, _set = object.__new__, object.__setattr__


def _listed(value: Any) -> tuple[str, ...] | None:
    """Action, NotAction, Resource or NotResource as a tuple when it is of the common shape (a
    string, or a non-empty list of strings); None when absent or for _checked to say what is
    wrong."""
    if type(value) is str:
        return (value,)
    if type(value) is list and value and set(map(type, value)) == _STR_ONLY:
        return tuple(value)
    return None


def _plain(item: Any) -> bool:
    """Whether a statement is of the plain shape, checked: a JSON object with an Effect, a Sid
    or none, exactly one of Action and NotAction, at most one of Resource and NotResource, each
    a string or a non-empty list of strings, and no Principal, NotPrincipal or Condition."""
    if type(item) is not dict:
        return False
    get = item.get
    effect, sid = get("Effect"), get("Sid")
    if type(effect) is not str or effect not in _EFFECTS or not (sid is None or type(sid) is str):
        return False
    if "Principal" in item or "NotPrincipal" in item or "Condition" in item:
        return False
    action, not_action = get("Action", _ABSENT), get("NotAction", _ABSENT)
    resource, not_resource = get("Resource", _ABSENT), get("NotResource", _ABSENT)
    if (action is _ABSENT) == (not_action is _ABSENT) or not (resource is _ABSENT or not_resource is _ABSENT):
        return False
    for value in (action, not_action, resource, not_resource):
        if value is not _ABSENT and type(value) is not str and not (
                type(value) is list and value and set(map(type, value)) == _STR_ONLY):
            return False
    return True


def _from_plain(item: dict, name: str, index: int) -> Statement:
    """The Statement of a plain statement (_plain), made without the frozen dataclass's
    __init__, which sets each field through object.__setattr__ (2.9 us a statement, not 0.6)."""
    get = item.get
    statement = _new(Statement)
    _set(statement, "__dict__", {
        "policy": name, "index": index, "sid": get("Sid"), "effect": item["Effect"],
        "actions": _tuple(get("Action")), "not_actions": _tuple(get("NotAction")),
        "resources": _tuple(get("Resource")), "not_resources": _tuple(get("NotResource")),
        "principal": None, "not_principal": None, "condition": {}})
    return statement


def _tuple(value) -> tuple[str, ...]:
    return () if value is None else (value,) if type(value) is str else tuple(value)


def _statement(item: Any, name: str, index: int, literal: bool = False) -> Statement:
    """A statement from its JSON object. A request file may hold tens of thousands, so the common
    shape is checked in a few steps and the Statement made without the frozen dataclass's
    __init__, which sets each field through object.__setattr__ (2.9 us a statement instead of
    0.6); anything unusual goes through `_checked`, which says what is wrong."""
    if type(item) is dict:
        get = item.get
        effect, sid = get("Effect"), get("Sid")
        action, not_action = get("Action", _ABSENT), get("NotAction", _ABSENT)
        resource, not_resource = get("Resource", _ABSENT), get("NotResource", _ABSENT)
        if (type(effect) is str and effect in _EFFECTS and (sid is None or type(sid) is str)
                and (action is _ABSENT) != (not_action is _ABSENT)
                and (resource is _ABSENT or not_resource is _ABSENT)):
            # (a string, the commonest value, without a call)
            actions = (action,) if type(action) is str else () if action is _ABSENT else _listed(action)
            not_actions = () if not_action is _ABSENT else _listed(not_action)
            resources = ((resource,) if type(resource) is str else () if resource is _ABSENT
                         else _listed(resource))
            not_resources = () if not_resource is _ABSENT else _listed(not_resource)
            if (actions is not None and not_actions is not None and resources is not None
                    and not_resources is not None and ("Principal" not in item or "NotPrincipal" not in item)):
                principal, not_principal, condition = None, None, {}
                if "Principal" in item or "NotPrincipal" in item or "Condition" in item:
                    where = f"{name} statement {index + 1}"
                    if "Principal" in item:
                        principal = _principal(item["Principal"], "Principal", where)
                    if "NotPrincipal" in item:
                        not_principal = _principal(item["NotPrincipal"], "NotPrincipal", where)
                    if "Condition" in item:
                        condition = _condition(item["Condition"], where, literal)
                statement = _new(Statement)
                _set(statement, "__dict__", {
                    "policy": name, "index": index, "sid": sid, "effect": effect, "actions": actions,
                    "not_actions": not_actions, "resources": resources, "not_resources": not_resources,
                    "principal": principal, "not_principal": not_principal, "condition": condition})
                return statement
    return _checked(item, name, index, literal)


def _checked(item: Any, name: str, index: int, literal: bool = False) -> Statement:
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
        condition=_condition(item["Condition"], where, literal) if "Condition" in item else {},
    )

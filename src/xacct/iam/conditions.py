"""Condition operators ("IAM JSON policy elements: Condition operators", IAM User Guide).

A Condition block holds operators; each operator holds keys; each key lists values. The block is
true when every operator is, an operator when every key is, and a key when the request's value
matches any listed value (for negated operators: matches none of them). A key absent from the
request makes a positive operator false and a negated one true; `...IfExists` makes any operator
true then. `ForAnyValue:` and `ForAllValues:` compare each value of a multivalued key ("Single-
valued vs. multivalued context keys"). `Null` tests whether the key is present.
"""

from __future__ import annotations

import base64
import ipaddress
from datetime import datetime, timezone
from typing import Callable

from .variables import Unresolved, substitute
from .wildcards import arn_matches, glob


def _string_equals(want: str, have: str) -> bool:
    return want == have


def _string_equals_ignore_case(want: str, have: str) -> bool:
    return want.lower() == have.lower()


def _string_like(want: str, have: str) -> bool:
    return glob(want, have)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _numeric(compare: Callable[[float, float], bool]):
    def match(want: str, have: str) -> bool:
        a, b = _number(have), _number(want)
        return a is not None and b is not None and compare(a, b)

    return match


def _date(text: str) -> datetime | None:
    text = text.strip()
    try:
        return datetime.fromtimestamp(float(text), tz=timezone.utc)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _dated(compare: Callable[[datetime, datetime], bool]):
    def match(want: str, have: str) -> bool:
        a, b = _date(have), _date(want)
        return a is not None and b is not None and compare(a, b)

    return match


def _bool(want: str, have: str) -> bool:
    return want.lower() == have.lower()


def _binary(want: str, have: str) -> bool:
    try:
        return base64.b64decode(want) == base64.b64decode(have)
    except ValueError:
        return False


def _ip(want: str, have: str) -> bool:
    try:
        return ipaddress.ip_address(have) in ipaddress.ip_network(want, strict=False)
    except ValueError:
        return False


def _arn(want: str, have: str) -> bool:
    return arn_matches(want, have)


# operator -> (compare(policy value, request value), negated)
OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringEqualsIgnoreCase": (_string_equals_ignore_case, False),
    "StringNotEqualsIgnoreCase": (_string_equals_ignore_case, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    "NumericEquals": (_numeric(lambda a, b: a == b), False),
    "NumericNotEquals": (_numeric(lambda a, b: a == b), True),
    "NumericLessThan": (_numeric(lambda a, b: a < b), False),
    "NumericLessThanEquals": (_numeric(lambda a, b: a <= b), False),
    "NumericGreaterThan": (_numeric(lambda a, b: a > b), False),
    "NumericGreaterThanEquals": (_numeric(lambda a, b: a >= b), False),
    "DateEquals": (_dated(lambda a, b: a == b), False),
    "DateNotEquals": (_dated(lambda a, b: a == b), True),
    "DateLessThan": (_dated(lambda a, b: a < b), False),
    "DateLessThanEquals": (_dated(lambda a, b: a <= b), False),
    "DateGreaterThan": (_dated(lambda a, b: a > b), False),
    "DateGreaterThanEquals": (_dated(lambda a, b: a >= b), False),
    "Bool": (_bool, False),
    "BinaryEquals": (_binary, False),
    "IpAddress": (_ip, False),
    "NotIpAddress": (_ip, True),
    "ArnEquals": (_arn, False),
    "ArnLike": (_arn, False),
    "ArnNotEquals": (_arn, True),
    "ArnNotLike": (_arn, True),
}


class UnknownOperator(ValueError):
    pass


def split_operator(name: str) -> tuple[str | None, str, bool]:
    """'ForAnyValue:StringLikeIfExists' -> ('ForAnyValue', 'StringLike', True)."""
    qualifier, _, rest = name.rpartition(":")
    qualifier = qualifier or None
    if qualifier not in (None, "ForAnyValue", "ForAllValues"):
        raise UnknownOperator(name)
    if_exists = rest.endswith("IfExists") and rest != "IfExists"
    base = rest[: -len("IfExists")] if if_exists else rest
    if base != "Null" and base not in OPERATORS:
        raise UnknownOperator(name)
    return qualifier, base, if_exists


def _values_match(compare, wants: list[str], have: str, context) -> bool:
    for want in wants:
        try:
            pattern = substitute(want, context, for_pattern=compare in (_string_like, _arn))
        except Unresolved:
            continue  # a variable with no value matches nothing
        if compare(pattern, have):
            return True
    return False


def key_holds(operator: str, key: str, wants: list[str], context: dict[str, list[str]]) -> bool:
    """Whether one key of one operator holds for the request context (keys lowercased)."""
    qualifier, base, if_exists = split_operator(operator)
    haves = context.get(key.lower())
    present = haves is not None and len(haves) > 0
    if base == "Null":
        # "true": the key must be absent; "false": it must be present
        return any((w.lower() == "true") == (not present) for w in wants)
    compare, negated = OPERATORS[base]
    if qualifier == "ForAllValues":
        if not present:
            return True
        if negated:
            return all(not _values_match(compare, wants, h, context) for h in haves)
        return all(_values_match(compare, wants, h, context) for h in haves)
    if qualifier == "ForAnyValue":
        if not present:
            return False
        if negated:
            return any(not _values_match(compare, wants, h, context) for h in haves)
        return any(_values_match(compare, wants, h, context) for h in haves)
    if not present:
        return True if if_exists else negated
    matched = any(_values_match(compare, wants, h, context) for h in haves)
    return not matched if negated else matched


def condition_holds(condition: dict, context: dict[str, list[str]]) -> tuple[bool, tuple | None]:
    """(holds, (operator, key, policy values, request values or None) of the first key that does
    not hold)."""
    for operator, keys in condition.items():
        for key, wants in keys.items():
            if not key_holds(operator, key, wants, context):
                return False, (operator, key, wants, context.get(key.lower()))
    return True, None

"""Condition operators ("IAM JSON policy elements: Condition operators", IAM User Guide).

A Condition block holds operators; each operator holds keys; each key lists values. The block is
true when every operator is, an operator when every key is, and a key when the request's value
matches any listed value (for negated operators: matches none of them). A key absent from the
request makes a positive operator false and a negated one true; `...IfExists` makes any operator
true then. `ForAnyValue:` and `ForAllValues:` compare each value of a multivalued key ("Single-
valued vs. multivalued context keys"). `Null` tests whether the key is present.

The policy's values are read once, when the statement is compiled (`KeyTest`): numbers, dates and
networks parsed, patterns compiled, equal-to values gathered in a set, and for "less than" and
"greater than" only the loosest bound kept (a value is below any of them when it is below the
largest). A request value is read once per key. A value that does not read as its operator's
type (a number out of range, a date before year 1) matches nothing; it never raises.
"""

from __future__ import annotations

import base64
import ipaddress
import math
import operator as op
import re
from datetime import datetime, timezone
from functools import lru_cache
from itertools import repeat
from typing import Any, Callable

from .scalars import as_text
from .variables import Unresolved, substitute
from .wildcards import arn_match_once, compile_arn, compile_glob, match_once, split_arn

_WILD = re.compile("[*?\x00]")
# A JSON-style decimal number; possessive quantifiers so that a long run of digits cannot backtrack.
_NUMBER = re.compile(r"[+-]?+(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+")


def _number(text: str) -> float | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None  # 1e999 is out of range: no match


def _date(text: str) -> datetime | None:
    """An ISO 8601 date or time (UTC unless it says otherwise), or seconds since the epoch."""
    text = text.strip()
    seconds = _number(text)
    if seconds is not None:
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):  # beyond the years datetime holds
            return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _binary(text: str) -> bytes | None:
    try:
        return base64.b64decode(text)
    except ValueError:  # binascii.Error, or a character outside ASCII
        return None


def _network(text: str):
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _address(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


_same = str  # a str as it is, and at C speed: prepare maps it over every value of a policy
_lower = str.lower


class _Equal:
    """Operators that hold when the two values read the same: a set of the policy's values."""

    pattern = False

    def __init__(self, read: Callable[[str], Any]) -> None:
        self.read = read

    def prepare(self, wants):
        return frozenset(v for v in map(self.read, wants) if v is not None)

    def test(self, prepared, have: str) -> bool:
        value = self.read(have)
        return value is not None and value in prepared


class _Ordered:
    """`have <op> want` for any want: only the loosest want matters (the largest for < and <=,
    the smallest for > and >=)."""

    pattern = False

    def __init__(self, read: Callable[[str], Any], compare: Callable[[Any, Any], bool]) -> None:
        self.read, self.compare = read, compare
        self.loosest = max if compare in (op.lt, op.le) else min

    def prepare(self, wants):
        values = [v for v in map(self.read, wants) if v is not None]
        return self.loosest(values) if values else None

    def test(self, prepared, have: str) -> bool:
        if prepared is None:
            return False
        value = self.read(have)
        return value is not None and self.compare(value, prepared)


class _Like:
    """StringLike: plain values in a set, patterns compared as written the first time a key is
    tested (a decision made once compiles nothing: 90,000 patterns against one value) and
    compiled the second time, for the keys tested again and again (linear-time, wildcards.py)."""

    pattern = True  # a variable's value in a pattern is literal

    def prepare(self, wants):
        plain = [not _WILD.search(w) for w in wants]  # (\x00: a literal * or ? from a variable)
        return (frozenset(w for w, p in zip(wants, plain) if p),
                _Patterns([w for w, p in zip(wants, plain) if not p], _glob_match, match_once))

    def test(self, prepared, have: str) -> bool:
        exact, patterns = prepared
        return have in exact or patterns.any(have)


class _Patterns:
    """Patterns matched as written on their first test, then compiled (see _Like)."""

    __slots__ = ("texts", "compiled", "build", "once")  # build(text): the compiled pattern's match

    def __init__(self, texts: list[str], build, once) -> None:
        self.texts, self.compiled, self.build, self.once = texts, None, build, once

    def any(self, *value) -> bool:
        """Whether a pattern matches `value`: (text,) for a glob, (ARN, its parts) for an ARN."""
        compiled = self.compiled
        if compiled is None:
            self.compiled = ()  # the next test compiles
            return any(map(self.once, self.texts, *map(repeat, value)))
        if not compiled and self.texts:
            compiled = self.compiled = tuple(map(self.build, self.texts))
        for match in compiled:
            if match(*value):
                return True
        return False


def _glob_match(text: str):
    return compile_glob(text).match_folded  # case-sensitive: nothing to fold


def _arn_match(text: str):
    return compile_arn(text).match


class _Arn:
    """ArnEquals and ArnLike (which AWS treats alike): segment by segment, with wildcards."""

    pattern = True

    def prepare(self, wants):
        return _Patterns(list(wants), _arn_match, arn_match_once)

    def test(self, prepared, have: str) -> bool:
        return prepared.any(have, split_arn(have))


class _Ip:
    pattern = False

    def prepare(self, wants):
        return tuple(n for n in map(_network, wants) if n is not None)

    def test(self, prepared, have: str) -> bool:
        address = _address(have)
        return address is not None and any(address in network for network in prepared)  # v4 is never in v6


# operator -> (comparison, negated)
OPERATORS: dict[str, tuple[Any, bool]] = {
    "StringEquals": (_Equal(_same), False),
    "StringNotEquals": (_Equal(_same), True),
    "StringEqualsIgnoreCase": (_Equal(_lower), False),
    "StringNotEqualsIgnoreCase": (_Equal(_lower), True),
    "StringLike": (_Like(), False),
    "StringNotLike": (_Like(), True),
    "NumericEquals": (_Equal(_number), False),
    "NumericNotEquals": (_Equal(_number), True),
    "NumericLessThan": (_Ordered(_number, op.lt), False),
    "NumericLessThanEquals": (_Ordered(_number, op.le), False),
    "NumericGreaterThan": (_Ordered(_number, op.gt), False),
    "NumericGreaterThanEquals": (_Ordered(_number, op.ge), False),
    "DateEquals": (_Equal(_date), False),
    "DateNotEquals": (_Equal(_date), True),
    "DateLessThan": (_Ordered(_date, op.lt), False),
    "DateLessThanEquals": (_Ordered(_date, op.le), False),
    "DateGreaterThan": (_Ordered(_date, op.gt), False),
    "DateGreaterThanEquals": (_Ordered(_date, op.ge), False),
    "Bool": (_Equal(_lower), False),
    "BinaryEquals": (_Equal(_binary), False),
    "IpAddress": (_Ip(), False),
    "NotIpAddress": (_Ip(), True),
    "ArnEquals": (_Arn(), False),
    "ArnLike": (_Arn(), False),
    "ArnNotEquals": (_Arn(), True),
    "ArnNotLike": (_Arn(), True),
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


class KeyTest:
    """One key of one operator, its policy values read once."""

    __slots__ = ("operator", "key", "wants", "lookup", "qualifier", "if_exists", "null", "comparison", "negated",
                 "prepared", "variables")

    def __init__(self, operator: str, key: str, wants: list[str]) -> None:
        self.operator, self.key, self.wants = operator, key, wants
        self.lookup = key.lower()
        self.qualifier, base, self.if_exists = split_operator(operator)
        # Null: "true" holds when the key is absent, "false" when it is present
        self.null = frozenset(w.lower() == "true" for w in wants) if base == "Null" else None
        self.comparison, self.negated = OPERATORS.get(base, (None, False))
        if self.comparison is not None:
            # values with a policy variable (`${aws:username}`) are read per request
            self.prepared = self.comparison.prepare([w for w in wants if "${" not in w])
            self.variables = tuple(w for w in wants if "${" in w)

    def _with_variables(self, context) -> list:
        prepared = []
        for want in self.variables:
            try:
                text = substitute(want, context, for_pattern=self.comparison.pattern)
            except Unresolved:
                continue  # a variable with no value matches nothing
            prepared.append(self.comparison.prepare([text]))
        return prepared

    def holds(self, context) -> bool:
        """Whether the key holds for a request context (keys lowercased; values lists of text)."""
        haves = context.get(self.lookup)
        if isinstance(haves, str):
            haves = [haves]
        present = bool(haves)
        if self.null is not None:
            return (not present) in self.null
        qualifier, negated = self.qualifier, self.negated
        if not present:
            if qualifier == "ForAllValues":
                return True
            if qualifier == "ForAnyValue":
                return False
            return True if self.if_exists else negated
        extra = self._with_variables(context) if self.variables else ()
        if qualifier == "ForAllValues":
            return all(self._matches(h, extra) != negated for h in haves)
        if qualifier == "ForAnyValue":
            return any(self._matches(h, extra) != negated for h in haves)
        for have in haves:
            if self._matches(have, extra):
                return not negated
        return negated

    def _matches(self, have, extra) -> bool:
        """Whether one request value matches any of the policy's values."""
        if not isinstance(have, str):
            have = as_text(have)
            if have is None:
                return False
        comparison = self.comparison
        if comparison.test(self.prepared, have):
            return True
        for prepared in extra:
            if comparison.test(prepared, have):
                return True
        return False


@lru_cache(maxsize=4096)
def _key_test(operator: str, key: str, wants: tuple[str, ...]) -> KeyTest:
    return KeyTest(operator, key, list(wants))


def compile_key_test(operator: str, key: str, wants: list[str]) -> KeyTest:
    """A KeyTest, shared between statements with the same operator, key and values (the sandbox
    reads the same policies again for every call)."""
    if len(wants) > 64 or sum(len(w) for w in wants) > 4096:
        return KeyTest(operator, key, wants)  # not worth a place in the cache
    return _key_test(operator, key, tuple(wants))


def key_holds(operator: str, key: str, wants: list[str], context: dict[str, list[str]]) -> bool:
    """Whether one key of one operator holds for the request context (keys lowercased)."""
    return compile_key_test(operator, key, list(wants)).holds(context)


def compile_condition(condition: dict) -> tuple[KeyTest, ...]:
    return tuple(compile_key_test(operator, key, wants) for operator, keys in condition.items()
                 for key, wants in keys.items())


def failed_test(tests: tuple[KeyTest, ...], context) -> KeyTest | None:
    """The first key that does not hold, or None when the condition block holds."""
    for test in tests:
        if not test.holds(context):
            return test
    return None


def failed_tests(tests: tuple[KeyTest, ...], first: KeyTest, context) -> list[KeyTest]:
    """Every key that does not hold, given the first that does not (failed_test): a near miss
    names them all. The keys before the first held already and are not tested again."""
    after = tests[tests.index(first) + 1:]
    return [first] + [test for test in after if not test.holds(context)]


def condition_holds(condition: dict, context) -> tuple[bool, tuple | None]:
    """(holds, (operator, key, policy values, request values or None) of the first key that does
    not hold)."""
    failed = failed_test(compile_condition(condition), context)
    if failed is None:
        return True, None
    return False, (failed.operator, failed.key, failed.wants, context.get(failed.lookup))

"""A statement compiled for evaluation: its resources, principal and condition read once into
matchers, so that a decision does set look-ups and linear-time glob matches instead of re-reading
the policy (which statements an action reaches, the policy remembers: once.covers). Matchers are
shared by content (an LRU cache), because the sandbox gate reads the same policies afresh for
every call it decides."""

from __future__ import annotations

from functools import lru_cache

from .conditions import KeyTest, compile_condition, failed_test
from .principals import Caller, PrincipalMatcher
from .variables import Unresolved, substitute
from .wildcards import compile_arn, compile_glob, split_arn

_WILDCARD_MARKS = ("*", "?", "\x00")  # "\x00": a literal * or ? from variables.py
_CACHED_SIZE = 4096  # characters; a bigger element is compiled for its statement alone


def _plain(pattern: str) -> bool:
    return not any(mark in pattern for mark in _WILDCARD_MARKS)


def _length(patterns: tuple[str, ...], *_) -> int:
    return sum(len(p) for p in patterns)


def _shared(build):
    """`build(patterns, ...)`, one object for equal arguments unless the patterns are large."""
    cached = lru_cache(maxsize=4096)(build)

    def get(patterns: tuple[str, ...], *more):
        return build(patterns, *more) if _length(patterns) > _CACHED_SIZE else cached(patterns, *more)

    return get


class ResourceMatcher:
    """Resource or NotResource: exact ARNs in a set, `prefix*` patterns in one str.startswith,
    other patterns compiled, and patterns with a policy variable (`${aws:username}`) filled and
    compiled per request. An ARN pattern with no wildcard before its resource part matches as
    one glob: it compares the same as segment by segment, and faster."""

    __slots__ = ("everything", "exact", "prefixes", "globs", "arns", "variables")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        fixed = [p for p in patterns if "${" not in p]
        self.everything = "*" in fixed
        self.exact = frozenset(p for p in fixed if _plain(p))
        whole, arns = [], []
        for pattern in fixed:
            if not _plain(pattern):
                parts = split_arn(pattern)
                if parts is None or all(_plain(part) for part in parts[:5]):
                    whole.append(compile_glob(pattern))
                else:
                    arns.append(compile_arn(pattern))
        self.prefixes = tuple(g.prefix for g in whole if g.prefix is not None)
        self.globs = tuple(g for g in whole if g.prefix is None)
        self.arns = tuple(arns)
        self.variables = tuple(p for p in patterns if "${" in p)

    def match(self, resource: str, parts: list[str] | None, context) -> bool:
        """`parts`: split_arn(resource)."""
        if self.everything or resource in self.exact or (self.prefixes and resource.startswith(self.prefixes)):
            return True
        for pattern in self.globs:
            if pattern.match_folded(resource):
                return True
        for pattern in self.arns:
            if pattern.match(resource, parts):
                return True
        return any(variable_arn_matches(text, resource, parts, context) for text in self.variables)


def variable_arn_matches(pattern: str, resource: str, parts, context) -> bool:
    """An ARN pattern with policy variables, filled from the request; a variable with no value
    matches nothing."""
    try:
        filled = substitute(pattern, context, for_pattern=True)
    except Unresolved:
        return False
    return compile_arn(filled).match(resource, parts)


_resources = _shared(ResourceMatcher)


class CompiledStatement:
    """The rest of a statement, compiled only for statements whose action matched a request."""

    __slots__ = ("resources", "not_resource", "principal", "not_principal", "_condition", "_tests")

    def __init__(self, statement) -> None:
        self.not_resource = bool(statement.not_resources)
        # trust policies carry no Resource: None matches any resource
        self.resources = _resources(statement.resources or statement.not_resources) if (
            statement.resources or statement.not_resources) else None
        self.principal = PrincipalMatcher(statement.principal) if statement.principal is not None else None
        self.not_principal = PrincipalMatcher(statement.not_principal) if statement.not_principal is not None else None
        self._condition = statement.condition
        self._tests: tuple[KeyTest, ...] | None = None  # compiled when a request first gets this far

    def matches_resource(self, resource: str, parts, context) -> bool:
        if self.resources is None:
            return True
        return self.resources.match(resource, parts, context) != self.not_resource

    def names(self, caller: Caller) -> str | None:
        """How a resource-based statement names the caller ("everyone", "caller", "account"),
        or None when it does not."""
        if self.principal is not None:
            return self.principal.match(caller)
        if self.not_principal is not None:
            return None if self.not_principal.match(caller) is not None else "everyone"
        return None  # a resource-based statement without a principal names nobody

    @property
    def tests(self) -> tuple[KeyTest, ...]:
        """The condition's keys, compiled (after failed_condition has run)."""
        return self._tests or ()

    def failed_condition(self, context) -> KeyTest | None:
        if not self._condition:
            return None
        if self._tests is None:
            self._tests = compile_condition(self._condition)
        return failed_test(self._tests, context)

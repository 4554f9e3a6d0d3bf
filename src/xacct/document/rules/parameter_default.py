import json

from ..model import Document, Parameter
from ..patterns import Patterns
from ..references import BUILD_PLACEHOLDER, has_reference
from ..types import resource_pattern, value_type
from ..values import type_of_literal
from .base import Issue, Rule


def _strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _as_type(value, kind):
    """The default as the declared type, or None when it is not of that type. SSM accepts a JSON
    string for a map or a list of maps."""
    if kind in ("StringMap", "MapList") and isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):  # RecursionError: a string of deeply nested JSON
            return None
    if kind == "String":
        return value if isinstance(value, str) else None
    if kind == "Integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "Boolean":
        return value if isinstance(value, bool) else None
    if kind == "StringList":
        return value if isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value) else None
    if kind == "StringMap":
        return value if isinstance(value, dict) else None
    if kind == "MapList":
        return value if isinstance(value, list) and all(isinstance(v, dict) for v in value) else None
    return value


def default_items(p: Parameter) -> list | None:
    """The values of a parameter's default that its constraints apply to (a list's items), or
    None when there is no default to check: none, a reference resolved at run time, a build
    placeholder, or a value not of the parameter's type."""
    kind = value_type(p.type)
    if not p.has_default or p.default is None or kind is None:
        return None
    if isinstance(p.default, str) and has_reference(p.default):
        return None
    if any(BUILD_PLACEHOLDER.search(text) for text in _strings(p.default)):
        return None
    value = _as_type(p.default, kind)
    if value is None:
        return None
    return value if isinstance(value, list) else [value]


def pattern_checks(p: Parameter, items: list, patterns: Patterns):
    """(pattern, item, found) for the allowedPattern and the type's resource pattern against
    each text item of the default: found is True, False, or None when the search could not tell
    in time (patterns.py). A pattern that does not compile is E1003's."""
    for pattern in (p.allowed_pattern, resource_pattern(p.type)):
        if pattern and patterns.compile(pattern).pattern is not None:
            for item in items:
                if isinstance(item, str):
                    yield pattern, item, patterns.search(pattern, item)


class ParameterDefault(Rule):
    """A default should satisfy its own parameter: its type, allowedValues, allowedPattern and the
    item and length limits. (A Parameter Store reference `{{ssm:...}}` is resolved at run time.)
    A warning: SSM checks the values an execution is given, not the defaults, and AWS's own
    runbooks give optional parameters a default of '' that their allowedPattern refuses."""

    id = "W1004"
    summary = "defaults satisfy their own constraints"

    def check(self, doc: Document):
        for p in doc.parameters.values():
            if p.has_default and p.default is not None:
                yield from self._check(p, doc.derived(Patterns.of))

    def _check(self, p: Parameter, compiled_patterns: Patterns):
        where = p.path + ("default",)
        kind = value_type(p.type)
        if kind is None or (isinstance(p.default, str) and has_reference(p.default)):
            return
        if any(BUILD_PLACEHOLDER.search(text) for text in _strings(p.default)):
            return  # E4002 reports the placeholder; the real value comes from the build
        value = _as_type(p.default, kind)
        if value is None:
            yield Issue(where, f"default of '{p.name}' is {type_of_literal(p.default) or 'null'}, "
                               f"not {p.type}")
            return
        items = value if isinstance(value, list) else [value]
        if p.allowed_values is not None:
            allowed = [str(v) for v in p.allowed_values]
            for item in items:
                if str(item) not in allowed and item not in p.allowed_values:
                    yield Issue(where, f"default '{item}' of '{p.name}' is not among its allowedValues")
        for pattern, item, found in pattern_checks(p, items, compiled_patterns):
            if found is False:  # None: not told in time, which W1005 reports
                yield Issue(where, f"default '{item}' of '{p.name}' does not match pattern {pattern}")
        if isinstance(value, list):
            if p.min_items is not None and len(value) < p.min_items:
                yield Issue(where, f"default of '{p.name}' has {len(value)} items, fewer than minItems {p.min_items}")
            if p.max_items is not None and len(value) > p.max_items:
                yield Issue(where, f"default of '{p.name}' has {len(value)} items, more than maxItems {p.max_items}")
        if isinstance(value, str):
            if p.min_chars is not None and len(value) < p.min_chars:
                yield Issue(where, f"default of '{p.name}' is shorter than minChars {p.min_chars}")
            if p.max_chars is not None and len(value) > p.max_chars:
                yield Issue(where, f"default of '{p.name}' is longer than maxChars {p.max_chars}")

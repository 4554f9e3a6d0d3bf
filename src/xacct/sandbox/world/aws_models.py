"""What AWS accepts for one request member, read from botocore's service models: a string's
minimum and maximum length, its pattern and its enum; a number's minimum and maximum.

The models' patterns are written for Java's regular expressions: `\\w`, `\\d` and `\\s` are
ASCII there (so `re.ASCII` here), and a few use Unicode categories (`\\p{L}` letters, `\\p{N}`
numbers, `\\p{Z}` separators, `\\p{P}` punctuation, `\\p{M}` marks), which Python's `re` lacks: a
pattern that is one character class repeated, such as IAM's tag keys `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
is checked character by character with `unicodedata` instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# `^([...]*)$`, `[...]+` and the like: one character class, repeated
_ONE_CLASS = re.compile(r"^\^?\(?\[(?P<chars>(?:\\.|[^\]])*)\](?P<repeat>[*+])\)?\$?$")
_CATEGORY = re.compile(r"\\p\{(?P<major>[A-Z])\}")


@dataclass(frozen=True)
class Constraint:
    """One member's rules, as `where` (service, operation, member) names them in messages."""

    where: str
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] = ()

    def problem(self, value) -> str | None:
        """Why AWS would refuse `value`, as a clause ("is at most 64 characters long (...)"), or None."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return self._range(value)
        if not isinstance(value, str):
            return None
        if self.enum and value not in self.enum:
            import difflib

            close = difflib.get_close_matches(value, self.enum, n=1)
            return f"is not a value {self.where} accepts" + (f" (did you mean {close[0]}?)" if close else "")
        if self.minimum is not None and len(value) < self.minimum:
            return f"is shorter than the {_characters(self.minimum)} {self.where} takes at least"
        if self.maximum is not None and len(value) > self.maximum:
            return f"is longer than the {_characters(self.maximum)} {self.where} takes at most"
        if self.pattern and not _matches(self.pattern, value):
            return f"does not match {self.pattern}, the pattern of {self.where}"
        return None

    def _range(self, value: int) -> str | None:
        low = self.minimum if self.minimum is not None else "any"
        high = self.maximum if self.maximum is not None else "any"
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            return f"is out of the range {low} to {high} of {self.where}"
        return None


def _characters(count: int) -> str:
    return f"{count} character" + ("" if count == 1 else "s")


@lru_cache(maxsize=None)
def _service_model(service: str):
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


@lru_cache(maxsize=None)
def constraint(service: str, operation: str, member: str) -> Constraint:
    """The rules of `member` of `operation`'s input (of the list's items, for a list member)."""
    shape = _service_model(service).operation_model(operation).input_shape.members[member]
    if shape.type_name == "list":
        shape = shape.member
    return _from_shape(shape, f"{service} {operation} {member}")


@lru_cache(maxsize=None)
def shape_constraint(service: str, shape_name: str) -> Constraint:
    """The rules of a named shape, for values no input member carries as such (an organization's
    ID, which the sandbox takes and AWS makes)."""
    return _from_shape(_service_model(service).shape_for(shape_name), f"{service} {shape_name}")


def _from_shape(shape, where: str) -> Constraint:
    metadata = shape.metadata
    return Constraint(where, metadata.get("min"), metadata.get("max"), metadata.get("pattern"),
                      tuple(getattr(shape, "enum", None) or ()))


def _matches(pattern: str, value: str) -> bool:
    return _compiled(pattern)(value)


@lru_cache(maxsize=None)
def _compiled(pattern: str):
    """A function telling whether a whole value matches `pattern`."""
    categories = [m.group("major") for m in _CATEGORY.finditer(pattern)]
    if not categories:
        try:
            regex = re.compile(pattern, re.ASCII)
        except re.error:  # a construct Python lacks: the lengths and enum still hold
            return lambda value: True
        return lambda value: regex.fullmatch(value) is not None
    whole = _ONE_CLASS.match(pattern)
    if whole is None:
        return lambda value: True
    rest = _CATEGORY.sub("", whole.group("chars"))
    others = re.compile(f"[{rest}]", re.ASCII) if rest else None
    majors = frozenset(categories)
    at_least_one = whole.group("repeat") == "+"

    def matches(value: str) -> bool:
        if at_least_one and not value:
            return False
        return all(unicodedata.category(c)[0] in majors or (others is not None and others.fullmatch(c))
                   for c in value)

    return matches


@lru_cache(maxsize=None)
def tag_member(service: str, operation: str, member: str) -> dict:
    """The model's rules (min, max, pattern) of a tag's Key or Value in `operation`'s Tags."""
    tag = _service_model(service).operation_model(operation).input_shape.members["Tags"].member
    return dict(tag.members[member].metadata)

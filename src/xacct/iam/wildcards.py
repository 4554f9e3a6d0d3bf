"""Matching actions and resources with IAM's wildcards: `*` is any run of characters, `?` any one
character. Actions compare without case; ARNs with case, segment by segment, so a wildcard in the
Region does not reach into the account ("IAM JSON policy elements: Action / Resource").

IAM's wildcards need no backtracking, and a regular expression does: `.*a.*a.*a...b` against a
long run of `a`s takes time growing with the value's length to the power of the number of stars
in Python's `re`. A pattern is instead cut at its `*`s into segments of fixed length (literal text
with `?` holes). The first segment must match at the start, the last at the end, and each middle
one is placed leftmost, after the one before it: leftmost placement leaves the most room to the
rest, so no other placement is ever worth trying. A segment of plain text is found with
`str.find`, so a match is a few scans of the value. A segment with `?` holes is found from one of
its pieces and checked piece by piece where that one lands: at worst (value length x pieces),
never more.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A `*` or `?` that came from `${*}`, `${?}` or from a variable's value is literal (variables.py).
LITERAL_STAR, LITERAL_QMARK = "\x00STAR\x00", "\x00QMARK\x00"
_LITERAL_MARKS = re.compile("(\x00STAR\x00|\x00QMARK\x00)")
# Compiled patterns are cached by text; a pattern longer than this is compiled each time it is
# asked for (its statement keeps it), so that the cache cannot hold megabytes of fuzz.
_CACHED_LENGTH = 1024
# A segment with `?` holes and up to this many different pieces is searched from its rarest piece.
_COUNTED_PIECES = 8


class _Segment:
    """The part of a pattern between two `*`: `length` characters, of which `pieces` are literal
    text at fixed offsets and the rest are `?`."""

    __slots__ = ("length", "pieces", "distinct")

    def __init__(self, items: list) -> None:
        pieces, offset = [], 0
        for item in items:  # a str is literal text, an int that many `?`
            if isinstance(item, int):
                offset += item
            elif pieces and pieces[-1][0] + len(pieces[-1][1]) == offset:
                pieces[-1] = (pieces[-1][0], pieces[-1][1] + item)  # text after text (a literal mark)
                offset += len(item)
            else:
                pieces.append((offset, item))
                offset += len(item)
        self.length = offset
        if len(pieces) > 1:
            # longest first: a long piece is the likeliest to tell a wrong place at once
            pieces.sort(key=lambda p: -len(p[1]))
            self.distinct = len({text for _, text in pieces})
        else:
            self.distinct = len(pieces)
        self.pieces = tuple(pieces)

    @classmethod
    def of_text(cls, text: str) -> "_Segment":
        """A segment of plain text (the common case, built without the general loop)."""
        segment = cls.__new__(cls)
        segment.length, segment.distinct = len(text), 1 if text else 0
        segment.pieces = ((0, text),) if text else ()
        return segment

    def at(self, value: str, position: int) -> bool:
        """Whether the segment matches `value` at `position` (which leaves room for it)."""
        for offset, text in self.pieces:
            if not value.startswith(text, position + offset):
                return False
        return True

    def find(self, value: str, start: int, end: int) -> int:
        """The leftmost position p >= start where the segment matches and ends by `end`; -1."""
        last = end - self.length
        if last < start:
            return -1
        pieces = self.pieces
        if not pieces:
            return start  # only `?`: any position with room will do
        anchor = pieces[0]
        if len(pieces) > 1 and self.distinct <= _COUNTED_PIECES:
            # `?` between pieces: look for the rarest piece, and give up at once on a missing one
            counts = {}
            for offset, text in pieces:
                if text not in counts:
                    counts[text] = value.count(text, start + offset, last + offset + len(text))
            if not all(counts.values()):
                return -1
            anchor = min(pieces, key=lambda p: counts[p[1]])
        offset, text = anchor
        stop = last + offset + len(text)
        others = tuple(p for p in pieces if p is not anchor)
        while True:
            found = value.find(text, start + offset, stop)
            if found < 0:
                return -1
            position = found - offset
            for other_offset, other in others:
                if not value.startswith(other, position + other_offset):
                    break
            else:
                return position
            start = position + 1


def _text(segment: _Segment) -> str | None:
    """A segment's text when it has no `?`, else None."""
    if not segment.pieces:
        return "" if segment.length == 0 else None
    offset, text = segment.pieces[0]
    return text if len(segment.pieces) == 1 and len(text) == segment.length else None


class Glob:
    """A compiled pattern: `match(value)` in time linear in the value for `*` and plain text
    (a segment with `?` costs at most its piece count per place it is tried). The commonest
    shapes (text, `text*`, `*text`, `*text*`, `text*text`) become one str method call."""

    __slots__ = ("pattern", "ignore_case", "segments", "min_length", "literal", "prefix", "match_folded")

    def __init__(self, pattern: str, ignore_case: bool = False) -> None:
        self.pattern, self.ignore_case = pattern, ignore_case
        segments: list[list] = [[]]
        for token in _LITERAL_MARKS.split(pattern) if "\x00" in pattern else (pattern,):
            if token == LITERAL_STAR:
                segments[-1].append("*")
            elif token == LITERAL_QMARK:
                segments[-1].append("?")
            elif token:
                if ignore_case:
                    token = token.lower()
                if "?" not in token:  # the common case, in fewer steps: a long pattern is mostly this
                    head, *rest = token.split("*")
                    if head:
                        segments[-1].append(head)
                    segments.extend([part] if part else [] for part in rest)
                    continue
                for index, part in enumerate(token.split("*")):
                    if index:
                        segments.append([])  # a wildcard `*` ends a segment
                    for number, text in enumerate(part.split("?")):
                        if number:
                            segments[-1].append(1)
                        if text:
                            segments[-1].append(text)
        self.segments = tuple(_Segment.of_text(items[0]) if len(items) == 1 and isinstance(items[0], str)
                              else _Segment.of_text("") if not items else _Segment(items) for items in segments)
        self.min_length = sum(s.length for s in self.segments)
        texts = [_text(s) for s in self.segments] if len(self.segments) <= 3 else []
        self.literal = texts[0] if len(texts) == 1 else None  # no wildcard: equality
        self.prefix = texts[0] if len(texts) == 2 and texts[0] and texts[1] == "" else None
        # `match_folded(value)`: `match` for a value already lowercased when the pattern ignores case
        self.match_folded = (_shortcut(texts) if texts and None not in texts else None) or self._any_shape

    def match(self, value: str) -> bool:
        return self.match_folded(value.lower() if self.ignore_case else value)

    def _any_shape(self, value: str) -> bool:
        if len(value) < self.min_length:
            return False
        segments = self.segments
        first = segments[0]
        if len(segments) == 1:
            return len(value) == first.length and first.at(value, 0)
        last = segments[-1]
        end = len(value) - last.length
        if not first.at(value, 0) or not last.at(value, end):
            return False
        start = first.length
        for segment in segments[1:-1]:
            found = segment.find(value, start, end)
            if found < 0:
                return False
            start = found + segment.length
        return True


def _shortcut(texts: list[str]):
    """A str method for a pattern of up to three segments without `?`, or None."""
    if len(texts) == 1:
        literal = texts[0]
        return lambda value: value == literal
    if not any(texts):
        return lambda value: True  # "*", "**", "***"
    if len(texts) == 2:
        head, tail = texts
        if not tail:
            return lambda value: value.startswith(head)
        if not head:
            return lambda value: value.endswith(tail)
        return lambda value: len(value) >= len(head) + len(tail) and value.startswith(head) and value.endswith(tail)
    if not texts[0] and not texts[2]:
        middle = texts[1]
        return lambda value: middle in value
    return None


@lru_cache(maxsize=8192)
def _cached_glob(pattern: str, ignore_case: bool) -> Glob:
    return Glob(pattern, ignore_case)


def compile_glob(pattern: str, ignore_case: bool = False) -> Glob:
    return _cached_glob(pattern, ignore_case) if len(pattern) <= _CACHED_LENGTH else Glob(pattern, ignore_case)


def glob(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    return compile_glob(pattern, ignore_case).match(value)


def action_matches(pattern: str, action: str) -> bool:
    return glob(pattern, action, ignore_case=True)


def split_arn(arn) -> list[str] | None:
    """arn:partition:service:region:account:resource (the resource may hold more colons)."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":", 5)
    return parts if len(parts) == 6 and parts[0] == "arn" else None


class ArnPattern:
    """A compiled Resource or Arn* condition value: an ARN pattern compares segment by segment
    with an ARN, anything else as one glob."""

    __slots__ = ("pattern", "everything", "parts", "_whole")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.everything = pattern == "*"
        parts = split_arn(pattern)
        self.parts = tuple(compile_glob(p) for p in parts) if parts else None
        self._whole = None

    def match(self, arn: str, arn_parts: list[str] | None = None) -> bool:
        """`arn_parts`: split_arn(arn), when the caller has it already."""
        if self.everything:
            return True
        if arn_parts is None:
            arn_parts = split_arn(arn)
        if self.parts is None or arn_parts is None:
            if self._whole is None:
                self._whole = compile_glob(self.pattern)
            return self._whole.match(arn)
        for want, have in zip(self.parts, arn_parts):
            if not want.match_folded(have):
                return False
        return True


@lru_cache(maxsize=8192)
def _cached_arn(pattern: str) -> ArnPattern:
    return ArnPattern(pattern)


def compile_arn(pattern: str) -> ArnPattern:
    return _cached_arn(pattern) if len(pattern) <= _CACHED_LENGTH else ArnPattern(pattern)


def arn_matches(pattern: str, arn: str) -> bool:
    return compile_arn(pattern).match(arn)

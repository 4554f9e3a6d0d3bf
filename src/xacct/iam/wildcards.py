"""Matching actions and resources with IAM's wildcards: `*` is any run of characters, `?` any one
character. Actions compare without case; ARNs with case, segment by segment, so a wildcard in the
Region does not reach into the account ("IAM JSON policy elements: Action / Resource").

IAM's wildcards need no backtracking, and a regular expression does: `.*a.*a.*a...b` against a
long run of `a`s takes time growing with the value's length to the power of the number of stars
in Python's `re`. A pattern is instead cut at its `*`s into parts of fixed length (literal text,
or text with `?` holes). The first part must match at the start, the last at the end, and each
middle one is placed leftmost, after the one before it: leftmost placement leaves the most room
to the rest, so no other placement is ever worth trying. A part of plain text is found with
`str.find`, so a match is a few scans of the value. A part with `?` holes is found from one of
its pieces and checked piece by piece where that one lands: at worst (value length x pieces),
which a request file's budget counts (budget.py, placed_checks).

A pattern met once (`xacct explain` makes one decision) is matched as written (match_once,
arn_match_once): cut with one `str.split` and placed, without building a Glob to keep.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, count
from operator import add

# A `*` or `?` that came from `${*}`, `${?}` or from a variable's value is literal (variables.py).
LITERAL_STAR, LITERAL_QMARK = "\x00STAR\x00", "\x00QMARK\x00"
_LITERAL_MARKS = re.compile("(\x00STAR\x00|\x00QMARK\x00)")
# Compiled patterns are cached by text; a pattern longer than this is compiled each time it is
# asked for (its statement keeps it), so that the cache cannot hold megabytes of fuzz.
_CACHED_LENGTH = 1024
# A segment with `?` holes and up to this many different pieces is searched from its rarest piece.
_COUNTED_PIECES = 8


class _Segment:
    """The part of a pattern between two `*` that holds `?`: `length` characters, of which the
    `texts` are literal at their `offsets` and the rest are `?`."""

    __slots__ = ("length", "offsets", "texts", "distinct")

    def __init__(self, items: list) -> None:
        offsets, texts, offset = [], [], 0
        for item in items:  # a str is literal text, an int that many `?`
            if isinstance(item, int):
                offset += item
            elif texts and offsets[-1] + len(texts[-1]) == offset:
                texts[-1] += item  # text after text (a literal mark)
                offset += len(item)
            else:
                offsets.append(offset)
                texts.append(item)
                offset += len(item)
        self._keep(offset, offsets, texts)

    @classmethod
    def of_part(cls, part: str) -> "_Segment":
        """The segment of `part`, text with `?` holes (the common case: no literal marks). Built
        with C-level steps, because a hostile pattern holds hundreds of thousands of holes."""
        segment = cls.__new__(cls)
        texts = part.split("?")
        # texts[i] starts after the texts before it and one `?` after each
        offsets = list(map(add, accumulate(map(len, texts), initial=0), count()))
        kept = [index for index, text in enumerate(texts) if text]
        segment._keep(len(part), [offsets[i] for i in kept], [texts[i] for i in kept])
        return segment

    def _keep(self, length: int, offsets: list[int], texts: list[str]) -> None:
        self.length, self.offsets, self.texts = length, tuple(offsets), tuple(texts)
        self.distinct = len(set(texts))

    def at(self, value: str, position: int) -> bool:
        """Whether the segment matches `value` at `position` (which leaves room for it)."""
        return all(map(value.startswith, self.texts, map(position.__add__, self.offsets)))

    def find(self, value: str, start: int, end: int) -> int:
        """The leftmost position p >= start where the segment matches and ends by `end`; -1.
        Each place tried costs up to one comparison per piece: at worst (places x pieces), which
        the budget of a request file counts (budget.py)."""
        last = end - self.length
        if last < start:
            return -1
        offsets, texts = self.offsets, self.texts
        if not texts:
            return start  # only `?`: any position with room will do
        anchor = max(range(len(texts)), key=lambda i: len(texts[i])) if len(texts) > 1 else 0
        if 1 < len(texts) and self.distinct <= _COUNTED_PIECES:
            # look for the rarest piece, and give up at once on a missing one
            counts = {}
            for offset, text in zip(offsets, texts):
                if text not in counts:
                    counts[text] = value.count(text, start + offset, last + offset + len(text))
            if not all(counts.values()):
                return -1
            anchor = min(range(len(texts)), key=lambda i: counts[texts[i]])
        offset, text = offsets[anchor], texts[anchor]
        stop = last + offset + len(text)
        startswith = value.startswith
        while True:
            found = value.find(text, start + offset, stop)
            if found < 0:
                return -1
            position = found - offset
            if all(map(startswith, texts, map(position.__add__, offsets))):
                return position
            start = position + 1


def _placed(parts: list[str], value: str) -> bool:
    """Whether `value` matches a pattern of plain text cut at its `*`s into `parts` (at least
    two): the first at the start, the last at the end, each middle one leftmost after the one
    before it, with `str.find`."""
    first, last = parts[0], parts[-1]
    end = len(value) - len(last)
    if end < len(first) or not value.startswith(first) or not value.endswith(last):
        return False
    start, find = len(first), value.find
    for index in range(1, len(parts) - 1):
        part = parts[index]
        if part:
            found = find(part, start, end)
            if found < 0:
                return False
            start = found + len(part)
    return True


def placed_checks(pattern: str) -> int:
    """At most how many piece comparisons matching `pattern` takes per character of the value:
    a segment with `?` between two `*`s is placed by search and may be tried at every place, one
    comparison per piece (the pieces of a segment are at most its `?`s plus one); text and `*`
    alone are scans, counted by the caller."""
    if "?" not in pattern or "*" not in pattern:
        return 0
    return pattern.count("?") + pattern.count("*")


def match_once(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """`Glob(pattern, ignore_case).match_folded(value)`, for a pattern met once: a pattern of
    text and `*` (nearly all) is cut and placed without building a Glob. With `ignore_case`,
    `value` is lowercased already (the request's action is, once for every pattern)."""
    if "?" in pattern or "\x00" in pattern:
        return Glob(pattern, ignore_case).match_folded(value)
    if ignore_case:
        pattern = pattern.lower()
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == value
    if len(parts) == 2:  # `text*`, `*text`, `text*text`
        head, tail = parts
        return len(value) >= len(head) + len(tail) and value.startswith(head) and value.endswith(tail)
    if len(parts) == 3 and not parts[0] and not parts[2]:  # `*text*`
        return parts[1] in value
    return _placed(parts, value)


class Glob:
    """A compiled pattern: `match(value)` in time linear in the value for `*` and plain text
    (a segment with `?` costs at most its piece count per place it is tried). A pattern of text
    and `*` is kept as its parts, cut by one `str.split`; the commonest shapes (text, `text*`,
    `*text`, `*text*`, `text*text`) become one str method call."""

    __slots__ = ("pattern", "ignore_case", "segments", "literal", "prefix", "match_folded")

    def __init__(self, pattern: str, ignore_case: bool = False) -> None:
        self.pattern, self.ignore_case = pattern, ignore_case
        if "?" not in pattern and "\x00" not in pattern:
            parts = (pattern.lower() if ignore_case else pattern).split("*")
            self.segments = parts
            self.literal = parts[0] if len(parts) == 1 else None  # no wildcard: equality
            self.prefix = parts[0] if len(parts) == 2 and parts[0] and not parts[1] else None
            self.match_folded = _shortcut(parts) or self._plain_parts
            return
        self.segments = _segments(pattern, ignore_case)
        self.literal = self.prefix = None
        self.match_folded = self._any_shape

    def match(self, value: str) -> bool:
        return self.match_folded(value.lower() if self.ignore_case else value)

    def _plain_parts(self, value: str) -> bool:
        return _placed(self.segments, value)

    def _any_shape(self, value: str) -> bool:
        segments = self.segments  # each a str (plain text) or a _Segment (with `?`)
        first = segments[0]
        if len(segments) == 1:
            if type(first) is str:
                return value == first
            return len(value) == first.length and first.at(value, 0)
        last = segments[-1]
        end = len(value) - _length(last)
        if end < _length(first):
            return False
        if not (value.startswith(first) if type(first) is str else first.at(value, 0)):
            return False
        if not (value.startswith(last, end) if type(last) is str else last.at(value, end)):
            return False
        start = _length(first)
        for index in range(1, len(segments) - 1):
            segment = segments[index]
            if type(segment) is str:
                found = value.find(segment, start, end)
                start = found + len(segment)
            else:
                found = segment.find(value, start, end)
                start = found + segment.length
            if found < 0:
                return False
        return True


def _length(segment) -> int:
    return len(segment) if type(segment) is str else segment.length


def _segments(pattern: str, ignore_case: bool) -> list:
    """A pattern with `?` or literal marks cut at its wildcard `*`s: plain parts as str, parts
    with `?` holes as _Segment."""
    if "\x00" not in pattern:
        parts = (pattern.lower() if ignore_case else pattern).split("*")
        return [part if "?" not in part else _Segment.of_part(part) for part in parts]
    items: list[list] = [[]]
    for token in _LITERAL_MARKS.split(pattern):
        if token == LITERAL_STAR:
            items[-1].append("*")
        elif token == LITERAL_QMARK:
            items[-1].append("?")
        elif token:
            if ignore_case:
                token = token.lower()
            for index, part in enumerate(token.split("*")):
                if index:
                    items.append([])  # a wildcard `*` ends a segment
                for number, text in enumerate(part.split("?")):
                    if number:
                        items[-1].append(1)
                    if text:
                        items[-1].append(text)
    segments = []
    for group in items:
        if all(type(item) is str for item in group):
            segments.append("".join(group))
        else:
            segments.append(_Segment(group))
    return segments


def _shortcut(texts: list[str]):
    """A str method for a pattern of up to three plain parts, or None."""
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
    if len(texts) == 3 and not texts[0] and not texts[2]:
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


def arn_match_once(pattern: str, arn: str, arn_parts: list[str] | None) -> bool:
    """`ArnPattern(pattern).match(arn, arn_parts)`, for a pattern met once. A pattern with no
    wildcard before its resource part compares as one glob, which compares the same there."""
    if pattern == "*":
        return True
    parts = split_arn(pattern)
    if parts is None or arn_parts is None:
        return match_once(pattern, arn)
    if "\x00" in pattern:  # literal marks: a part equal to the ARN's is no match by itself
        return ArnPattern(pattern).match(arn, arn_parts)
    head = pattern[:len(pattern) - len(parts[5])]  # arn:partition:service:region:account:
    if "*" not in head and "?" not in head:
        return match_once(pattern, arn)
    for want, have in zip(parts, arn_parts):
        if want != have and not match_once(want, have):
            return False
    return True


@lru_cache(maxsize=8192)
def _cached_arn(pattern: str) -> ArnPattern:
    return ArnPattern(pattern)


def compile_arn(pattern: str) -> ArnPattern:
    return _cached_arn(pattern) if len(pattern) <= _CACHED_LENGTH else ArnPattern(pattern)


def arn_matches(pattern: str, arn: str) -> bool:
    return compile_arn(pattern).match(arn)

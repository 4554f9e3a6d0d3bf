"""allowedPattern regular expressions: compiled once per document and within a budget, and
searched with a time limit.

SSM's patterns are Java regular expressions: java_regex.py rewrites the parts of Java's syntax that
mean something else in the `regex` package (POSIX classes, `\\Q...\\E`, set intersection, ASCII
`\\w`), and the result is compiled with `regex` rather than Python's `re`: it reads the rest of
Java's syntax (possessive quantifiers, atomic groups, `\\p{...}` properties) and, above all, a
search takes a `timeout`. A pattern written to backtrack,
`^(a|aa)+$` against a long run of `a`s that ends in a `b`, takes time that grows exponentially
with the value's length in either engine, and `re` cannot be stopped; with `regex` a search gives
up after SEARCH_SECONDS, and a document gets DOCUMENT_SECONDS of searching in all, so that no
pattern can make validation hang.

Compiling is Python code in both packages (deeply nested groups raise RecursionError, huge
repeat counts OverflowError, besides regex.error) and takes time that grows with the pattern's
length: each document gets a budget of pattern text to compile, and a pattern past it, or longer
than any allowedPattern written by hand, is left unchecked rather than make validation slow.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .java_regex import compile_java

LONGEST = 10_000  # characters of one pattern
BUDGET = 200_000  # characters of distinct patterns per document
SEARCH_SECONDS = 0.1  # one search of one value
DOCUMENT_SECONDS = 0.5  # every search of one document


@dataclass(frozen=True)
class Compiled:
    pattern: regex.Pattern | None = None  # None when the pattern is invalid or was not compiled
    error: str | None = None  # why it is invalid


@lru_cache(maxsize=1024)
def compile_pattern(text: str) -> Compiled:
    """`text` (Java syntax) compiled, or why it cannot be. Cached: runbooks repeat the same
    patterns (a role ARN's, an instance ID's), and translating and compiling is Python code."""
    try:
        return Compiled(compile_java(text))
    except regex.error as exc:
        return Compiled(error=str(exc))
    except RecursionError:
        return Compiled(error="groups are nested too deeply")
    except (OverflowError, ValueError) as exc:
        return Compiled(error=str(exc))


def search(pattern: regex.Pattern, value: str, seconds: float = SEARCH_SECONDS) -> bool | None:
    """Whether `pattern` is found in `value` (SSM's check, as `re.search`); None when it could
    not be told within `seconds`."""
    if seconds <= 0:
        return None
    try:
        return pattern.search(value, timeout=seconds) is not None
    except TimeoutError:
        return None


@dataclass
class Patterns:
    """The patterns of one document (made with `doc.derived(Patterns.of)`), and what searching
    them found, so that the rules that ask again do not search again."""

    left: int = BUDGET
    seconds_left: float = DOCUMENT_SECONDS
    known: dict[str, Compiled] = field(default_factory=dict)
    found: dict[tuple[str, str], bool | None] = field(default_factory=dict)

    @classmethod
    def of(cls, doc) -> "Patterns":
        return cls()

    def compile(self, text: str) -> Compiled:
        if text in self.known:
            return self.known[text]
        if len(text) > LONGEST or len(text) > self.left:
            result = Compiled()
        else:
            self.left -= len(text)
            result = compile_pattern(text)
        self.known[text] = result
        return result

    def search(self, text: str, value: str) -> bool | None:
        """Whether the pattern `text` (compiled) is found in `value`; None when it could not be
        told in time, within SEARCH_SECONDS and what is left of the document's seconds."""
        key = (text, value)
        if key not in self.found:
            pattern = self.compile(text).pattern
            if pattern is None:
                raise ValueError(f"pattern not compiled: {text[:60]!r}")
            start = time.monotonic()
            self.found[key] = search(pattern, value, min(SEARCH_SECONDS, self.seconds_left))
            self.seconds_left -= time.monotonic() - start
        return self.found[key]

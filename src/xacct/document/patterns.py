"""allowedPattern regular expressions, compiled once per document and within a budget.

Python's `re` compiles a pattern with recursion over its groups (so deeply nested parentheses
raise RecursionError, and huge repeat counts OverflowError, besides re.error) and in time that
grows with its length. Each document gets a budget of pattern text to compile; a pattern past
it, or longer than any allowedPattern written by hand, is left unchecked rather than make
validation slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LONGEST = 10_000  # characters of one pattern
BUDGET = 200_000  # characters of distinct patterns per document


@dataclass
class Compiled:
    pattern: re.Pattern | None = None  # None when the pattern is invalid or was not compiled
    error: str | None = None  # why it is invalid


@dataclass
class Patterns:
    """The patterns of one document (made with `doc.derived(Patterns.of)`)."""

    left: int = BUDGET
    known: dict[str, Compiled] = field(default_factory=dict)

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
            try:
                result = Compiled(re.compile(text))
            except re.error as exc:
                result = Compiled(error=str(exc))
            except RecursionError:
                result = Compiled(error="groups are nested too deeply")
            except (OverflowError, ValueError) as exc:
                result = Compiled(error=str(exc))
        self.known[text] = result
        return result

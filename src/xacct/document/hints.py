"""'Did you mean ...?' hints, within a budget.

difflib compares a word with every candidate, so a document with thousands of misspelt names
among thousands of candidates would cost their product; and comparing two long strings costs
the square of their length. Each rule asks through one `Hints` per document: past its budget
of comparisons, or for words no one would type, findings simply go without a hint.
"""

from __future__ import annotations

import difflib
from typing import Sequence

# Comparisons per rule and document: a few thousand misspellings among a few hundred names.
BUDGET = 50_000
LONGEST_WORD = 200


class Hints:
    def __init__(self, budget: int = BUDGET):
        self.left = budget

    def close(self, word: object, candidates: Sequence[object], cutoff: float = 0.6) -> str | None:
        """The candidate closest to `word`, when one is close enough and the budget allows."""
        word = word if isinstance(word, str) else str(word)
        if len(word) > LONGEST_WORD or len(candidates) > self.left:
            return None
        self.left -= len(candidates)
        names = [n for n in (c if isinstance(c, str) else str(c) for c in candidates) if len(n) <= LONGEST_WORD]
        close = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
        return close[0] if close else None

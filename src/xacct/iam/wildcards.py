"""Matching actions and resources with IAM's wildcards: `*` is any run of characters, `?` any one
character. Actions compare without case; ARNs with case, segment by segment, so a wildcard in the
Region does not reach into the account ("IAM JSON policy elements: Action / Resource")."""

from __future__ import annotations

import re
from functools import lru_cache


# A `*` or `?` that came from `${*}`, `${?}` or from a variable's value is literal (variables.py).
LITERAL = {"\x00STAR\x00": re.escape("*"), "\x00QMARK\x00": re.escape("?")}
_TOKENS = re.compile("(\x00STAR\x00|\x00QMARK\x00)")


@lru_cache(maxsize=8192)
def _pattern(pattern: str, ignore_case: bool) -> re.Pattern:
    parts = []
    for token in _TOKENS.split(pattern):
        if token in LITERAL:
            parts.append(LITERAL[token])
        else:
            parts.extend(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in token)
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    return _pattern(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    return glob(pattern, action, ignore_case=True)


def split_arn(arn: str) -> list[str] | None:
    """arn:partition:service:region:account:resource (the resource may hold more colons)."""
    parts = arn.split(":", 5)
    return parts if len(parts) == 6 and parts[0] == "arn" else None


def arn_matches(pattern: str, arn: str) -> bool:
    if pattern == "*":
        return True
    want, have = split_arn(pattern), split_arn(arn)
    if want is None or have is None:
        return glob(pattern, arn)
    return all(glob(w, h) for w, h in zip(want, have))

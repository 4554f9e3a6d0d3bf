"""Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, with a default
`${aws:username, 'nobody'}`, and the escapes `${*}`, `${?}`, `${$}` ("IAM policy elements:
Variables and tags"). A variable whose key is absent (and has no default) makes the value match
nothing."""

from __future__ import annotations

import re

VARIABLE = re.compile(r"\$\{([^}]*)\}")
ESCAPES = {"*": "\x00STAR\x00", "?": "\x00QMARK\x00", "$": "$"}


class Unresolved(Exception):
    pass


def substitute(value: str, context: dict[str, list[str]], *, for_pattern: bool) -> str:
    """`value` with its variables filled from `context` (keys lowercased). With `for_pattern`,
    escaped * and ? stay literal (they are restored by `literal_marks`)."""

    def fill(match: re.Match) -> str:
        inner = match.group(1).strip()
        if inner in ESCAPES:
            return ESCAPES[inner] if for_pattern else inner
        key, _, default = inner.partition(",")
        values = context.get(key.strip().lower())
        if values:
            text = values[0]
            # a substituted value is literal: its own * and ? do not act as wildcards
            return text.replace("*", ESCAPES["*"]).replace("?", ESCAPES["?"]) if for_pattern else text
        default = default.strip()
        if default.startswith("'") and default.endswith("'") and len(default) >= 2:
            return default[1:-1]
        raise Unresolved(key.strip())

    return VARIABLE.sub(fill, value)


def has_literal_marks(value: str) -> bool:
    return "\x00" in value

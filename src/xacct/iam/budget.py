"""How much matching a decision can take, counted before it starts.

Each match is linear (wildcards.py), but a request file can still ask for a great many of them:
a ForAnyValue:StringLike with 25,000 patterns against a context key with 25,000 values is 625
million comparisons in a file of 500 KB. AWS never sees such a request: it caps a policy at 2 to
32 KB ("IAM and AWS STS quotas") and the values of a multivalued key at tens. So a request file is
given a budget of comparisons, and one over it is refused with the statement that spends most.

A unit is one comparison of a policy value with a request value (about a microsecond), plus one
for each KB of the two that may be scanned.
"""

from __future__ import annotations

from .evaluate import PolicySet, Request
from .policy import Statement

MAX_WORK = 100_000  # units: well under a second even where every unit is a full scan


def _units(wants: list[str] | tuple[str, ...], haves: list[str]) -> int:
    """Every want against every have, without doing it: |W||H| + (|W| sum|h| + |H| sum|w|) / 1 KB."""
    count_w, count_h = len(wants), max(1, len(haves))
    chars_w, chars_h = sum(len(w) for w in wants), sum(len(h) for h in haves)
    return count_w * count_h + (count_w * chars_h + count_h * chars_w) // 1024


def _statements(policies: PolicySet):
    groups = [policies.identity, policies.boundaries, [policies.resource, policies.session]]
    groups += [level for level in policies.scps] + [level for level in policies.rcps]
    for group in groups:
        for policy in group:
            if policy is not None:
                yield from policy.statements


def heaviest(request: Request, policies: PolicySet) -> tuple[int, Statement | None]:
    """(units for the whole request, the statement that needs the most)."""
    context = {key.lower(): values for key, values in request.context.items()}
    total, most, which = 0, -1, None
    for statement in _statements(policies):
        units = (_units(statement.actions or statement.not_actions, [request.action])
                 + _units(statement.resources or statement.not_resources, [request.resource]))
        for keys in statement.condition.values():
            for key, wants in keys.items():
                units += _units(wants, context.get(key.lower(), []))
        total += units
        if units > most:
            most, which = units, statement
    return total, which

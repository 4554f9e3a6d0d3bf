"""How much matching a decision can take, counted before it starts.

Each match is linear (wildcards.py), but a request file can still ask for a great many of them:
a ForAnyValue:StringLike with 25,000 patterns against a context key with 25,000 values is 625
million comparisons in a file of 500 KB. AWS never sees such a request: it caps a policy at 2 to
32 KB ("IAM and AWS STS quotas") and the values of a multivalued key at tens. So a request file is
given a budget of comparisons, and one over it is refused, naming the policy that spends most.

A unit is about a quarter of a microsecond: one comparison of a policy value with a request
value, or 256 characters of the two that may be scanned, or one part of a pattern placed by
search, or one `?` piece compared; a pattern with a `?` segment between two `*`s may compare each
of its pieces at every place in the value (wildcards._Segment.find); and reading a policy's values
as addresses, dates or numbers costs a few, each statement the action reaches six, and each
policy twelve (request_file.py refuses a file of too many policies before reading them). Every action pattern is
counted (each is compared with the action to know which statements apply); the Resource and
Condition of a statement only when the action reaches it, because no other is ever read.
"""

from __future__ import annotations

from collections import Counter

from .evaluate import PolicySet, Request
from .policy import Policy, Statement
from .scalars import as_text
from .variables import VARIABLE
from .wildcards import placed_checks

MAX_WORK = 100_000  # units: about 25 ms of matching, so that explain decides within 50 ms in all
_REACHED = 6  # units for each statement the action reaches: made a Statement, and scanned
POLICY_UNITS = 12  # units for reading a policy and keeping it, whatever it holds
_SCAN = 256  # characters scanned per unit (str.find over 2 KB takes about 2 us)
_PATTERN_EXTRA = 2  # units a wildcard pattern's comparison costs beyond a plain one
# Reading one condition value as its operator's type, in units: ipaddress.ip_network is slow.
_READ_COST = {"IpAddress": 20, "NotIpAddress": 20, "Date": 8, "Numeric": 2, "Binary": 2}


class _Context:
    """The request's context values as text, read per key when a counted condition asks (a file
    may give a key 500,000 numbers that no statement reads)."""

    def __init__(self, context: dict) -> None:
        self._given = {str(key).lower(): value for key, value in context.items()}
        self._texts: dict[str, list[str]] = {}

    def get(self, key: str) -> list[str]:
        texts = self._texts.get(key)
        if texts is None:
            value = self._given.get(key, [])
            texts = self._texts[key] = [t for t in map(as_text, value if isinstance(value, list) else [value])
                                        if t is not None]
        return texts

    def longest(self, key: str) -> int:
        return max(map(len, self.get(key)), default=0)


def _units(wants, haves: list[str], patterns: bool, context: _Context) -> int:
    """Every want against every have, without doing it: |W||H| comparisons, the characters they
    may scan (|W| sum|h| + |H| sum|w|, one unit per 256); for `patterns` a comparison per `?`
    piece, a search per `*` part past the one a comparison includes, and the pieces of a `?`
    segment between two `*`s at every place of a have; and what filling policy variables with
    the request's values adds."""
    count_w, count_h = len(wants), max(1, len(haves))
    joined = wants[0] if count_w == 1 else "".join(wants)  # (a mark across two wants only adds)
    chars_w, chars_h = len(joined), len(haves[0]) if count_h == 1 and haves else sum(map(len, haves))
    units = count_w * count_h + (count_w * chars_h + count_h * chars_w) // _SCAN
    if patterns:
        # a pattern is compiled and its pieces placed: about two more units than a plain
        # comparison (81,000 `*x*` patterns against one value took 53 ms where 1 unit each
        # said 20)
        units += _PATTERN_EXTRA * count_w * count_h
        stars = joined.count("*")
        if stars > 2 * count_w:  # some pattern has more than one part to place by search
            units += sum(max(0, w.count("*") - 2) for w in wants) * count_h
        if "?" in joined:
            units += joined.count("?") * count_h + sum(map(placed_checks, wants)) * max(1, chars_h)
    if "${" in joined:
        for inner, times in Counter(VARIABLE.findall(joined)).items():
            key = inner.partition(",")[0].strip().lower()
            units += times * count_h * (1 + context.longest(key) // _SCAN)
    return units


def _policies(policies: PolicySet) -> list[tuple[str, Policy]]:
    """Each policy with where the request file put it (for the message of a refusal)."""
    found = [(f"identityPolicies[{i}]", p) for i, p in enumerate(policies.identity)]
    found += [(f"permissionsBoundaries[{i}]", p) for i, p in enumerate(policies.boundaries)]
    found += [("resourcePolicy", policies.resource), ("sessionPolicy", policies.session)]
    for key, levels in (("scps", policies.scps), ("rcps", policies.rcps)):
        for depth, level in enumerate(levels):
            found += [(f"{key}[{depth}][{i}]", p) for i, p in enumerate(level)]
    return [(where, policy) for where, policy in found if policy is not None]


def _condition_units(statement: Statement, context: _Context) -> int:
    units = 0
    for operator, keys in statement.condition.items():
        patterns = "Like" in operator or "Arn" in operator
        read = next((cost for name, cost in _READ_COST.items() if name in operator), 0)
        for key, wants in keys.items():
            haves = context.get(key.lower())
            units += _units(wants, haves, patterns, context) + read * (len(wants) + len(haves))
    return units


def _reached_units(policies: list[Policy], request: Request, action: str, context: _Context) -> int:
    """The statements of the policies that the action reaches: making and scanning each, its
    Resource and its Condition."""
    units, resources = 0, []
    for policy in policies:
        patterns, conditions, count = policy.reached_elements(action)
        units += _REACHED * count
        resources += patterns
        for statement in conditions:
            units += _condition_units(statement, context)
    if resources:
        units += _units(resources, [request.resource], True, context)
    return units


def _total(policies: list[Policy], request: Request, action: str, context: _Context) -> int:
    """The units of `policies`, counted all at once: the units of many patterns against one
    value add up, so that a file of 30,000 statements is counted in a few milliseconds."""
    units = POLICY_UNITS * len(policies)
    units += _units([p for policy in policies for p in policy.action_patterns()], [action], True, context)
    if units <= MAX_WORK:  # else which statements apply is not worth finding
        units += _reached_units(policies, request, action, context)
    return units


def work(request: Request, policies: PolicySet) -> tuple[int, str | None]:
    """(the units of the whole request, where the policy that needs the most is: counted policy
    by policy only for a request over the budget)."""
    action = request.action.lower()
    context = _Context(request.context)
    found = _policies(policies)
    total = _total([policy for _, policy in found], request, action, context)
    if total <= MAX_WORK:
        return total, None
    units = [_total([policy], request, action, context) for _, policy in found]
    return total, found[max(range(len(found)), key=units.__getitem__)][0]

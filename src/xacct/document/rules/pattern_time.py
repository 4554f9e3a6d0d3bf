from ..model import Document
from ..patterns import DOCUMENT_SECONDS, SEARCH_SECONDS, Patterns
from .base import Issue, Rule
from .parameter_default import default_items, pattern_checks


class PatternTime(Rule):
    """A default can be checked against its allowedPattern in time. A pattern written to
    backtrack, such as a repeat of alternatives that overlap (`a` or `aa`, repeated) against a
    long default that fails at its end, takes time that grows exponentially with its length; xacct gives each check 0.1 s (0.5 s a
    document) and says when that was not enough instead of hanging. SSM checks the value when an
    execution starts."""

    id = "W1005"
    summary = "defaults can be checked against allowedPattern in time"
    blocks_creation = False

    def check(self, doc: Document):
        patterns = doc.derived(Patterns.of)
        for p in doc.parameters.values():
            items = default_items(p)
            if not items:
                continue
            for pattern, item, found in pattern_checks(p, items, patterns):
                if found is None:
                    yield Issue(p.path + ("allowedPattern",),
                                f"the default of '{p.name}' could not be checked against allowedPattern in time "
                                f"({SEARCH_SECONDS:g} s a check, {DOCUMENT_SECONDS:g} s a document): the pattern "
                                "may backtrack, as a repeat of alternatives that overlap such as (a|aa)+ does")
                    break  # one finding per parameter

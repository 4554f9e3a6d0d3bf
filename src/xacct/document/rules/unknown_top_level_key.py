import difflib

from ..model import Document
from .base import Issue, Rule
from .top_level import SHAPES


class UnknownTopLevelKey(Rule):
    """Only the documented elements may stand at the top of a runbook; SSM refuses others."""

    id = "E0013"
    summary = "no unknown top-level elements"

    def check(self, doc: Document):
        if not isinstance(doc.content, dict):
            return
        for key in doc.content:
            if key not in SHAPES:
                close = difflib.get_close_matches(str(key), SHAPES, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield Issue((key,), f"unknown element '{key}'{hint}", at_key=True)

import difflib

from ..model import Document
from .base import Issue, Rule
from .top_level import SHAPES


class UnknownTopLevelKey(Rule):
    """Only the documented elements stand at the top of a runbook ("Data elements and
    parameters"), and those of a change template (`templateInformation`, `executableRunBooks`,
    `emergencyChange`, `autoApprovable`). A warning: AWS does not document that SSM refuses others."""

    id = "W0013"
    summary = "no unknown top-level elements"

    def check(self, doc: Document):
        if not isinstance(doc.content, dict):
            return
        for key in doc.content:
            if key not in SHAPES:
                close = difflib.get_close_matches(str(key), SHAPES, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield Issue((key,), f"unknown element '{key}'{hint}", at_key=True)

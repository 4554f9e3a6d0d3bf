import difflib

from ...actions import ACTIONS, INTERNAL_ACTIONS
from ..model import Document
from .base import Issue, Rule


class KnownAction(Rule):
    """Every step names one of the documented Automation actions."""

    id = "E2003"
    summary = "steps use a documented action"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            raw = doc.raw_at(step.path)
            if not isinstance(raw, dict):
                continue
            action = raw.get("action")
            where = step.property_path("action")
            if action is None:
                yield Issue(step.path, f"step '{step.name}' has no action")
            elif not isinstance(action, str):
                yield Issue(where, "action is the name of an action, such as aws:executeAwsApi")
            elif action in INTERNAL_ACTIONS:
                yield Issue(where, f"'{action}' is an undocumented action internal to AWS; it runs only in "
                                   "AWS-owned documents")
            elif action not in ACTIONS:
                close = difflib.get_close_matches(str(action), ACTIONS, n=1, cutoff=0.7)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield Issue(where, f"unknown action '{action}'{hint}")

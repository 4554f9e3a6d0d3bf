import difflib

from ..model import STEP_PROPERTIES, Document
from .base import Issue, Rule


class StepProperty(Rule):
    """Steps carry only the properties shared by all actions, and always `inputs`."""

    id = "E2004"
    summary = "no unknown step properties"

    def check(self, doc: Document):
        for step in doc.all_steps():
            raw = doc.raw_at(step.path)
            if not isinstance(raw, dict):
                continue
            for key in raw:
                if key not in STEP_PROPERTIES:
                    close = difflib.get_close_matches(str(key), STEP_PROPERTIES, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    yield Issue(step.path + (key,), f"unknown step property '{key}'{hint}", at_key=True)
            if "inputs" not in raw and raw.get("action") != "aws:pause":
                yield Issue(step.path, f"step '{step.name}' has no inputs")

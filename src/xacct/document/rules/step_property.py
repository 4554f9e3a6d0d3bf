import difflib

from ..model import STEP_PROPERTIES, Document
from .base import Issue, Rule


class StepProperty(Rule):
    """Steps always carry `inputs` ("Properties shared by all actions": required), and only the
    properties shared by all actions; an unknown property is a warning (W2004): AWS does not
    document that SSM refuses it."""

    id = "E2004"
    summary = "steps have inputs"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"
    warning_id = "W2004"
    warning_summary = "no unknown step properties"

    def check(self, doc: Document):
        for step in doc.all_steps():
            raw = doc.raw_at(step.path)
            if not isinstance(raw, dict):
                continue
            for key in raw:
                if key not in STEP_PROPERTIES:
                    close = difflib.get_close_matches(str(key), STEP_PROPERTIES, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    yield Issue(step.path + (key,), f"unknown step property '{key}'{hint}", at_key=True,
                                doubtful=True)
            if "inputs" not in raw and raw.get("action") != "aws:pause":
                yield Issue(step.path, f"step '{step.name}' has no inputs")

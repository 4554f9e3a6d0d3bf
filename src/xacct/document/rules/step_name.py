import re

from ..model import Document
from .base import Issue, Rule

NAME = re.compile(r"^[a-zA-Z0-9_]+$")


class StepName(Rule):
    """Every step has a name of letters, digits and underscores ("Properties shared by all
    actions"), the characters `{{ step.Output }}` references can carry."""

    id = "E2001"
    summary = "steps have valid names"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            raw = doc.raw_at(step.path)
            if not isinstance(raw, dict):
                yield Issue(step.path, "a step is a mapping with name, action and inputs")
            elif "name" not in raw:
                yield Issue(step.path, "step has no name")
            elif not isinstance(raw["name"], str) or not NAME.match(raw["name"]):
                yield Issue(step.path + ("name",), f"step name '{raw['name']}' may contain only letters, "
                                                   "digits and underscores")

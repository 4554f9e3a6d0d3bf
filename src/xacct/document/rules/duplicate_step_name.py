from ..model import Document
from .base import Issue, Rule


class DuplicateStepName(Rule):
    """Step names are unique in the whole document, nested loop steps included."""

    id = "E2002"
    summary = "step names are unique"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        seen: dict[str, tuple] = {}
        for step in doc.all_steps():
            if step.name is None:
                continue
            if step.name in seen:
                yield Issue(step.property_path("name"), f"step name '{step.name}' is used twice")
            else:
                seen[step.name] = step.path

from ...actions import ACTIONS
from ..model import Document
from .base import Issue, Rule


class ExclusiveInputs(Rule):
    """Some inputs exclude each other: TemplateBody and TemplateURL, Targets and TargetMaps,
    Iterators and LoopCondition, ..."""

    id = "E2008"
    summary = "inputs that exclude each other are not given together"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            if spec is None:
                continue
            for group in spec.exclusive:
                given = [name for name in group if name in step.inputs]
                if len(given) > 1:
                    yield Issue(step.path + ("inputs", given[1]),
                                f"{spec.name} takes only one of {', '.join(group)}", at_key=True)

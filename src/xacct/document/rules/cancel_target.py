from ...actions import ON_CANCEL_FORBIDDEN
from ..flow import step_jumps
from ..model import Document
from .base import Issue, Rule


class CancelTarget(Rule):
    """The cancel path runs for two minutes at most, so onCancel may not move to a step that
    waits or creates resources: aws:approve, aws:copyImage, aws:createImage, aws:createStack,
    aws:createTags, aws:loop, aws:pause, aws:runInstances, aws:sleep ("Properties shared by all
    actions")."""

    id = "E3002"
    summary = "onCancel moves only to allowed actions"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        by_name = {s.name: s for s in doc.all_steps() if s.name}
        for step in doc.all_steps():
            for jump in step_jumps(step):
                target = by_name.get(jump.target)
                if jump.kind == "onCancel" and target and target.action in ON_CANCEL_FORBIDDEN:
                    yield Issue(jump.path, f"onCancel of '{step.name}' may not move to '{target.name}', "
                                           f"an {target.action} step")

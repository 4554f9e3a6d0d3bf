from ..conditions import condition_problems
from ..model import Document
from .base import Issue, Rule


class BranchChoices(Rule):
    """aws:branch Choices are a list of conditions, each with a NextStep and one operator."""

    id = "E2013"
    summary = "branch choices are well formed"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-branch.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            if step.action != "aws:branch" or "Choices" not in step.inputs:
                continue
            choices = step.inputs["Choices"]
            where = step.path + ("inputs", "Choices")
            if not isinstance(choices, list) or not choices:
                yield Issue(where, "Choices is a list of at least one choice")
                continue
            for i, choice in enumerate(choices):
                for path, message in condition_problems(choice, where + (i,), top=True, needs_next_step=True):
                    yield Issue(path, message)

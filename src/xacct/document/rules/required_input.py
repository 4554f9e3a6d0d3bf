from ...actions import ACTIONS
from ..model import Document
from .base import Issue, Rule
from .top_level import CHANGE_TEMPLATE_ELEMENTS


class RequiredInput(Rule):
    """Each action gets its required inputs, and one of each group of alternatives (aws:sleep
    needs Duration or Timestamp, aws:runCommand InstanceIds or Targets, ...), as each action's page
    lists them; without one the step certainly fails. In a change template the approvers of an
    aws:approve step are those Change Manager names, so `Approvers` may be left out."""

    id = "E2006"
    summary = "required inputs are given"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        change_template = isinstance(doc.content, dict) and any(k in doc.content for k in CHANGE_TEMPLATE_ELEMENTS)
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            raw = doc.raw_at(step.path)
            if spec is None or not isinstance(raw, dict) or not isinstance(raw.get("inputs"), dict):
                continue
            where = step.property_path("inputs")
            for item in spec.inputs:
                if change_template and step.action == "aws:approve" and item.name == "Approvers":
                    continue
                if item.required and item.name not in step.inputs:
                    yield Issue(where, f"{spec.name} step '{step.name}' needs input {item.name}", at_key=True)
            for group in spec.one_of:
                if not any(name in step.inputs for name in group):
                    yield Issue(where, f"{spec.name} step '{step.name}' needs one of {', '.join(group)}", at_key=True)

from ..model import Document
from ..references import TARGET_PLACEHOLDERS
from ..symbols import step_references
from .base import Issue, Rule


class TargetPlaceholder(Rule):
    """`{{RESOURCE_ID}}` and the other target placeholders are filled by State Manager or a
    maintenance window in the parameters they pass to a runbook; inside the runbook they name
    nothing. Pass them to a parameter instead (the association's `InstanceId: '{{RESOURCE_ID}}'`)."""

    id = "E4004"
    summary = "target placeholders stay outside runbooks"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html"

    def check(self, doc: Document):
        for step, path, ref in step_references(doc):
            if step is not None and step.action == "aws:runCommand" and path[len(step.path) + 1] == "InstanceIds":
                continue  # "you can use the pseudo parameter {{RESOURCE_ID}}" (aws:runCommand)
            if ref.kind == "parameter" and ref.text in TARGET_PLACEHOLDERS and ref.text not in doc.parameters:
                yield Issue(path, f"{{{{{ref.text}}}}} is filled only in the parameters an association or "
                                  "maintenance window passes; declare a parameter and pass it there")

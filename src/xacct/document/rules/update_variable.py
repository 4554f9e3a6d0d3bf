from ..model import Document
from ..values import fits, is_dynamic
from .base import Issue, Rule


class UpdateVariable(Rule):
    """aws:updateVariable names a declared variable as `variable:NAME` and gives a value of the
    variable's type ("aws:updateVariable – Updates a value for a runbook variable")."""

    id = "E2016"
    summary = "variable updates name a declared variable"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-update-variable.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            if step.action != "aws:updateVariable":
                continue
            name = step.inputs.get("Name")
            where = step.path + ("inputs", "Name")
            if not isinstance(name, str) or is_dynamic(name):
                continue
            if not name.startswith("variable:"):
                yield Issue(where, f"Name is written variable:NAME, not '{name}'")
                continue
            variable = doc.variables.get(name[len("variable:"):])
            if variable is None:
                yield Issue(where, f"no variable '{name[len('variable:'):]}' is declared under variables")
            elif "Value" in step.inputs and variable.type and not fits(step.inputs["Value"], variable.type):
                yield Issue(step.path + ("inputs", "Value"), f"variable '{variable.name}' is a {variable.type}")

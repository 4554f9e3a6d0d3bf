from ...actions import ACTIONS
from ..model import Document
from ..values import fits, is_dynamic, type_of_literal
from .base import Issue, Rule


class InputValue(Rule):
    """Literal input values have the type the action declares (a list for a StringList, a
    mapping for a StringMap, ...) and one of its allowed values where it lists them."""

    id = "E2009"
    summary = "input values have the declared type"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            if spec is None:
                continue
            for item in spec.inputs:
                if item.name not in step.inputs:
                    continue
                value = step.inputs[item.name]
                where = step.path + ("inputs", item.name)
                if not fits(value, item.type):
                    yield Issue(where, f"{item.name} of {spec.name} is a {item.type}, not "
                                       f"{type_of_literal(value) or 'null'}")
                elif item.allowed and not is_dynamic(value) and str(value) not in item.allowed:
                    yield Issue(where, f"{item.name} is one of {', '.join(item.allowed)}, not {value!r}")

from ...actions import ACTIONS
from ..expected import operation_of
from ..hints import Hints
from ..model import Document
from .base import Issue, Rule


class ApiParameters(Rule):
    """The inputs passed to the operation are its parameters, spelled as botocore spells them
    (PascalCase for most services, camelCase for some), and its required parameters are given.
    A warning: botocore's models change, and a parameter this version lacks may be right."""

    id = "W6003"
    summary = "API parameters exist and required ones are given"
    blocks_creation = False

    def check(self, doc: Document):
        hints = Hints()
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            if not spec or not spec.calls_any_api:
                continue
            operation = operation_of(step)
            if operation is None:
                continue
            members = operation.input_shape.members if operation.input_shape else {}
            own = {item.name for item in spec.inputs}
            for name in step.inputs:
                if name in own or name in members:
                    continue
                close = next((m for m in members if m.lower() == str(name).lower()), None) or hints.close(
                    name, list(members))
                hint = f"; did you mean '{close}'?" if close else ""
                yield Issue(step.path + ("inputs", name), f"{operation.name} has no parameter '{name}'{hint}",
                            at_key=True)
            required = operation.input_shape.required_members if operation.input_shape else []
            for name in required:
                if name not in step.inputs:
                    yield Issue(step.path + ("inputs",), f"{operation.name} needs parameter {name}", at_key=True)

from ...actions import ACTIONS
from ...aws import models
from ..hints import Hints
from ..model import Document
from .base import Issue, Rule


class UnknownInput(Rule):
    """Inputs are those the action documents, or parameters of the API operation the action
    wraps ("supports most CreateImage parameters"). Actions that call any API (Service and Api)
    are checked against that operation by W6003 instead. A warning: SSM accepts inputs the pages
    do not list (aws:approve `EnhancedApprovals`, say) in runbooks AWS publishes."""

    id = "W2007"
    summary = "no unknown inputs"

    def check(self, doc: Document):
        hints = Hints()
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            if spec is None or spec.calls_any_api:
                continue
            known = [item.name for item in spec.inputs]
            extra = []
            if spec.api:
                op = models.operation_model(*spec.api)
                extra = list(op.input_shape.members) if op else []
            for name in step.inputs:
                if name in known or name in extra:
                    continue
                close = hints.close(name, known + extra)
                hint = f"; did you mean '{close}'?" if close else ""
                yield Issue(step.path + ("inputs", name), f"{spec.name} has no input '{name}'{hint}", at_key=True)

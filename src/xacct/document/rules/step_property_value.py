from ...actions import ACTIONS
from ..model import Document, Step
from ..values import is_intrinsic, whole_number
from .base import Issue, Rule


class StepPropertyValue(Rule):
    """Step properties have the documented values ("Properties shared by all actions"):
    maxAttempts and timeoutSeconds are positive whole numbers (a string of digits is taken as its
    number), onFailure is Abort, Continue or step:NAME, onCancel is Abort or step:NAME where the
    action allows it, isEnd and isCritical are booleans. A timeoutSeconds over the limit an action's
    page gives is a warning (W2005): runbooks AWS publishes exceed it and run, the step being cut
    at the limit."""

    id = "E2005"
    summary = "step properties have valid values"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html"
    warning_id = "W2005"
    warning_summary = "timeoutSeconds is within the action's limit"

    def check(self, doc: Document):
        for step in doc.all_steps():
            yield from self._step(step)

    def _step(self, step: Step):
        spec = ACTIONS.get(step.action or "")
        for key, value in (("maxAttempts", step.max_attempts), ("timeoutSeconds", step.timeout_seconds)):
            if value is None or is_intrinsic(value):
                continue
            number = whole_number(value)
            if number is None or number < 1:
                yield Issue(step.property_path(key), f"{key} must be a whole number of 1 or more, not {value!r}")
            elif key == "timeoutSeconds" and spec and spec.max_timeout_seconds and number > spec.max_timeout_seconds:
                yield Issue(step.property_path(key), f"timeoutSeconds {number} is over the {spec.max_timeout_seconds} "
                                                     f"seconds {spec.name} allows", doubtful=True)
        if step.on_failure is not None and not is_intrinsic(step.on_failure):
            if not (step.on_failure in ("Abort", "Continue") or _jump(step.on_failure)):
                yield Issue(step.property_path("onFailure"),
                            f"onFailure is Abort, Continue or step:NAME, not {step.on_failure!r}")
        if step.on_cancel is not None and not is_intrinsic(step.on_cancel):
            if spec and not spec.allows_on_cancel:
                yield Issue(step.property_path("onCancel"), f"{spec.name} does not support onCancel")
            elif not (step.on_cancel == "Abort" or _jump(step.on_cancel)):
                yield Issue(step.property_path("onCancel"), f"onCancel is Abort or step:NAME, not {step.on_cancel!r}")
        for key, value in (("isEnd", step.is_end), ("isCritical", step.is_critical)):
            if value is not None and not isinstance(value, bool) and not is_intrinsic(value):
                if not (isinstance(value, str) and value.lower() in ("true", "false")):
                    yield Issue(step.property_path(key), f"{key} is true or false, not {value!r}")
        if step.next_step is not None and not isinstance(step.next_step, str):
            yield Issue(step.property_path("nextStep"), "nextStep is the name of a step")


def _jump(value) -> bool:
    return isinstance(value, str) and value.startswith("step:") and len(value) > 5

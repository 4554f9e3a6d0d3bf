from ...actions import ACTIONS
from ..model import Document, Step
from ..values import is_intrinsic
from .base import Issue, Rule


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class StepPropertyValue(Rule):
    """Step properties have the documented values: maxAttempts and timeoutSeconds are positive
    whole numbers (within the action's limit), onFailure is Abort, Continue or step:NAME,
    onCancel is Abort or step:NAME where the action allows it, isEnd and isCritical are booleans."""

    id = "E2005"
    summary = "step properties have valid values"

    def check(self, doc: Document):
        for step in doc.all_steps():
            yield from self._step(step)

    def _step(self, step: Step):
        spec = ACTIONS.get(step.action or "")
        for key, value in (("maxAttempts", step.max_attempts), ("timeoutSeconds", step.timeout_seconds)):
            if value is None or is_intrinsic(value):
                continue
            if not _whole(value) or value < 1:
                yield Issue(step.property_path(key), f"{key} must be a whole number of 1 or more, not {value!r}")
            elif key == "timeoutSeconds" and spec and spec.max_timeout_seconds and value > spec.max_timeout_seconds:
                yield Issue(step.property_path(key), f"timeoutSeconds {value} is over the {spec.max_timeout_seconds} "
                                                     f"seconds {spec.name} allows")
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

"""aws:pause: wait until the execution is resumed by a Resume signal."""

from .spec import ActionSpec

SPEC = ActionSpec(
    name="aws:pause",
    page="aws:pause – Pause an automation",
    inputs=(),
    max_timeout_seconds=2_592_000,
    default_timeout_seconds=604_800,
)


def run(call):
    from ..engine.call import StepResult
    from ..engine.signals import wait_for_signals

    if call.execution.options.auto_approve:
        return StepResult()
    for _ in wait_for_signals(call, ["Resume"], "a Resume signal"):
        return StepResult()

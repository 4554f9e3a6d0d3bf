"""aws:sleep: wait for an ISO 8601 duration or until a timestamp."""

from .spec import ActionSpec, Input

MAX_SECONDS = 604_799

SPEC = ActionSpec(
    name="aws:sleep",
    page="aws:sleep – Delay an automation",
    inputs=(Input("Duration"), Input("Timestamp")),
    one_of=(("Duration", "Timestamp"),),
)


def run(call):
    from datetime import datetime, timezone

    from ..document.rules.sleep_time import duration_seconds
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    inputs = call.inputs
    if "Duration" in inputs:
        seconds = duration_seconds(str(inputs["Duration"]))
        if seconds is None:
            raise StepFailed(f"Duration {inputs['Duration']!r} is not an ISO 8601 duration.", retriable=False)
    else:
        try:
            until = datetime.fromisoformat(str(inputs["Timestamp"]).replace("Z", "+00:00"))
        except ValueError:
            raise StepFailed(f"Timestamp {inputs['Timestamp']!r} is not an ISO 8601 time.", retriable=False) from None
        if until.tzinfo is None:
            until = until.replace(tzinfo=timezone.utc)
        seconds = (until - datetime.now(timezone.utc)).total_seconds()
    call.wait(min(max(seconds, 0.0), MAX_SECONDS))
    return StepResult()

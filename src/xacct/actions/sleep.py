"""aws:sleep: wait for an ISO 8601 duration or until a timestamp."""

from .spec import ActionSpec, Input

MAX_SECONDS = 604_799

SPEC = ActionSpec(
    name="aws:sleep",
    page="aws:sleep – Delay an automation",
    inputs=(Input("Duration"), Input("Timestamp")),
    one_of=(("Duration", "Timestamp"),),
)

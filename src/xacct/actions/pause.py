"""aws:pause: wait until the execution is resumed by a Resume signal."""

from .spec import ActionSpec

SPEC = ActionSpec(
    name="aws:pause",
    page="aws:pause – Pause an automation",
    inputs=(),
    max_timeout_seconds=2_592_000,
    default_timeout_seconds=604_800,
)

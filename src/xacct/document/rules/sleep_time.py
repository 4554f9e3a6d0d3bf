import re
from datetime import datetime

from ...actions.sleep import MAX_SECONDS
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule

# ISO 8601 durations as aws:sleep takes them: PT10M, PT1H30M, P1D, PT0.5S.
DURATION = re.compile(
    r"^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def duration_seconds(text: str) -> float | None:
    match = DURATION.match(text)
    if not match:
        return None
    weeks, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds


class SleepTime(Rule):
    """aws:sleep takes an ISO 8601 Duration (at most 604799 seconds) or Timestamp
    ("aws:sleep – Delay an automation")."""

    id = "E2015"
    summary = "sleep durations and timestamps are ISO 8601"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-sleep.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            if step.action != "aws:sleep":
                continue
            where = step.path + ("inputs",)
            duration = step.inputs.get("Duration")
            if isinstance(duration, str) and not is_dynamic(duration):
                seconds = duration_seconds(duration)
                if seconds is None:
                    yield Issue(where + ("Duration",), f"Duration '{duration}' is not an ISO 8601 duration such as PT10M")
                elif seconds > MAX_SECONDS:
                    yield Issue(where + ("Duration",), f"Duration '{duration}' is over the {MAX_SECONDS} seconds aws:sleep allows")
            stamp = step.inputs.get("Timestamp")
            if isinstance(stamp, str) and not is_dynamic(stamp):
                try:
                    datetime.fromisoformat(stamp.replace("Z", "+00:00"))
                except ValueError:
                    yield Issue(where + ("Timestamp",), f"Timestamp '{stamp}' is not an ISO 8601 time such as 2026-01-01T01:00:00Z")

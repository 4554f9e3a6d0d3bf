"""Times in the Automation API's filters (StartTimeBefore, StartTimeAfter) and records."""

from __future__ import annotations

from datetime import datetime, timezone

from .errors import SsmError


def moment(text: str, key: str) -> datetime:
    """The time a filter value (or a recorded time) names, UTC when it names no zone."""
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise SsmError("InvalidFilterValue", f"{key}: {text!r} is not a time such as 2026-11-30T09:00:00Z.") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)

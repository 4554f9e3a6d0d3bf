"""StopAutomationExecution: a Cancel signal through the store, which the process running the
execution takes up (its current step is stopped, its onCancel path runs, it ends Cancelled)."""

from __future__ import annotations

from ..engine.status import TERMINAL
from .context import Context
from .errors import SsmError
from .get import automation_execution
from .shapes import check_request

OPERATION = "StopAutomationExecution"


def handle(params: dict, ctx: Context, *, prefix: bool = False) -> dict:
    params = check_request(OPERATION, params)
    current = automation_execution(params["AutomationExecutionId"], ctx, prefix=prefix)
    execution_id, status = current["AutomationExecutionId"], current["AutomationExecutionStatus"]
    if status in TERMINAL:
        raise SsmError("InvalidAutomationStatusUpdateException", f"Execution {execution_id} is already {status}.")
    ctx.store.send_signal(execution_id, "Cancel", {"Type": params.get("Type") or "Cancel"})
    return {}

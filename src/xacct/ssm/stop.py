"""StopAutomationExecution: a signal through the store, which the process running the execution
takes up. Type Cancel (the default): its current step is stopped, its onCancel path runs, it ends
Cancelled. Type Complete ends an Interactive execution, as the User Guide's "Running an automation
step by step" does after its last step (a step still running finishes first). AWS documents
Complete for nothing else, so for Auto mode it stays a Cancel."""

from __future__ import annotations

from ..engine.status import TERMINAL
from .context import Context
from .errors import SsmError
from .get import automation_execution
from .lookup import full_id
from .shapes import check_request

OPERATION = "StopAutomationExecution"


def handle(params: dict, ctx: Context, *, prefix: bool = False) -> dict:
    params = check_request(OPERATION, full_id(params, ctx) if prefix else params)
    current = automation_execution(params["AutomationExecutionId"], ctx)
    execution_id, status = current["AutomationExecutionId"], current["AutomationExecutionStatus"]
    if status in TERMINAL:
        raise SsmError("InvalidAutomationStatusUpdateException", f"Execution {execution_id} is already {status}.")
    kind = params.get("Type") or "Cancel"
    if kind == "Complete" and current.get("Mode") == "Interactive":
        ctx.store.send_signal(execution_id, "Complete", {"Type": kind})
    else:
        ctx.store.send_signal(execution_id, "Cancel", {"Type": kind})
    return {}

"""SendAutomationSignal: Approve or Reject an aws:approve step, Resume an aws:pause step. The
signal reaches the running execution through the store; one that the execution is not waiting
for answers InvalidAutomationSignalException, as SSM does."""

from __future__ import annotations

from ..engine import status as S
from .context import Context
from .errors import SsmError
from .get import automation_execution
from .shapes import check_request

OPERATION = "SendAutomationSignal"
# what each waiting action takes
ACCEPTED = {"aws:approve": ("Approve", "Reject"), "aws:pause": ("Resume",)}


def handle(params: dict, ctx: Context, *, prefix: bool = False, approver: str | None = None) -> dict:
    params = check_request(OPERATION, params)
    current = automation_execution(params["AutomationExecutionId"], ctx, prefix=prefix)
    execution_id, kind = current["AutomationExecutionId"], params["SignalType"]
    waiting = [s for s in current["StepExecutions"] if s["StepStatus"] == S.WAITING]
    if current["AutomationExecutionStatus"] in S.TERMINAL:
        raise SsmError("InvalidAutomationSignalException",
                       f"Execution {execution_id} is {current['AutomationExecutionStatus']}; it takes no signal.")
    actions = {s.get("Action") for s in waiting}
    if waiting and not any(kind in ACCEPTED.get(action, ()) for action in actions):
        raise SsmError("InvalidAutomationSignalException",
                       f"Signal {kind} is not valid for the step {waiting[-1]['StepName']} "
                       f"({waiting[-1].get('Action')}).")
    if not waiting and kind not in ("Approve", "Reject", "Resume"):
        raise SsmError("InvalidAutomationSignalException",
                       f"Signal {kind} is for executions in Interactive mode; this one runs in Auto mode.")
    payload = params.get("Payload") or {}
    comment = payload.get("Comment", [""])
    ctx.store.send_signal(execution_id, kind, {
        "Comment": comment[0] if isinstance(comment, list) and comment else "",
        "Approver": approver or (ctx.caller.arn if ctx.caller is not None else None)})
    return {}

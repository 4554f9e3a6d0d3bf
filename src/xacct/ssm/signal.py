"""SendAutomationSignal: Approve or Reject an aws:approve step, Resume an aws:pause step, and in
Mode Interactive StartStep and StopStep (step_signals). The signal reaches the running execution
through the store; one that the execution is not waiting for answers
InvalidAutomationSignalException, as SSM does."""

from __future__ import annotations

from ..engine import status as S
from .context import Context
from .errors import SsmError
from .get import automation_execution
from .lookup import full_id
from .shapes import check_request
from .step_signals import KINDS as STEP_KINDS
from .step_signals import step_signal

OPERATION = "SendAutomationSignal"
# what each waiting action takes
ACCEPTED = {"aws:approve": ("Approve", "Reject"), "aws:pause": ("Resume",)}


def handle(params: dict, ctx: Context, *, prefix: bool = False, approver: str | None = None) -> dict:
    params = check_request(OPERATION, full_id(params, ctx) if prefix else params)
    current = automation_execution(params["AutomationExecutionId"], ctx)
    execution_id, kind = current["AutomationExecutionId"], params["SignalType"]
    payload = params.get("Payload") or {}
    if current["AutomationExecutionStatus"] in S.TERMINAL:
        raise SsmError("InvalidAutomationSignalException",
                       f"Execution {execution_id} is {current['AutomationExecutionStatus']}; it takes no signal.")
    if kind in STEP_KINDS:
        ctx.store.send_signal(execution_id, kind, step_signal(kind, current, payload, ctx))
        return {}
    waiting = [s for s in current["StepExecutions"] if s["StepStatus"] == S.WAITING]
    actions = {s.get("Action") for s in waiting}
    if waiting and not any(kind in ACCEPTED.get(action, ()) for action in actions):
        raise SsmError("InvalidAutomationSignalException",
                       f"Signal {kind} is not valid for the step {waiting[-1]['StepName']} "
                       f"({waiting[-1].get('Action')}).")
    if not waiting and kind not in ("Approve", "Reject", "Resume"):
        raise SsmError("InvalidAutomationSignalException", f"Signal {kind} is not valid for execution {execution_id}.")
    if not waiting and current.get("Mode") == "Interactive":
        # between steps an Interactive execution waits for StartStep; no step would take this one
        raise SsmError("InvalidAutomationSignalException",
                       f"No step of execution {execution_id} waits for {kind}; it waits for StartStep.")
    comment = payload.get("Comment", [""])
    ctx.store.send_signal(execution_id, kind, {
        "Comment": comment[0] if isinstance(comment, list) and comment else "",
        "Approver": approver or (ctx.caller.arn if ctx.caller is not None else None)})
    return {}

"""SendAutomationSignal's StartStep and StopStep, the signals of Mode Interactive: "For StartStep
... you must send the name of the Automation step to start ... StepName="step1". For the StopStep
signal type, you must send the step execution ID as the payload" (API reference). What the
execution is not in a state to take answers InvalidAutomationSignalException; a step name or step
execution ID the execution does not hold answers AutomationStepNotFoundException ("The specified
step name and execution ID don't exist")."""

from __future__ import annotations

from ..engine import status as S
from .context import Context
from .errors import SsmError

KINDS = ("StartStep", "StopStep")
RUNNING = (S.IN_PROGRESS, S.WAITING)


def step_signal(kind: str, current: dict, payload: dict, ctx: Context) -> dict:
    """What the engine gets with the signal, once the signal fits the execution."""
    execution_id = current["AutomationExecutionId"]
    if current.get("Mode") != "Interactive":
        raise _invalid(f"Signal {kind} is for executions in Interactive mode; {execution_id} runs in "
                       f"{current.get('Mode', 'Auto')} mode.")
    if kind == "StartStep":
        return {"StepName": _start_step(current, _one(payload, "StepName", kind), ctx)}
    return {"StepExecutionId": _stop_step(current, _one(payload, "StepExecutionId", kind))}


def _one(payload: dict, key: str, kind: str) -> str:
    values = payload.get(key)
    if not isinstance(values, list) or len(values) != 1 or not values[0]:
        raise _invalid(f"Signal {kind} needs one {key} as its payload, for example {key}=... .")
    return values[0]


def _start_step(current: dict, name: str, ctx: Context) -> str:
    execution_id = current["AutomationExecutionId"]
    # the runbook's main steps, as the start recorded them (a loop's nested steps start with it)
    names = [record["StepName"] for record in ctx.store.events(execution_id)[0]["data"].get("Steps", [])]
    if name not in names:
        raise SsmError("AutomationStepNotFoundException",
                       f"Step {name} does not exist in execution {execution_id}; its steps are {', '.join(names)}.")
    running = [s["StepName"] for s in current["StepExecutions"] if s["StepStatus"] in RUNNING]
    if running:
        raise _invalid(f"Step {running[-1]} of execution {execution_id} is running; StartStep waits for it to "
                       "end (or StopStep to stop it).")
    if current["AutomationExecutionStatus"] != S.WAITING:
        raise _invalid(f"Execution {execution_id} is {current['AutomationExecutionStatus']}; StartStep needs it "
                       "Waiting.")
    return name


def _stop_step(current: dict, step_execution_id: str) -> str:
    execution_id = current["AutomationExecutionId"]
    step = next((s for s in current["StepExecutions"] if s.get("StepExecutionId") == step_execution_id), None)
    if step is None:
        raise SsmError("AutomationStepNotFoundException",
                       f"Step execution {step_execution_id} does not exist in execution {execution_id}.")
    if step["StepStatus"] not in RUNNING:
        raise _invalid(f"Step {step['StepName']} ({step_execution_id}) is {step['StepStatus']}; StopStep stops a "
                       "step that runs.")
    return step_execution_id


def _invalid(message: str) -> SsmError:
    return SsmError("InvalidAutomationSignalException", message)

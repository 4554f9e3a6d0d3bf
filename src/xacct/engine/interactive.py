"""Mode Interactive ("Running an automation step by step", AWS Systems Manager User Guide): "the
automation starts in a Waiting status and pauses in the Waiting status between each step". Each
StartStep signal runs the step it names with the usual semantics (retries, time limit, outputs);
StopStep stops the running step, which ends Cancelled, and the execution waits again; the
caller ends the execution with StopAutomationExecution, Type Complete (after the last step, as
the guide's last command does) or Cancel.

The caller picks each step: the guide and SendAutomationSignal name the step to start and put no
order on it, so nextStep, onFailure and isEnd move nothing here (ValidNextSteps still shows what
the runbook would run next). Auto mode does not come through this module.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields

from ..document.model import Document, Step
from . import status as S
from .execution import Execution
# the runner's own ending and onCancel path: both modes end and cancel alike
from .runner import Outcome, finish, run_cancel_path, is_critical, run_step, start
from .signals import wait_between_steps

MODE = "Interactive"
# What an Interactive execution waits for between steps. A StopStep found here is stale: the
# step it named ended before the execution took it.
BETWEEN_STEPS = ("StartStep", "StopStep", "Complete", "Cancel")


def start_interactive(document: Document, **kwargs) -> Execution:
    """runner.start, recorded with Mode Interactive and Waiting at once: SSM answers the start
    with an execution that already waits for its first StartStep."""
    execution = start(document, record={"Mode": MODE}, **kwargs)
    execution.store.append(execution.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.WAITING},
                           status=S.WAITING)
    return execution


def run_interactive(execution: Execution) -> str:
    """Run the steps the signals name until Complete or Cancel; return the final status."""
    steps = list(execution.document.steps)
    by_name = {s.name: s for s in steps}
    outcomes: dict[str, Outcome] = {}  # each step's latest run, in the order of those runs
    while True:
        batch = wait_between_steps(execution, BETWEEN_STEPS)
        kinds = [signal["type"] for signal in batch]
        if "Cancel" in kinds:  # a cancel wins over steps asked for with it
            return finish(execution, S.CANCELLED, None)
        for signal in batch:
            if signal["type"] == "Complete":
                return finish(execution, *_verdict(by_name, outcomes))
            step = by_name.get(signal.get("StepName")) if signal["type"] == "StartStep" else None
            if step is None:  # a stale StopStep (SendAutomationSignal checked the step names)
                continue
            outcome = _run_one(execution, step)
            if execution.cancel.is_set():  # StopAutomationExecution Cancel came while the step ran
                run_cancel_path(execution, step, {s.name: i for i, s in enumerate(steps)}, steps)
                return finish(execution, S.CANCELLED, None)
            outcomes.pop(step.name, None)
            outcomes[step.name] = outcome


def _run_one(execution: Execution, step: Step) -> Outcome:
    store = execution.store
    store.append(execution.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.IN_PROGRESS},
                 status=S.IN_PROGRESS)
    outcome = run_step(StepRun.of(execution), step)
    if not execution.cancel.is_set():
        store.append(execution.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.WAITING},
                     status=S.WAITING)
    return outcome


def _verdict(steps: dict[str, Step], outcomes: dict[str, Outcome]) -> tuple[str, str | None]:
    """The status Complete ends with. AWS does not document it; xacct decides as Auto mode does:
    the first critical step whose latest run Failed or TimedOut gives its status and message,
    else Success. A step stopped by StopStep was the caller's choice, not a failure."""
    for name, outcome in outcomes.items():
        if outcome.status in (S.FAILED, S.TIMED_OUT) and is_critical(steps[name]):
            return outcome.status, outcome.failure
    return S.SUCCESS, None


@dataclass
class StepRun(Execution):
    """The execution while one StartStep runs: the same state (outputs, variables, cancel), and a
    stop of its own that StopStep sets. The watchdog polls `poll_cancel` while the step runs and
    stops the step once `cancelled()` says so; a StopStep stops only this step, a Cancel (which
    sets the shared `cancel`) the execution."""

    step_stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def of(cls, execution: Execution) -> "StepRun":
        return cls(**{f.name: getattr(execution, f.name) for f in fields(Execution)})

    def cancelled(self) -> bool:
        return self.step_stop.is_set() or super().cancelled()

    def poll_cancel(self) -> bool:
        if not self.step_stop.is_set():
            for signal in self.store.take_signals(self.id, ["StopStep"]):
                self.store.append(self.id, "SignalReceived", None, signal)
                if _running(self, signal.get("StepExecutionId")):
                    self.step_stop.set()
        return super().poll_cancel()


def _running(execution: Execution, step_execution_id: str | None) -> bool:
    """Whether the step execution a StopStep names still runs; one that ended before the signal
    was taken must not stop the step run after it. Folded from the events, as SSM shows them:
    this runs only when a StopStep arrives."""
    from .history import automation_execution

    current = automation_execution(execution.store, execution.id) or {}
    return any(s.get("StepExecutionId") == step_execution_id and s["StepStatus"] in (S.IN_PROGRESS, S.WAITING)
               for s in current.get("StepExecutions", []))

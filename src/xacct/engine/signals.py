"""Waiting for signals (SendAutomationSignal, StopAutomationExecution): the execution shows
Waiting until one arrives through the store, from `xacct signal` or an SDK in any process, or at
once with --auto-approve. A step waits (aws:approve, aws:pause), or an Interactive execution
waits between its steps."""

from __future__ import annotations

from typing import Iterable

from . import status as S
from .call import StepCall
from .execution import Execution


def wait_for_signals(call: StepCall, kinds: Iterable[str], reason: str):
    """Yield batches of signals of `kinds` until the caller stops iterating; the execution is
    Waiting meanwhile and InProgress again after."""
    ex = call.execution
    ex.store.append(ex.id, "StepWaiting", call.step.name, {"Reason": reason})
    ex.store.append(ex.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.WAITING}, status=S.WAITING)
    try:
        while True:
            batch = ex.store.take_signals(ex.id, kinds)
            if batch:
                for signal in batch:
                    ex.store.append(ex.id, "SignalReceived", call.step.name, signal)
                yield batch
            call.wait(ex.options.signal_poll_seconds)
    finally:
        ex.store.append(ex.id, "StepResumed", call.step.name, {})
        ex.store.append(ex.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.IN_PROGRESS},
                        status=S.IN_PROGRESS)


def wait_between_steps(execution: Execution, kinds: Iterable[str]) -> list[dict]:
    """As an Interactive execution waits between its steps (it shows Waiting, no step does; the
    caller records that): the first signals of `kinds` to arrive, in the order sent, recorded.
    A cancel of the execution in this process (its `cancel` set) ends the wait as a Cancel."""
    ex = execution
    while True:
        batch = ex.store.take_signals(ex.id, kinds)
        if batch:
            for signal in batch:
                ex.store.append(ex.id, "SignalReceived", None, signal)
            return batch
        if ex.cancel.wait(ex.options.signal_poll_seconds):
            return [{"type": "Cancel"}]

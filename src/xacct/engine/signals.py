"""Waiting for signals (SendAutomationSignal): the step's execution shows Waiting until one
arrives through the store, from `xacct signal` in any process, or at once with --auto-approve."""

from __future__ import annotations

from typing import Iterable

from . import status as S
from .call import StepCall


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

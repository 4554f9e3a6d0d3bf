"""What a handler gets: the step's resolved inputs, and the means to act and to wait."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..document.model import Step
from .errors import StepInterrupted
from .execution import Execution


@dataclass
class StepResult:
    """`response` is what output selectors read; `outputs` are the action's built-in outputs;
    `next_step` is set by aws:branch; `details` are recorded with the step (a child's ID)."""

    response: Any = None
    outputs: dict[str, Any] = field(default_factory=dict)
    next_step: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # recorded with the step (a child's ID, ...)


@dataclass
class StepCall:
    step: Step
    inputs: dict[str, Any]
    execution: Execution
    deadline: float | None = None
    interrupt: threading.Event = field(default_factory=threading.Event)
    reason: str = ""

    def client(self, service: str):
        ex = self.execution
        return ex.cloud.client(service, ex.region, ex.credentials)

    def stop(self, reason: str) -> None:
        """Called by the runner: the step must end (its deadline passed, or a cancel came)."""
        self.reason = reason
        self.interrupt.set()

    def check(self) -> None:
        if self.interrupt.is_set():
            raise StepInterrupted(self.reason)

    def wait(self, seconds: float) -> None:
        """Sleep, but end at once with StepInterrupted when the step is stopped."""
        if self.interrupt.wait(max(0.0, seconds)):
            raise StepInterrupted(self.reason)

    def log(self, stream: str, text: str) -> None:
        if text:
            self.execution.store.append(self.execution.id, "StepLog", self.step.name, {"stream": stream, "text": text})

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

"""How a step ends other than in success; the runner turns these into statuses."""

from __future__ import annotations


class StepFailed(Exception):
    """The step failed; `message` becomes its FailureMessage. `retriable` is False for failures
    another attempt cannot fix (a malformed input, an unknown API)."""

    def __init__(self, message: str, *, retriable: bool = True, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.retriable = retriable
        self.details = details or {}


class StepInterrupted(Exception):
    """The step was stopped from outside: its deadline passed, or the execution was cancelled."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "timeout" or "cancel"


class ExecutionRejected(Exception):
    """StartAutomationExecution-time failure (bad parameters, unknown runbook), with AWS's code."""

    def __init__(self, code: str, message: str, execution_id: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        # Set when the execution was already recorded (and ended Failed): SSM answers the start
        # with its ID then, and the failure shows in GetAutomationExecution.
        self.execution_id = execution_id

"""The errors the Automation operations answer with: codes as botocore's SSM model names them
(each operation's `errors`), HTTP 400 as SSM sends them, and a message that says what is wrong."""

from __future__ import annotations


class SsmError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def execution_not_found(execution_id: str) -> SsmError:
    return SsmError("AutomationExecutionNotFoundException", f"Execution {execution_id} does not exist.")


def validation(message: str) -> SsmError:
    return SsmError("ValidationException", message)

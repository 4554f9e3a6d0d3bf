"""SSM's Automation API, answered by xacct's engine and store: one handler per operation, with
requests and answers shaped by botocore's SSM model.

The same handlers serve three callers: the sandbox's HTTP server (its middleware authenticates
and authorizes the request, then routes it here), the in-process commands (`xacct run`, `stop`,
`signal`, `executions`), which authorize through `call` with the same gate, and the tests.
"""

from __future__ import annotations

from typing import Callable

from . import describe_executions, describe_steps, get, signal, start, stop
from .context import Context, Started, in_background
from .errors import SsmError

HANDLERS: dict[str, Callable[[dict, Context], dict]] = {
    "StartAutomationExecution": start.handle,
    "GetAutomationExecution": get.handle,
    "DescribeAutomationExecutions": describe_executions.handle,
    "DescribeAutomationStepExecutions": describe_steps.handle,
    "StopAutomationExecution": stop.handle,
    "SendAutomationSignal": signal.handle,
}


def serves(service: str, operation: str) -> bool:
    return service == "ssm" and operation in HANDLERS


def handle(operation: str, params: dict, ctx: Context) -> dict:
    """Answer an authorized request; raises SsmError with the code and message SSM would send."""
    return HANDLERS[operation](params, ctx)


def call(operation: str, params: dict, ctx: Context) -> dict:
    """Authorize as the gate would over HTTP (the context's caller, in its cloud), then answer."""
    if ctx.cloud is not None and ctx.caller is not None:
        ctx.cloud.check_call(ctx.caller, "ssm", operation, params, ctx.region or ctx.cloud.default_region)
    return handle(operation, params, ctx)


__all__ = ["Context", "HANDLERS", "SsmError", "Started", "call", "handle", "in_background", "serves"]

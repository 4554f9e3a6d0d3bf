"""GetAutomationExecution: the execution folded from its events (engine.history)."""

from __future__ import annotations

from .context import Context
from .lookup import execution_row
from .shapes import answer, check_request

OPERATION = "GetAutomationExecution"


def handle(params: dict, ctx: Context) -> dict:
    params = check_request(OPERATION, params)
    return answer(OPERATION, {"AutomationExecution": automation_execution(params["AutomationExecutionId"], ctx)})


def automation_execution(execution_id: str, ctx: Context, *, prefix: bool = False) -> dict:
    """The full record, with xacct's own keys (explanations, attempts, logs) kept: what the CLI
    shows; the HTTP answer is cut to the model's shape by `answer`."""
    from ..engine.history import automation_execution as fold

    row = execution_row(execution_id, ctx, prefix=prefix)
    result = fold(ctx.store, row["execution_id"])
    tags = [e["data"]["Tags"] for e in ctx.store.events(row["execution_id"]) if e["type"] == "Tags"]
    if tags:
        result["xacct:Tags"] = tags[-1]
    return result

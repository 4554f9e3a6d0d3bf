"""Finding a recorded execution for an operation that names one."""

from __future__ import annotations

from .context import Context
from .errors import execution_not_found


def execution_row(execution_id: str, ctx: Context, *, prefix: bool = False):
    """The store's row of the execution, if the caller may see it; AutomationExecutionNotFound
    otherwise, as SSM answers for an ID of another account or Region. `prefix` lets the CLI name
    an execution by the start of its ID."""
    row = ctx.store.find_execution(execution_id) if prefix else ctx.store.execution(execution_id)
    if row is None or not ctx.sees(row):
        raise execution_not_found(execution_id)
    return row


def full_id(params: dict, ctx: Context) -> dict:
    """The request with the execution named by its whole ID: the commands accept the start of
    one, SSM's shapes want all 36 characters."""
    row = execution_row(str(params.get("AutomationExecutionId", "")), ctx, prefix=True)
    return {**params, "AutomationExecutionId": row["execution_id"]}

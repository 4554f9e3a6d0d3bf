"""StopAutomationExecution and SendAutomationSignal for executions SSM runs: sent to SSM in the
account and Region the execution belongs to (a target's child through the read role)."""

from __future__ import annotations


def ssm_for(cloud, store, execution_id: str, region: str | None):
    """(client, full execution ID) for the execution: the caller's own account for the parent;
    a child's account through the read role recorded with its parent."""
    from ..delegate.record import where as recorded_where

    row = store.find_execution(execution_id)
    if row is None:
        caller = cloud.identity(cloud.caller_credentials(), region or cloud.default_region)
        return cloud.client("ssm", region or cloud.default_region, caller), execution_id
    execution_id = row["execution_id"]
    top = row
    while top["parent_id"]:
        top = store.execution(top["parent_id"])
    known = recorded_where(store, top["execution_id"]) or {}
    home = region or row["region"] or known.get("Region") or cloud.default_region
    caller = cloud.identity(cloud.caller_credentials(), home)
    if not row["account"] or row["account"] == caller.account:
        return cloud.client("ssm", home, caller), execution_id
    from ..doctor import Reader

    reader = Reader(cloud, caller, home, known.get("ReadRoleName") or "AWS-SystemsManager-AutomationExecutionRole")
    return cloud.client("ssm", home, reader.credentials(row["account"])), execution_id

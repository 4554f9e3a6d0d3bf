"""The runbook engine: runs an Automation document step by step, as SSM does, and records every
event of the run in the store."""

from __future__ import annotations

from typing import Any

from ..cloud import Cloud
from ..store import Store
from .documents import Runbook, find_runbook
from .errors import ExecutionRejected
from .execution import Execution, Options


def start_runbook(ref: str | Runbook, *, cloud: Cloud, store: Store, region: str | None = None,
                  parameters: dict[str, Any] | None = None, options: Options | None = None,
                  caller=None) -> Execution:
    """Find the runbook (a file, an AWS-owned runbook, or a document in the account), check the
    parameters and record the start; `run(execution)` then runs it."""
    from .runner import start

    region = region or cloud.default_region
    caller = caller or cloud.caller_credentials()
    runbook = ref if isinstance(ref, Runbook) else find_runbook(ref, cloud, caller, region)
    execution = start(runbook.document, name=runbook.name, cloud=cloud, store=store, region=region,
                      given=parameters or {}, caller=caller, options=options)
    execution.folder = runbook.folder
    return execution


def run(execution: Execution) -> str:
    from .runner import run as run_execution

    return run_execution(execution)


__all__ = ["ExecutionRejected", "Execution", "Options", "Runbook", "run", "start_runbook"]

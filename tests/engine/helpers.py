"""Running runbook text in the sandbox and reading back what the store recorded."""

from __future__ import annotations

import textwrap

from xacct.document.loader import load_text
from xacct.document.model import build_document
from xacct.engine import Options, run, start_runbook
from xacct.engine.documents import Runbook
from xacct.engine.history import automation_execution


def runbook(text: str, name: str = "Test") -> Runbook:
    [source] = load_text(f"{name}.yaml", textwrap.dedent(text)).documents
    return Runbook(build_document(source), name)


def run_text(text, sandbox, store, parameters=None, options=None, name="Test"):
    """(final status, GetAutomationExecution shape, the execution)."""
    execution = start_runbook(runbook(text, name), cloud=sandbox, store=store, parameters=parameters or {},
                              options=options or Options(signal_poll_seconds=0.02))
    final = run(execution)
    return final, automation_execution(store, execution.id), execution


def statuses(result) -> dict[str, str]:
    return {step["StepName"]: step["StepStatus"] for step in result["StepExecutions"]}


def step(result, name) -> dict:
    return [s for s in result["StepExecutions"] if s["StepName"] == name][-1]

"""How the commands reach SSM's Automation API (xacct.ssm): with the same handlers, authorization
and error codes as a client over HTTP. `xacct run` starts an execution as its caller and then
runs it in the foreground, so that its live view and Ctrl-C stay with the terminal."""

from __future__ import annotations

import os
import sys

import click


def start_here(runbook: str, params: dict, *, cloud, store, region: str, auto_approve: bool):
    """StartAutomationExecution of RUNBOOK (a name, an ARN, or a file) as the cloud's caller.
    Returns the Started execution, whose `run` the command calls; a refusal ends the command with
    its code and message and exit status 2."""
    from ..engine import Options
    from ..engine.documents import from_file
    from ..ssm import Context, SsmError, call

    handed: list = []
    ctx = Context(store=store, cloud=cloud, caller=cloud.caller_credentials(), region=region,
                  launch=handed.append, options=Options(auto_approve=auto_approve))
    name = runbook
    if os.path.exists(runbook.partition("#")[0]):
        found = from_file(runbook)  # a file is a runbook of the caller's own, as if created first
        name = found.name
        ctx.runbooks[name] = found
    try:
        answer = call("StartAutomationExecution", {"DocumentName": name, **params}, ctx)
    except SsmError as error:
        refuse(error.code, error.message)
    except Exception as exc:
        from ..sandbox.gate import AccessRefused

        if not isinstance(exc, AccessRefused):
            raise
        refuse(exc.code, exc.message)
    if not handed:  # it ended as it started (an assume role that cannot be assumed)
        from ..engine.history import automation_execution

        ended = automation_execution(store, answer["AutomationExecutionId"])
        refuse("InvalidAutomationExecutionParametersException", ended.get("FailureMessage", "It could not start."))
    return handed[0]


def refuse(code: str, message: str):
    click.echo(f"xacct: {code}: {message}", err=True)
    sys.exit(2)

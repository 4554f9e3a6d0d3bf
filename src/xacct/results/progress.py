"""Live progress of a run on the terminal: one line when a step starts, one when it ends,
children indented under the step that started them."""

from __future__ import annotations

import threading
import time

import click

from ..engine import status as S

COLORS = {S.SUCCESS: "green", S.FAILED: "red", S.TIMED_OUT: "red", S.CANCELLED: "yellow", S.WAITING: "cyan"}


class Progress:
    def __init__(self, root_id: str) -> None:
        self.depth = {root_id: 0}
        self.started: dict[tuple[str, str], float] = {}
        self.lock = threading.Lock()

    def __call__(self, execution_id: str, kind: str, step: str | None, data: dict) -> None:
        with self.lock:
            depth = self.depth.get(execution_id)
            if depth is None:
                return
            pad = "  " * (depth + 1)
            if kind == "StepStarted":
                self.started[(execution_id, step)] = time.monotonic()
                click.echo(f"{pad}{step} ({data.get('Action')}) ...")
            elif kind == "StepWaiting":
                click.secho(f"{pad}{step} is Waiting: {data.get('Reason', 'for a signal')}", fg="cyan")
            elif kind == "StepFinished":
                took = time.monotonic() - self.started.pop((execution_id, step), time.monotonic())
                status = data["StepStatus"]
                line = f"{pad}{step} {status} ({took:.2f}s)"
                click.secho(line, fg=COLORS.get(status))
                if data.get("FailureMessage"):
                    click.echo(f"{pad}  {data['FailureMessage']}")
            elif kind == "ChildStarted":
                self.depth[data["ChildExecutionId"]] = depth + 1
                click.echo(f"{pad}  child execution {data['ChildExecutionId']} of {data['DocumentName']}")

"""Who calls an Automation operation, and where: the same handlers serve the HTTP sandbox (a
signed caller in an account and Region, executions run in the server's background), `xacct run`
(the sandbox's operator or a world user; the command follows the run in the foreground) and the
store-only commands (`xacct stop`, `xacct signal`, `xacct executions`), which have no sandbox."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from ..credentials import Credentials
from ..store import Store


@dataclass
class Started:
    """An execution recorded as started, and the work that runs it to its end."""

    execution_id: str
    execution: Any  # the engine's Execution (the parent, for runs across targets)
    run: Callable[[], str]
    runbook: Any = None
    detail: Any = None  # the engine's Fanout or RateRun, for views that count targets


def in_background(started: Started) -> None:
    """As SSM runs an execution: on its own, after StartAutomationExecution has answered."""
    threading.Thread(target=started.run, name=f"xacct-execution-{started.execution_id[:8]}", daemon=True).start()


@dataclass
class Context:
    store: Store
    cloud: Any = None  # a Cloud; None for the commands that only read and signal the store
    caller: Credentials | None = None  # None: the local operator of the store, who sees everything
    region: str | None = None
    launch: Callable[[Started], None] = in_background
    runbooks: dict[str, Any] = field(default_factory=dict)  # runbooks read from files, by name
    options: Any = None  # the engine's Options for executions started here
    started: dict[str, Started] = field(default_factory=dict)  # by ClientToken: StartAutomationExecution's idempotency

    @property
    def account(self) -> str | None:
        return self.caller.account if self.caller is not None else None

    def sees(self, row) -> bool:
        """Executions belong to an account and a Region: a caller reads only its own."""
        if self.caller is None:
            return True
        return row["account"] == self.account and (self.region is None or row["region"] == self.region)

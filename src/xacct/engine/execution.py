"""One execution of a runbook: what its steps can see (parameters, variables, outputs, system
variables) and act as (credentials, Region), and how it is reached from outside (cancel)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..cloud import Cloud
from ..credentials import Credentials
from ..document.model import Document
from ..document.references import SYSTEM_VARIABLES
from ..store import Store
from .interpolate import UnresolvedReference


@dataclass
class Options:
    """How executions behave beyond what the runbook says."""

    auto_approve: bool = False  # aws:approve and aws:pause continue without a signal
    approver: str | None = None  # who --auto-approve approves as
    signal_poll_seconds: float = 0.2


@dataclass
class Execution:
    document: Document
    name: str  # the document name as SSM shows it
    cloud: Cloud
    store: Store
    region: str
    credentials: Credentials  # what steps act as: the assume role, or the starter
    caller: Credentials  # who started the execution
    parameters: dict[str, Any]
    options: Options = field(default_factory=Options)
    parent: "Execution | None" = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    variables: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # step -> output -> value
    loop_values: dict[str, dict[str, Any]] = field(default_factory=dict)  # loop step -> current values
    cancel: threading.Event = field(default_factory=threading.Event)
    children: list["Execution"] = field(default_factory=list)
    folder: str | None = None  # where a runbook read from a file looks for its attachments

    @property
    def account(self) -> str:
        return (self.credentials.account or self.caller.account or "")

    def cancelled(self) -> bool:
        execution: Execution | None = self
        while execution is not None:
            if execution.cancel.is_set():
                return True
            execution = execution.parent
        return False

    def top(self) -> "Execution":
        top = self
        while top.parent is not None:
            top = top.parent
        return top

    def poll_cancel(self) -> bool:
        """True once a Cancel signal (xacct stop, from any process) reached this execution or a
        parent; the signal is taken from the store."""
        top = self.top()
        if not top.cancel.is_set() and top.store.take_signals(top.id, ["Cancel"]):
            top.cancel.set()
        return self.cancelled()

    def system_variable(self, name: str) -> str:
        now = datetime.now(timezone.utc)
        values = {
            "global:ACCOUNT_ID": self.account,
            "global:REGION": self.region,
            "global:DATE": now.strftime("%Y-%m-%d"),
            "global:DATE_TIME": now.strftime("%Y-%m-%d_%H.%M.%S"),
            "global:AWS_PARTITION": self.cloud.partition,
            "automation:EXECUTION_ID": self.id,
            "automation:DOCUMENT_NAME": self.name,
        }
        return values[name]

    def lookup(self, text: str) -> Any:
        """The value of the reference `{{ text }}`."""
        if text in SYSTEM_VARIABLES:
            return self.system_variable(text)
        if text.startswith("variable:"):
            name = text[len("variable:"):]
            if name not in self.variables:
                raise UnresolvedReference(text, "no such variable")
            return self.variables[name]
        if "." in text:
            step, attribute = text.split(".", 1)
            if step in self.loop_values and attribute in self.loop_values[step]:
                return self.loop_values[step][attribute]
            if step not in self.outputs:
                raise UnresolvedReference(text, f"step {step} has not run")
            if attribute not in self.outputs[step]:
                raise UnresolvedReference(text, f"step {step} has no output {attribute}")
            return self.outputs[step][attribute]
        if text in self.parameters:
            return self._written_inside(self.parameters[text])
        raise UnresolvedReference(text, "no such parameter")

    def _written_inside(self, value: Any) -> Any:
        """A parameter's value with the system variables and parameters written inside it resolved,
        once: SSM does, as AWS's own material shows (AWS-UpdateWindowsAmi's TargetAmiName default
        `UpdateWindowsAmi_from_{{SourceAmiId}}_on_{{global:DATE_TIME}}`; its walkthrough's
        `AutomationAssumeRole='arn:aws:iam::{{global:ACCOUNT_ID}}:role/AutomationServiceRole'`).
        Anything else between braces stays as written."""
        if isinstance(value, str) and "{{" not in value:
            return value  # nearly every value: nothing to fill, and a lookup is on every step's path
        from .interpolate import REFERENCE, as_text

        def filled(text: str) -> Any:
            matches = list(REFERENCE.finditer(text))
            if not matches:
                return text
            known = {m.group(1).strip() for m in matches} & (set(SYSTEM_VARIABLES) | set(self.parameters))

            def value_of(name: str) -> Any:
                return self.system_variable(name) if name in SYSTEM_VARIABLES else self.parameters[name]

            whole = matches[0].group(1).strip()
            if len(matches) == 1 and matches[0].group(0) == text.strip() and whole in known:
                return value_of(whole)  # one whole reference keeps its value's type
            return REFERENCE.sub(lambda m: as_text(value_of(m.group(1).strip())) if m.group(1).strip() in known
                                 else m.group(0), text)

        if isinstance(value, str):
            return filled(value)
        if isinstance(value, list) and any(isinstance(item, str) for item in value):
            return [filled(item) if isinstance(item, str) else item for item in value]
        return value

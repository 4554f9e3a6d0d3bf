"""Step logs in CloudWatch Logs (`xacct run --log-group NAME`): every execution of the run, the
children in target accounts included, gets a log stream named by its execution ID, in its own
account and Region, written with its own credentials (a target's execution role), with a line per
step start and end (status, duration, failure). The store keeps the same events whatever happens;
a log that cannot be written (the role may not call logs:CreateLogStream or logs:PutLogEvents) is
a warning with its explanation, never a failure of the run.

Lines are kept in memory and written when the execution ends (one CreateLogStream and as few
PutLogEvents calls as the batch limits allow), on the sender thread, so steps never wait for
CloudWatch."""

from __future__ import annotations

import re
import threading
import time
from typing import Callable

from ..runtime.background import BackgroundSender, record_warning

LOG_GROUP = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")  # LogGroupName (botocore's logs model)
BATCH = 1000  # PutLogEvents takes at most 10,000 events and 1 MiB per call: stay well under
MAX_LINE = 8000  # characters; a log event may hold 256 KiB, a failure message never needs that


def check_log_group(name: str) -> str:
    if not LOG_GROUP.fullmatch(name):
        raise ValueError(f"{name!r} is not a log group name (1 to 512 of A-Z a-z 0-9 . - _ / #)")
    return name


def line_for(kind: str, step: str | None, data: dict, took: float | None) -> str | None:
    """The log line of one store event, or None for events a log does not show."""
    if kind == "SsmExecution":  # an execution SSM runs (AWS mode): its record as SSM last answered it
        if not ended(kind, data):
            return None
        text = f"execution {data.get('AutomationExecutionStatus')}"
        return text + (f": {data['FailureMessage']}" if data.get("FailureMessage") else "")
    if kind == "ExecutionStatus":
        return f"execution {data.get('AutomationExecutionStatus')}"
    if kind == "ExecutionFinished":
        text = f"execution {data.get('AutomationExecutionStatus')}"
        return text + (f": {data['FailureMessage']}" if data.get("FailureMessage") else "")
    if kind == "ChildStarted":
        return f"child execution {data.get('ChildExecutionId')} of {data.get('DocumentName')} started"
    if step is None:
        return None
    if kind == "StepStarted":
        return f"step {step} ({data.get('Action')}) InProgress"
    if kind == "StepWaiting":
        return f"step {step} Waiting"
    if kind == "StepResumed":
        return f"step {step} InProgress (resumed)"
    if kind == "StepAttemptFailed":
        return f"step {step} attempt {data.get('Attempt')} failed: {data.get('FailureMessage')}"
    if kind == "StepFinished":
        text = f"step {step} {data.get('StepStatus')}" + (f" after {took:.3f}s" if took is not None else "")
        if data.get("FailureMessage"):
            text += f": {data['FailureMessage']}"
        why = data.get("xacct:Explanation") or {}
        if why.get("cause") or why.get("fix"):
            text += f" (why: {why.get('cause') or why.get('message', '')}; fix: {why.get('fix', '-')})"
        return text
    return None


def ended(kind: str, data: dict) -> bool:
    """Whether the event ends its execution: xacct's engine says ExecutionFinished; an execution SSM
    runs ends with the record that gives it a final status."""
    from ..engine.status import TERMINAL

    return kind == "ExecutionFinished" or (kind == "SsmExecution"
                                           and data.get("AutomationExecutionStatus") in TERMINAL)


def ssm_duration(data: dict) -> float | None:
    """A step's duration from the times SSM gives it (AWS mode: xacct sees the step only when it
    reads it, so its own clock would say nothing about how long the step took)."""
    from datetime import datetime

    try:
        began = datetime.fromisoformat(data["ExecutionStartTime"])
        finished = datetime.fromisoformat(data["ExecutionEndTime"])
    except (KeyError, TypeError, ValueError):
        return None
    return max((finished - began).total_seconds(), 0.0)


class StepLogs:
    """A store listener; `close()` writes what is still buffered and waits for the writes."""

    def __init__(self, store, cloud, log_group: str, caller) -> None:
        """`caller`: the credentials of whoever started the run, which the top execution of a
        run across targets acts as."""
        self.store, self.cloud, self.log_group, self.caller = store, cloud, check_log_group(log_group), caller
        self._lines: dict[str, list[dict]] = {}
        self._started: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._sender = BackgroundSender("xacct-step-logs", on_error=self._failed)
        self.written: list[tuple[str, str, str]] = []  # (account, region, stream) written
        self._warned: set[tuple] = set()
        # In AWS mode SSM runs the targets' executions, so this process holds no credentials of
        # theirs: the delegation sets this to its reader (the read role of each account), with
        # which the log of a target's execution is written in the target's account.
        self.credentials_for: Callable[[str], object] | None = None
        self._unreachable: dict[str, str] = {}  # execution -> why its account could not be reached

    def __call__(self, execution_id: str, kind: str, step: str | None, data: dict) -> None:
        now = time.time()
        took = None
        with self._lock:
            if kind == "StepStarted" and step:
                self._started[(execution_id, step)] = now
            elif kind == "StepFinished" and step:
                began = self._started.pop((execution_id, step), None)
                took = ssm_duration(data)
                if took is None and began is not None:
                    took = now - began
        text = line_for(kind, step, data, took)
        if text is None:
            return
        with self._lock:
            self._lines.setdefault(execution_id, []).append({"timestamp": int(now * 1000),
                                                             "message": text[:MAX_LINE]})
            lines = self._lines.pop(execution_id) if ended(kind, data) else None
        if lines:
            self._sender.submit(execution_id, lambda: self._write(execution_id, lines))

    # -- writing -------------------------------------------------------------------------------
    def _where(self, execution_id: str):
        """(credentials, account, Region) of the execution: the engine's own object while it runs
        here; the caller's for a top execution the engine made no object for."""
        from ..engine.runner import LIVE

        for execution in list(LIVE.values()):
            while execution is not None:  # a target's rate-control parent, the run's parent, ...
                if execution.id == execution_id:
                    return execution.credentials, execution.account, execution.region
                execution = execution.parent
        row = self.store.execution(execution_id)
        if row is None:
            return None, None, None
        if row["parent_id"] is None or row["account"] == self.caller.account:
            return self.caller, row["account"], row["region"]
        if self.credentials_for is not None and row["account"]:
            try:
                return self.credentials_for(row["account"]), row["account"], row["region"]
            except Exception as exc:  # doctor.Unreadable: the read role cannot be assumed there
                self._unreachable[execution_id] = " ".join(str(exc).split())
        return None, row["account"], row["region"]

    def _write(self, execution_id: str, lines: list[dict]) -> None:
        from botocore.exceptions import ClientError

        credentials, account, region = self._where(execution_id)
        if credentials is None:
            raise RuntimeError(self._unreachable.get(execution_id)
                               or "the credentials of this execution are not known to this process")
        logs = self.cloud.client("logs", region, credentials)
        try:
            logs.create_log_stream(logGroupName=self.log_group, logStreamName=execution_id)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code == "ResourceNotFoundException":  # no such group in this account and Region yet
                self._create_group(logs)
                logs.create_log_stream(logGroupName=self.log_group, logStreamName=execution_id)
            elif code != "ResourceAlreadyExistsException":
                raise
        lines = sorted(lines, key=lambda line: line["timestamp"])  # PutLogEvents wants them in order
        for start in range(0, len(lines), BATCH):
            logs.put_log_events(logGroupName=self.log_group, logStreamName=execution_id,
                                logEvents=lines[start:start + BATCH])
        self.written.append((account, region, execution_id))

    def _create_group(self, logs) -> None:
        from botocore.exceptions import ClientError

        try:
            logs.create_log_group(logGroupName=self.log_group)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceAlreadyExistsException":
                raise  # another execution in the same account and Region made it meanwhile

    def _failed(self, execution_id: str, exc: Exception) -> None:
        from ..engine.runner import DENIAL_CODES

        credentials, account, region = self._where(execution_id)
        code = getattr(exc, "response", {}).get("Error", {}).get("Code")
        explanation = self.cloud.explain_denial(credentials) if credentials and code in DENIAL_CODES else None
        text = " ".join(str(exc).split()) or type(exc).__name__
        # every execution's warning is kept; the terminal hears each cause once per account and Region
        # (a run across hundreds of targets would otherwise print hundreds of the same warning)
        seen = (account, region, code or type(exc).__name__, (explanation or {}).get("action"))
        with self._lock:
            echo = seen not in self._warned
            self._warned.add(seen)
        record_warning(self.store, execution_id,
                       f"step log of {execution_id} not written to log group {self.log_group} in {account} {region}: "
                       f"{text}", source="step-logs", explanation=explanation, echo=echo)

    def close(self, timeout: float = 15.0) -> bool:
        with self._lock:
            left, self._lines = self._lines, {}
        for execution_id, lines in left.items():  # executions that did not finish (interrupted)
            self._sender.submit(execution_id, lambda e=execution_id, l=lines: self._write(e, l))
        return self._sender.close(timeout)

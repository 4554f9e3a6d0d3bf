"""Notifications of a run (`xacct run --notify ...`): a store listener that turns status changes
and failures into events shaped as Systems Manager's own EventBridge events, "EC2 Automation
Execution Status-change Notification" and "EC2 Automation Step Status-change Notification" (their
names, members and time formats as in "Amazon EventBridge event examples for Systems Manager" and
"Monitoring Systems Manager events with Amazon EventBridge", AWS Systems Manager User Guide), and
sends them to webhooks (POST), SNS topics (Publish) and EventBridge buses (PutEvents).

The source is "xacct", not "aws.ssm": AWS reserves the aws.* sources for its services (PutEvents
refuses them), and these events come from xacct. Members xacct adds are prefixed "xacct:".
Notifications carry no parameters, inputs or outputs: those may hold SecureString values or other
secrets; credentials are never part of any event.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from ..runtime.background import BackgroundSender, record_warning
from ..engine import status as S

EXECUTION_CHANGE = "EC2 Automation Execution Status-change Notification"
STEP_CHANGE = "EC2 Automation Step Status-change Notification"
SOURCE = "xacct"
FAILURES = {S.FAILED, S.TIMED_OUT, S.CANCELLED}
ON_CHOICES = ("failure", "status")

SNS_TOPIC = re.compile(r"arn:aws[\w-]*:sns:([a-z]+-[a-z]+-[\w-]+):(\d{12}):[\w-]{1,256}")
# EventBusNameOrArn of PutEventsRequestEntry (botocore's events model)
EVENT_BUS = re.compile(r"(arn:aws[\w-]*:events:([a-z]+-[a-z]+-[\w-]+):[0-9]{12}:event-bus/)?[/.\-_A-Za-z0-9]+")
WEBHOOK_TIMEOUT = (2.0, 5.0)  # connect, read (seconds)
WEBHOOK_RETRIES = 3


@dataclass(frozen=True)
class Destination:
    kind: str  # "webhook", "sns" or "events"
    target: str  # the URL, topic ARN, or bus name or ARN
    region: str | None = None  # for sns and events

    @property
    def shown(self) -> str:
        """How messages name it: a webhook by scheme and host only, as its path or query may be
        a secret (Slack's and Teams' webhook URLs are)."""
        if self.kind == "webhook":
            parts = urlsplit(self.target)
            return f"webhook {parts.scheme}://{parts.netloc.rpartition('@')[2]}"
        return {"sns": "SNS topic ", "events": "EventBridge bus "}[self.kind] + self.target


def parse_destination(text: str, region: str) -> Destination:
    """--notify's value: an http(s) URL, an SNS topic ARN, or an EventBridge bus ARN or name (a bus
    named by name is in `region`). Raises ValueError with what is wrong."""
    text = text.strip()
    if re.match(r"(?i)https?://", text):
        parts = urlsplit(text)
        if not parts.hostname:
            raise ValueError(f"{text!r} has no host")
        return Destination("webhook", text)
    if text.startswith("arn:") and ":sns:" in text:
        match = SNS_TOPIC.fullmatch(text)
        if not match:
            raise ValueError(f"{text!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)")
        return Destination("sns", text, match.group(1))
    match = EVENT_BUS.fullmatch(text)
    if match and (not text.startswith("arn:") or match.group(1)):
        return Destination("events", text, match.group(2) or region)
    raise ValueError(f"{text!r} is neither an http(s) URL, an SNS topic ARN, nor an EventBridge bus ARN or name")


def aws_time(moment: datetime) -> str:
    """StartTime/EndTime as SSM's events write them: "Nov 29, 2024 7:43:25 PM" (UTC)."""
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year} {hour}:{moment:%M:%S} {moment:%p}"


def envelope(detail_type: str, detail: dict, *, account: str, region: str, resources: list[str],
             at: datetime) -> dict:
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": detail_type, "source": SOURCE,
            "account": account, "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region,
            "resources": resources, "detail": detail}


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _explanation_summary(explanation: dict | None) -> dict | None:
    """What a receiver needs of xacct's explanation: who was refused what, why, and the fix."""
    if not explanation:
        return None
    keys = ("layer", "principal", "action", "resource", "cause", "fix")
    return {k: explanation[k] for k in keys if explanation.get(k)}


class Notifier:
    """A store listener; `close()` sends what is still queued (the end of the run)."""

    def __init__(self, store, cloud, credentials, destinations: list[Destination], *, on: str = "failure") -> None:
        if on not in ON_CHOICES:
            raise ValueError(f"--notify-on is one of {', '.join(ON_CHOICES)}")
        self.store, self.cloud, self.credentials = store, cloud, credentials
        self.destinations, self.on = destinations, on
        self._known: dict[str, dict] = {}  # execution ID -> what every event of it repeats
        self._step_started: dict[tuple[str, str], datetime] = {}
        self._lock = threading.Lock()
        self._sender = BackgroundSender("xacct-notify", on_error=self._failed)
        self._pool = None
        self._down: set[Destination] = set()  # destinations that failed once (touched by the sender only)
        self.sent = 0

    # -- deciding what to send -----------------------------------------------------------------
    def __call__(self, execution_id: str, kind: str, step: str | None, data: dict) -> None:
        now = datetime.now(timezone.utc)
        if kind == "StepStarted" and step:
            with self._lock:
                self._step_started[(execution_id, step)] = now
        event = self._event(execution_id, kind, step, data, now)
        if event is None:
            return
        for destination in self.destinations:
            self._sender.submit(f"{destination.shown}|{execution_id}",
                                lambda d=destination, e=event: self._send(d, e))

    def _event(self, execution_id: str, kind: str, step: str | None, data: dict, now: datetime) -> dict | None:
        if kind in ("ExecutionStatus", "ExecutionFinished"):
            status = data.get("AutomationExecutionStatus")
            if not status or (self.on == "failure" and status not in FAILURES):
                return None
            info = self._info(execution_id)
            detail = {"ExecutionId": execution_id, "Definition": info["Definition"], "DefinitionVersion": 1.0,
                      "Status": status}
            started = info["started"] or now
            detail["StartTime"] = aws_time(started)
            if kind == "ExecutionFinished":
                detail["EndTime"] = aws_time(now)
                detail["Time"] = round((now - started).total_seconds() * 1000, 1)
            detail["ExecutedBy"] = info["ExecutedBy"]
            self._add_own(detail, info, data)
            return envelope(EXECUTION_CHANGE, detail, account=info["account"], region=info["region"],
                            resources=info["resources"], at=now)
        if step is None or kind not in ("StepStarted", "StepWaiting", "StepResumed", "StepFinished"):
            return None
        status = data.get("StepStatus") if kind == "StepFinished" else (
            S.WAITING if kind == "StepWaiting" else S.IN_PROGRESS)
        if self.on == "failure" and status not in FAILURES:
            return None
        info = self._info(execution_id)
        with self._lock:
            started = self._step_started.get((execution_id, step), now)
        detail = {"ExecutionId": execution_id, "Definition": info["Definition"], "DefinitionVersion": 1.0,
                  "Status": status, "StartTime": aws_time(started)}
        if kind == "StepFinished":
            detail["EndTime"] = aws_time(now)
            detail["Time"] = round((now - started).total_seconds() * 1000, 1)
        detail["StepName"] = step
        action = data.get("Action") or info["actions"].get(step)
        if action:
            detail["Action"] = action
        self._add_own(detail, info, data)
        return envelope(STEP_CHANGE, detail, account=info["account"], region=info["region"],
                        resources=info["resources"], at=now)

    @staticmethod
    def _add_own(detail: dict, info: dict, data: dict) -> None:
        if data.get("FailureMessage"):
            detail["xacct:FailureMessage"] = data["FailureMessage"]
        summary = _explanation_summary(data.get("xacct:Explanation"))
        if summary:
            detail["xacct:Explanation"] = summary
        if info["parent"]:
            detail["xacct:ParentExecutionId"] = info["parent"]

    def _info(self, execution_id: str) -> dict:
        """The execution's runbook, account, Region, start and starter, read once from the store."""
        with self._lock:
            known = self._known.get(execution_id)
        if known is not None:
            return known
        row = self.store.execution(execution_id)
        events = self.store.events(execution_id)
        started = events[0]["data"] if events else {}
        account, region = (row["account"] or "") if row else "", (row["region"] or "") if row else ""
        name = row["document_name"] if row else started.get("DocumentName", "")
        partition = getattr(self.cloud, "partition", "aws")
        known = {"Definition": name, "account": account, "region": region, "parent": row["parent_id"] if row else None,
                 "started": _parse(row["started_at"]) if row else None, "ExecutedBy": started.get("ExecutedBy"),
                 "actions": {s["StepName"]: s.get("Action") for s in started.get("Steps", [])},
                 "resources": [f"arn:{partition}:ssm:{region}:{account}:automation-execution/{execution_id}",
                               f"arn:{partition}:ssm:{region}:{account}:automation-definition/{name}:1"]}
        with self._lock:
            self._known[execution_id] = known
        return known

    # -- sending -------------------------------------------------------------------------------
    def _send(self, destination: Destination, event: dict) -> None:
        if destination in self._down:  # its retries were spent already: do not make every event wait
            raise DestinationDown("an earlier notification to it failed; no more are tried in this run")
        try:
            self._deliver(destination, event)
        except Exception:
            self._down.add(destination)
            raise
        self.sent += 1

    def _deliver(self, destination: Destination, event: dict) -> None:
        if destination.kind == "webhook":
            self._post(destination.target, event)
        elif destination.kind == "sns":
            sns = self.cloud.client("sns", destination.region, self.credentials)
            detail = event["detail"]
            subject = f"xacct: {detail.get('Definition')} {detail.get('StepName', '')} {detail.get('Status')}"
            sns.publish(TopicArn=destination.target, Message=json.dumps(event),
                        Subject=" ".join(subject.split())[:100])
        else:
            events = self.cloud.client("events", destination.region, self.credentials)
            answer = events.put_events(Entries=[{
                "Time": datetime.strptime(event["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc),
                "Source": SOURCE, "Resources": event["resources"], "DetailType": event["detail-type"],
                "Detail": json.dumps(event["detail"]), "EventBusName": destination.target}])
            if answer.get("FailedEntryCount"):
                entry = answer["Entries"][0]
                raise RuntimeError(f"PutEvents refused the event: {entry.get('ErrorCode')}: {entry.get('ErrorMessage')}")

    def _post(self, url: str, event: dict) -> None:
        """POST with urllib3's Retry: connection errors and 429/5xx answers are retried with
        backoff (POST is not retried by default, as it is not idempotent; a receiver sees the
        same event "id" again and can drop the repeat)."""
        import urllib3
        from urllib3.util.retry import Retry

        if self._pool is None:
            retry = Retry(total=WEBHOOK_RETRIES, backoff_factor=0.2, status_forcelist=(429, 500, 502, 503, 504),
                          allowed_methods=None, raise_on_status=False)
            self._pool = urllib3.PoolManager(retries=retry, timeout=urllib3.Timeout(*WEBHOOK_TIMEOUT))
        answer = self._pool.request("POST", url, body=json.dumps(event).encode(),
                                    headers={"Content-Type": "application/json", "User-Agent": "xacct"})
        if not 200 <= answer.status < 300:
            raise WebhookRefused(answer.status)

    def _failed(self, what: str, exc: Exception) -> None:
        shown, _, execution_id = what.rpartition("|")
        record_warning(self.store, execution_id, f"notification to {shown} not delivered: {_reason(exc)}",
                       source="notify")

    def close(self, timeout: float = 15.0) -> bool:
        done = self._sender.close(timeout)
        if self._pool is not None:
            self._pool.clear()
        return done


class DestinationDown(Exception):
    pass


class WebhookRefused(Exception):
    def __init__(self, status: int):
        super().__init__(f"the receiver answered HTTP {status}")


def _reason(exc: Exception) -> str:
    """Why a send failed, without the webhook's URL (urllib3's messages carry its path)."""
    try:
        import urllib3.exceptions as errors
    except ImportError:  # pragma: no cover
        errors = None
    if errors is not None and isinstance(exc, errors.MaxRetryError):
        cause = exc.reason
        if isinstance(cause, errors.ResponseError):
            return f"it kept answering with errors ({WEBHOOK_RETRIES} retries)"
        if isinstance(cause, errors.ReadTimeoutError):
            return f"no answer within {WEBHOOK_TIMEOUT[1]:g}s ({WEBHOOK_RETRIES} retries)"
        if isinstance(cause, errors.ConnectTimeoutError):
            return f"no connection within {WEBHOOK_TIMEOUT[0]:g}s ({WEBHOOK_RETRIES} retries)"
        if isinstance(cause, errors.NewConnectionError):
            return f"connection failed ({WEBHOOK_RETRIES} retries)"
        return f"{type(cause).__name__} ({WEBHOOK_RETRIES} retries)"
    if errors is not None and isinstance(exc, errors.ReadTimeoutError):
        return f"no answer within {WEBHOOK_TIMEOUT[1]:g}s"
    if errors is not None and isinstance(exc, errors.HTTPError):
        return type(exc).__name__
    return " ".join(str(exc).split()) or type(exc).__name__

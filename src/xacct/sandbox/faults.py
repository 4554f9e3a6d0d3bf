"""Faults on purpose: a share of the sandbox's calls answered with throttling or a server error,
as AWS answers under load, to show that runs retry them (botocore's standard retry mode) and lose
nothing. The answer is given where the HTTP response would come from, inside botocore's retry
loop, so a faulted call is retried exactly as a real one would be.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

# Throttling as each protocol words it; every code here is one botocore retries as throttling.
THROTTLED = {
    "json": (400, {"x-amzn-ErrorType": "ThrottlingException"},
             b'{"__type":"ThrottlingException","message":"Rate exceeded"}'),
    "rest-json": (429, {"x-amzn-ErrorType": "TooManyRequestsException"},
                  b'{"__type":"TooManyRequestsException","message":"Rate exceeded"}'),
    "query": (400, {}, b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                       b"<Message>Rate exceeded</Message></Error><RequestId>xacct-fault</RequestId></ErrorResponse>"),
    "ec2": (503, {}, b"<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
                     b"</Message></Error></Errors><RequestID>xacct-fault</RequestID></Response>"),
    "rest-xml": (503, {}, b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
                          b"<RequestId>xacct-fault</RequestId></Error>"),
}
SERVER_ERROR = (500, {}, b"")  # botocore retries 500, 502, 503 and 504 whatever the body


@dataclass
class FaultPlan:
    """Answer `rate` of calls (0 to 1) with a fault, half throttling and half server errors;
    `seed` makes a run repeatable. `injected` counts what was answered so."""

    rate: float
    seed: int | None = None
    injected: dict[str, int] = field(default_factory=lambda: {"throttled": 0, "server": 0})

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()

    def attach(self, client) -> None:
        protocol = client.meta.service_model.protocol
        client.meta.events.register_first("before-send", lambda request, **_: self._maybe_fault(protocol, request))

    def _maybe_fault(self, protocol: str, request):
        with self._lock:
            draw = self._random.random()
            if draw >= self.rate:
                return None
            throttle = draw < self.rate / 2
            self.injected["throttled" if throttle else "server"] += 1
        status, headers, body = THROTTLED.get(protocol, THROTTLED["json"]) if throttle else SERVER_ERROR
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse

        return AWSResponse(request.url, status, headers, MockRawResponse(body))

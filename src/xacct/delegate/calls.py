"""The calls xacct makes to follow and gather a delegated run: paced, retried, counted.

Pacing: AWS throttles SSM's API per account and Region ("Rate exceeded", ThrottlingException) and
does not publish a rate for GetAutomationExecution or the Describe operations (the Systems
Manager quotas, https://docs.aws.amazon.com/general/latest/gr/ssm.html, list executions, not
request rates). xacct therefore keeps itself to a budget of its own: at most RATE requests a
second in each account and Region, evenly spaced, so that following a run leaves most of the
account's API rate to SSM's own steps and to other tools.

Retrying: botocore's standard mode already retries throttling a few times; when it gives up, the
call is tried again here after a wait drawn with full jitter (AWS Architecture Blog, "Exponential
Backoff And Jitter"), without end: a throttled read never ends the following of a run.

Counting: every HTTP attempt, by operation and by second, so that bench/delegate.py can show the
calls per target and the peak rate against the budget."""

from __future__ import annotations

import random
import threading
import time
import weakref
from collections import Counter, defaultdict

RATE = 5.0  # requests a second per account and Region
THROTTLED = frozenset({"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
})
BACKOFF_BASE, BACKOFF_CAP = 0.5, 20.0


class Bucket:
    """A token bucket: `rate` tokens a second, holding at most `burst` (1: requests evenly spaced,
    so that no second, however it is cut, holds more than `rate`)."""

    def __init__(self, rate: float, clock, burst: float = 1.0) -> None:
        self.rate, self.clock, self.burst = rate, clock, burst
        self.tokens, self.at = burst, clock()

    def wait(self) -> float:
        """Take a token; the seconds to wait before the request may go."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class Calls:
    def __init__(self, rate: float = RATE, *, sleep=time.sleep, clock=time.monotonic, rng=None) -> None:
        self.rate, self.sleep, self.clock = rate, sleep, clock
        self.random = rng or random.Random()
        self.lock = threading.Lock()
        self.buckets: dict[tuple, Bucket] = {}
        self.by_operation: Counter = Counter()
        self.by_second: Counter = Counter()  # (account, Region, whole second, service) -> requests
        self.throttled = 0
        self._accounts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def call(self, client, account: str, operation: str, **params) -> dict:
        """client.<operation>(**params) in `account`, paced, with throttling retried until it passes."""
        self._instrument(client, account)
        method = getattr(client, operation)
        attempt = 0
        while True:
            try:
                return method(**params)
            except Exception as error:
                if _code(error) not in THROTTLED:
                    raise
                attempt += 1  # botocore gave up on it (and counted each answer): wait, then again
                self.sleep(self.random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt)))

    def pages(self, client, account: str, operation: str, key: str, **params) -> list:
        """Every item of a paged list (NextToken), each page a paced call."""
        found: list = []
        while True:
            answer = self.call(client, account, operation, **params)
            found += answer.get(key, [])
            token = answer.get("NextToken")
            if not token:
                return found
            params = {**params, "NextToken": token}

    # -- every HTTP attempt, botocore's own retries included --------------------------------
    def _instrument(self, client, account: str) -> None:
        with self.lock:
            if client in self._accounts:
                return
            self._accounts[client] = account
        region = client.meta.region_name
        client.meta.events.register("before-send", lambda request, **kw: self._before_send(account, region, kw))
        client.meta.events.register("response-received", self._response)

    def _response(self, parsed_response=None, **_) -> None:
        """Every answer, botocore's retried ones included: count the throttled."""
        if isinstance(parsed_response, dict) and parsed_response.get("Error", {}).get("Code") in THROTTLED:
            with self.lock:
                self.throttled += 1

    def watch(self, client, account: str) -> None:
        """Count a client's requests (STS's AssumeRole of the read roles) without pacing them:
        the budget is SSM's; other services have rates of their own."""
        self._instrument(client, account)

    def _before_send(self, account: str, region: str, kw: dict) -> None:
        event = str(kw.get("event_name", ""))  # before-send.SERVICE.Operation
        operation = event.rsplit(".", 1)[-1]
        if event.startswith("before-send.ssm."):
            with self.lock:
                bucket = self.buckets.get((account, region))
                if bucket is None:
                    bucket = self.buckets[(account, region)] = Bucket(self.rate, self.clock)
                delay = bucket.wait()
            if delay > 0:
                self.sleep(delay)
        with self.lock:
            self.by_operation[operation] += 1
            self.by_second[(account, region, int(self.clock()), event.split(".")[1] if "." in event else "")] += 1
        return None

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def peak_rate(self) -> int:
        """The most SSM requests made in one second to one account and Region."""
        return max((n for (_, _, _, service), n in self.by_second.items() if service == "ssm"), default=0)

    def peak_overall(self) -> int:
        """The most requests made in one second, all accounts and Regions together."""
        seconds: dict[int, int] = defaultdict(int)
        for (_, _, second, _), count in self.by_second.items():
            seconds[second] += count
        return max(seconds.values(), default=0)


def _code(error: Exception) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None

"""One thread that stops steps from outside: at their deadline (timeoutSeconds) or when their
execution is cancelled (`xacct stop` from any process, through the store, or Ctrl-C).

Handlers run on the runner's own thread and end cooperatively when their call is stopped: waits
return at once, scripts are killed, child executions see the cancel. Handing every step to a
worker thread instead cost about 0.4 ms per step in the sandbox, as much as the API call itself.
A single API call cannot be interrupted; botocore's read timeout bounds it.
"""

from __future__ import annotations

import threading
import time

from .call import StepCall
from .execution import Execution

TICK_SECONDS = 0.05
CANCEL_POLL_SECONDS = 0.2


class Watchdog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: dict[int, tuple[StepCall, Execution]] = {}
        self._thread: threading.Thread | None = None
        self._last_poll: dict[str, float] = {}

    def watch(self, call: StepCall, execution: Execution) -> None:
        with self._lock:
            self._active[id(call)] = (call, execution)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="xacct-watchdog", daemon=True)
                self._thread.start()

    def forget(self, call: StepCall) -> None:
        with self._lock:
            self._active.pop(id(call), None)

    def _loop(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            with self._lock:
                active = list(self._active.values())
            now = time.monotonic()
            for call, execution in active:
                if call.interrupt.is_set():
                    continue
                if call.deadline is not None and now >= call.deadline:
                    call.stop("timeout")
                elif self._cancelled(execution, now):
                    call.stop("cancel")

    def _cancelled(self, execution: Execution, now: float) -> bool:
        if execution.cancelled():
            return True
        top = execution.top()
        if now - self._last_poll.get(top.id, 0.0) < CANCEL_POLL_SECONDS:
            return False
        self._last_poll[top.id] = now
        return execution.poll_cancel()


WATCHDOG = Watchdog()

"""Work done beside a run, never in its way: notifications and log writes go through a bounded
queue to one sender thread, so a slow webhook or a throttled API does not hold a step back. When
the queue is full the work is dropped and said so (a run must not wait for its own reporting).
`close()` waits, for a bounded time, for what is queued: the end of a run flushes it."""

from __future__ import annotations

import queue
import threading
import time
from typing import Callable

Job = Callable[[], None]


class BackgroundSender:
    def __init__(self, name: str, *, on_error: Callable[[str, Exception], None], capacity: int = 1000) -> None:
        """`on_error(what, exc)` hears of each job that raised (and of each dropped one); it runs on
        the sender thread."""
        self._queue: queue.Queue[tuple[str, Job] | None] = queue.Queue(maxsize=capacity)
        self._on_error = on_error
        self._thread = threading.Thread(target=self._drain, name=name, daemon=True)
        self._thread.start()
        self.dropped = 0

    def submit(self, what: str, job: Job) -> None:
        """Queue `job` (described by `what`, for the warning if it fails); never blocks."""
        try:
            self._queue.put_nowait((what, job))
        except queue.Full:
            self.dropped += 1
            if self.dropped == 1:  # once: a warning per dropped job would flood the same full queue
                self._on_error(what, RuntimeError("the queue of pending sends is full; this and later sends "
                                                  "are dropped"))

    def _drain(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            what, job = item
            try:
                job()
            except Exception as exc:  # reporting fails on its own; the run goes on
                try:
                    self._on_error(what, exc)
                except Exception:
                    pass

    def close(self, timeout: float = 15.0) -> bool:
        """Send what is queued, then stop; False when `timeout` seconds were not enough."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._queue.put(None, timeout=max(0.01, deadline - time.monotonic()))
                break
            except queue.Full:
                if time.monotonic() >= deadline:
                    return False
        self._thread.join(max(0.0, deadline - time.monotonic()))
        return not self._thread.is_alive()


def record_warning(store, execution_id: str, message: str, *, source: str, explanation: dict | None = None,
                   echo: bool = True) -> None:
    """A problem of xacct's own reporting (a notification not delivered, a log not written): kept
    as a Warning event of the execution it concerns and (with `echo`) printed on stderr, never a
    failure of the run. Listeners ignore Warning events, so a warning cannot cause another."""
    import click

    data: dict = {"Source": source, "Message": message}
    if explanation:
        data["xacct:Explanation"] = explanation
    try:
        store.append(execution_id, "Warning", None, data)
    finally:
        if echo:
            click.echo(f"xacct: warning: {message}", err=True)

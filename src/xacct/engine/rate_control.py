"""Rate control as SSM applies it to target locations and to target resources alike ("Control
automations at scale", AWS Systems Manager User Guide): a concurrency and an error threshold,
each a count or a percentage of the targets; the queue sends work to one target, then ramps up
1, 2, 4, ... to the concurrency; once more errors than the threshold have come back no new target
starts, and those already running finish."""

from __future__ import annotations

import gc
import math
import re
import threading
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from . import status as S
from .errors import ExecutionRejected

T = TypeVar("T")

# The patterns of MaxConcurrency / TargetLocationMaxConcurrency / TargetsMaxConcurrency and of the
# matching MaxErrors members (botocore's ssm model, StartAutomationExecution and TargetLocation).
CONCURRENCY_PATTERN = r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$"
ERRORS_PATTERN = r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$"


def parse_rate(value: str | int | None, total: int, *, default: str, minimum: int) -> int | None:
    """A MaxConcurrency / MaxErrors value: a count ("10") or a percentage of the targets ("10%"),
    as SSM takes them; None means no limit. 10% of 50 allows 5 errors: the API reference says the
    run stops "when the sixth error is received"."""
    text = str(default if value in (None, "") else value).strip()
    if text == "":
        return None
    if text.endswith("%"):
        percent = int(text[:-1])
        return max(minimum, math.floor(total * percent / 100))
    return max(minimum, int(text))


def check_rate(value: str | None, name: str, pattern: str) -> None:
    """Refuse a value outside the member's pattern with the API's ValidationException text."""
    if value not in (None, "") and not re.fullmatch(pattern[1:-1], str(value)):
        raise ExecutionRejected("ValidationException",
                                f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                                f"constraint: Member must satisfy regular expression pattern: {pattern}")


@dataclass
class Ran:
    """What a rate-controlled run did: how many targets failed, and those never started."""

    failed: int = 0
    not_started: list = field(default_factory=list)


def run_rated(targets: Sequence[T], work: Callable[[T], str], *, concurrency: int, error_limit: int | None,
              cancelled: Callable[[], bool], name: str = "xacct-target") -> Ran:
    """Run `work(target)` for every target on up to `concurrency` threads, ramping up 1, 2, 4, ...
    as the targets before finish; `work` returns the target's final status. Once more than
    `error_limit` targets have failed (or `cancelled()` says so) nothing new starts; running
    targets finish, and their results count. A target whose work raises counts as failed; the
    others' results stand."""
    with _heap_set_aside():
        return _run_rated(targets, work, concurrency=concurrency, error_limit=error_limit, cancelled=cancelled,
                          name=name)


_frozen = 0
_frozen_lock = threading.Lock()


@contextmanager
def _heap_set_aside():
    """While targets run, leave what existed before (the sandbox's accounts, mostly) out of the
    garbage collector's passes. Each target allocates thousands of objects (clients, parsed
    responses), so collections come often, and the full ones walked the whole heap: a target took
    96 ms with 400 targets (200 sandbox accounts) against 57 ms with 100 (bench/fanout.py).
    (Larger collection thresholds instead doubled the peak memory.) Nested runs
    (aws:executeAutomation in a child) share the outermost setting."""
    global _frozen
    with _frozen_lock:
        _frozen += 1
        if _frozen == 1:
            gc.freeze()
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen -= 1
            if _frozen == 0:
                gc.unfreeze()


FULL_PASS_EVERY = 250  # finished targets between full collections during a run


def _set_aside_survivors(full: bool) -> None:
    """After targets finish: collect their young garbage and set what survives aside with the
    rest, so that later passes do not walk it again; every FULL_PASS_EVERY targets, one full pass
    frees what was set aside and has become garbage since (clients dropped from the cache are
    cyclic garbage of about 1 MiB each). Per-target time then stays within 10% as targets grow
    from 100 to 400 (bench/fanout.py), and the peak memory under 0.6 GiB."""
    if full:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


def _run_rated(targets, work, *, concurrency, error_limit, cancelled, name) -> Ran:
    pending = list(targets)
    ran = Ran()
    finished = since_full_pass = 0
    stopped = False
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix=name) as pool:
        running: dict = {}
        while pending or running:
            if cancelled():
                stopped = True
            allowed = min(concurrency, max(1, 2 * finished))  # ramp-up: 1, then 2, 4, ...
            while pending and not stopped and len(running) < allowed:
                target = pending.pop(0)
                running[pool.submit(work, target)] = target
            if not running:
                break
            done, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
            if done:
                since_full_pass += len(done)
                full = since_full_pass >= FULL_PASS_EVERY
                since_full_pass = 0 if full else since_full_pass
                _set_aside_survivors(full)
            for future in done:
                running.pop(future)
                finished += 1
                try:
                    ok = future.result() == S.SUCCESS
                except Exception:  # a bug in one target's work must not lose the others' results
                    ok = False
                if not ok:
                    ran.failed += 1
                if error_limit is not None and ran.failed > error_limit:
                    stopped = True
    ran.not_started = pending
    return ran

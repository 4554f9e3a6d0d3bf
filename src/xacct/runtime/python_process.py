"""Run a Python `handler(event, context)` in its own process, with a time limit, its output and
errors captured: for aws:executeScript scripts, and for Lambda functions in the sandbox.

The time limit ends the handler and everything it started. The process starts a session of its
own (a process group), and the whole group is killed when the limit passes, when the run is
cancelled, and when the handler returns: a script's background processes end with it, as
nothing outlives a script in SSM's environment. Its event, output and result go through files,
not pipes: a background process that inherited a pipe would hold it open, and reading the pipe
to its end would wait for that process, past any time limit.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

HOST = Path(__file__).with_name("handler_host.py")
POLL_SECONDS = 0.02
MAX_OUTPUT_BYTES = 1024 * 1024  # of each stream kept for the step's log

# The process groups of handlers running now. In a session of its own a script no longer gets the
# terminal's Ctrl-C; when xacct leaves at once (a second Ctrl-C) these are ended on the way out.
_running: set[int] = set()
_running_lock = threading.Lock()


@atexit.register
def _end_running() -> None:
    with _running_lock:
        groups = list(_running)
    for group in groups:
        _kill_group(group)


@dataclass
class HandlerRun:
    ok: bool
    result: Any  # the handler's return value, when ok
    error: dict | None  # {"Type", "Message", "Traceback"} when not ok
    stdout: str
    stderr: str
    stopped: str | None = None  # "timeout", or the reason given by `interrupt`, when it was killed


def run_handler(folder: Path, module: str, function: str, event: Any, env: dict[str, str], *,
                time_limit: float, interrupt: threading.Event | None = None,
                reason: callable = lambda: "cancel") -> HandlerRun:
    """`folder` holds the code; `env` is the whole environment of the process (nothing of ours
    leaks into it). The process and all it started are killed at `time_limit` seconds or when
    `interrupt` is set, and when the handler returns."""
    with tempfile.TemporaryDirectory(prefix="xacct-handler-") as exchange:
        files = Path(exchange)
        (files / "event.json").write_text(json.dumps(event, default=str), encoding="utf-8")
        result_path = files / "result.json"
        with open(files / "event.json", "rb") as stdin, open(files / "stdout", "w+b") as out, \
                open(files / "stderr", "w+b") as err:
            process = subprocess.Popen(
                [sys.executable, "-I", str(HOST), str(folder), module, function, str(result_path)],
                stdin=stdin, stdout=out, stderr=err, env=env, cwd=folder, start_new_session=True,
            )
            with _running_lock:
                _running.add(process.pid)
            try:
                stopped = _wait(process, time_limit, interrupt, reason)
            finally:
                _end_group(process)
                with _running_lock:
                    _running.discard(process.pid)
            stdout, stderr = _read(out), _read(err)
        if stopped:
            return HandlerRun(False, None, None, stdout, stderr, stopped)
        return _outcome(result_path, process.returncode, stdout, stderr)


def _wait(process: subprocess.Popen, time_limit: float, interrupt: threading.Event | None, reason) -> str | None:
    """None when the handler's process ended by itself; else why it must be stopped."""
    deadline = time.monotonic() + time_limit
    while True:
        try:
            process.wait(timeout=POLL_SECONDS)
            return None
        except subprocess.TimeoutExpired:
            pass
        if interrupt is not None and interrupt.is_set():
            return reason()
        if time.monotonic() >= deadline:
            return "timeout"


def _end_group(process: subprocess.Popen) -> None:
    """Kill the handler's process group: the handler, if it still runs, and whatever it started
    (a process that made a session of its own escapes; nothing short of a container stops that).
    The group keeps its ID while any member lives, so the ID names no other process."""
    if hasattr(os, "killpg"):
        _kill_group(process.pid)
    else:  # pragma: no cover - Windows has no process groups to kill
        process.kill()
    process.wait()


def _kill_group(group: int) -> None:
    if not hasattr(os, "killpg"):  # pragma: no cover - Windows
        return
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # no member left (or one that changed user)
        pass


def _read(stream: BinaryIO) -> str:
    stream.flush()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    data = stream.read(MAX_OUTPUT_BYTES)
    text = data.decode("utf-8", errors="replace")
    if size > MAX_OUTPUT_BYTES:
        text += f"\n[xacct: output truncated: {size} bytes, the first {MAX_OUTPUT_BYTES} kept]\n"
    return text


def _outcome(result_path: Path, returncode: int | None, stdout: str, stderr: str) -> HandlerRun:
    try:
        answer = json.loads(result_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        answer = None
    except (ValueError, OSError) as exc:  # the handler's process wrote it partly, or something else did
        error = {"Type": "ProcessExited", "Message": f"the handler's result cannot be read: {exc}", "Traceback": ""}
        return HandlerRun(False, None, error, stdout, stderr)
    if not isinstance(answer, dict) or not ("Error" in answer or "Payload" in answer):
        error = {"Type": "ProcessExited", "Message": f"exit code {returncode}: {stderr.strip()[-500:]}",
                 "Traceback": ""}
        return HandlerRun(False, None, error, stdout, stderr)
    if "Error" in answer:
        return HandlerRun(False, None, answer["Error"], stdout, stderr)
    return HandlerRun(True, answer["Payload"], None, stdout, stderr)

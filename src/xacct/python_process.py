"""Run a Python `handler(event, context)` in its own process, with a time limit, its output and
errors captured: for aws:executeScript scripts, and for Lambda functions in the sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = Path(__file__).with_name("handler_host.py")


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
    leaks into it). The process is killed at `time_limit` seconds or when `interrupt` is set."""
    result_path = folder / ".xacct-result.json"
    process = subprocess.Popen(
        [sys.executable, "-I", str(HOST), str(folder), module, function, str(result_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=folder,
    )
    outcome: dict[str, Any] = {}
    talker = threading.Thread(target=lambda: outcome.setdefault("out", process.communicate(
        json.dumps(event, default=str))), daemon=True)
    talker.start()
    stopped = None
    waited = 0.0
    while talker.is_alive():
        talker.join(0.02)
        waited += 0.02
        if interrupt is not None and interrupt.is_set():
            stopped = reason()
        elif waited >= time_limit:
            stopped = "timeout"
        if stopped:
            process.kill()
            talker.join()
            break
    stdout, stderr = outcome.get("out", ("", ""))
    if stopped:
        return HandlerRun(False, None, None, stdout, stderr, stopped)
    if not result_path.exists():
        error = {"Type": "ProcessExited", "Message": f"exit code {process.returncode}: {stderr.strip()[-500:]}",
                 "Traceback": ""}
        return HandlerRun(False, None, error, stdout, stderr)
    answer = json.loads(result_path.read_text(encoding="utf-8"))
    if "Error" in answer:
        return HandlerRun(False, None, answer["Error"], stdout, stderr)
    return HandlerRun(True, answer["Payload"], None, stdout, stderr)

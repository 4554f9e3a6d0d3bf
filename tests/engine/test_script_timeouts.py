"""aws:executeScript's time limit ends the script and everything it started: a background process
(subprocess.Popen) or a forked copy of the script never keeps the run waiting past the step's
timeoutSeconds, and none is left running afterwards."""

import json
import os
import time
from pathlib import Path

import pytest

from .helpers import run_text, statuses, step

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")

RUNBOOK = """\
schemaVersion: '0.3'
parameters:
  PidFile: {type: String}
mainSteps:
  - name: script
    action: aws:executeScript
    timeoutSeconds: 2
    inputs:
      Runtime: python3.11
      Handler: handler
      InputPayload: {pidfile: '{{ PidFile }}'}
      Script: |-
%s
"""

BACKGROUND_SLEEP = """\
import subprocess, time
def handler(events, context):
    child = subprocess.Popen(["sleep", "60"])
    open(events["pidfile"], "w").write(str(child.pid))
    time.sleep(30)
"""

FORKED_SLEEP = """\
import os, time
def handler(events, context):
    pid = os.fork()
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    open(events["pidfile"], "w").write(str(pid))
    time.sleep(30)
"""

# returns at once, leaving its background process with inherited stdout and stderr
LEFT_BEHIND = """\
import subprocess
def handler(events, context):
    child = subprocess.Popen(["sleep", "60"])
    open(events["pidfile"], "w").write(str(child.pid))
    return {"started": child.pid}
"""


def _runbook(script: str) -> str:
    return RUNBOOK % "\n".join("        " + line for line in script.splitlines())


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for a parent that does not reap is not running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def _gone(pid: int, within: float = 2.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


@pytest.mark.parametrize("script", [BACKGROUND_SLEEP, FORKED_SLEEP], ids=["popen", "fork"])
def test_time_limit_ends_the_script_and_what_it_started(script, sandbox, store, tmp_path):
    pidfile = tmp_path / "pid"
    started = time.monotonic()
    final, result, _ = run_text(_runbook(script), sandbox, store, {"PidFile": [str(pidfile)]})
    took = time.monotonic() - started
    assert final == "TimedOut", result
    assert statuses(result) == {"script": "TimedOut"}
    assert took < 8, f"the run took {took:.1f} s with timeoutSeconds 2"
    assert _gone(int(pidfile.read_text())), "the script's background process outlived it"


def test_a_script_that_returns_leaves_nothing_running(sandbox, store, tmp_path):
    pidfile = tmp_path / "pid"
    started = time.monotonic()
    final, result, _ = run_text(_runbook(LEFT_BEHIND), sandbox, store, {"PidFile": [str(pidfile)]})
    assert final == "Success", result
    assert time.monotonic() - started < 8
    pid = int(pidfile.read_text())
    assert json.loads(step(result, "script")["Outputs"]["Payload"][0]) == {"started": pid}
    assert _gone(pid)


def test_a_thread_left_running_does_not_hold_the_step(sandbox, store, tmp_path):
    script = ("import threading, time\n"
              "def handler(events, context):\n"
              "    threading.Thread(target=time.sleep, args=(60,)).start()\n"
              "    return 'done'\n")
    started = time.monotonic()
    final, result, _ = run_text(_runbook(script), sandbox, store, {"PidFile": [str(tmp_path / "unused")]})
    assert final == "Success", result
    assert time.monotonic() - started < 8

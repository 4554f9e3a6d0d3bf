"""aws:executeScript's time limit ends the script and everything it started: a background process
(subprocess.Popen) or a forked copy of the script never keeps the run waiting past the step's
timeoutSeconds, and none is left running afterwards."""

import json
import os
import tempfile
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


def test_ctrl_c_twice_leaves_nothing_the_script_started(tmp_path):
    """A script runs in a session of its own, out of reach of the terminal's Ctrl-C: the first
    Ctrl-C cancels the step (which ends the script's group), a second leaves at once; either way
    nothing the script started is left."""
    import signal
    import subprocess
    import sys

    pidfile = tmp_path / "pid"
    document = tmp_path / "slow.yaml"
    document.write_text(_runbook(BACKGROUND_SLEEP).replace("timeoutSeconds: 2", "timeoutSeconds: 120"))
    env = {**os.environ, "XACCT_STORE": str(tmp_path / "x.db"), "PYTHONUNBUFFERED": "1"}
    runner = subprocess.Popen([sys.executable, "-m", "xacct", "run", str(document), "-p", f"PidFile={pidfile}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 60
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < end:
            time.sleep(0.1)
        sleeper = int(pidfile.read_text())
        runner.send_signal(signal.SIGINT)
        time.sleep(0.5)
        runner.send_signal(signal.SIGINT)
        runner.wait(timeout=30)
    finally:
        runner.kill()
        runner.wait()
    assert _gone(sleeper, within=5), "the script's background process outlived xacct"


def test_scripts_still_running_when_xacct_exits_are_ended():
    """The exit hook ends the process groups of handlers still running (xacct leaving at once)."""
    import threading

    from xacct.runtime import python_process

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as out:
        pidfile = Path(out) / "pid"
        Path(folder, "script.py").write_text(BACKGROUND_SLEEP)
        env = {"PATH": os.environ.get("PATH", "")}
        worker = threading.Thread(target=python_process.run_handler, daemon=True, kwargs=dict(
            folder=Path(folder), module="script", function="handler", event={"pidfile": str(pidfile)}, env=env,
            time_limit=60))
        worker.start()
        end = time.monotonic() + 30
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < end:
            time.sleep(0.05)
        sleeper = int(pidfile.read_text())
        python_process._end_running()
        assert _gone(sleeper)
        worker.join(10)
        assert not worker.is_alive()

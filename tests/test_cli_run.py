"""`xacct run`, `executions`, `stop` and `signal` as a user runs them: real processes, one store
file, exit codes, the SSM JSON shape, and a run killed with kill -9."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

SIMPLE = """schemaVersion: "0.3"
parameters:
  Who: {type: String, default: world}
outputs: [hello.Message]
mainSteps:
  - name: hello
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: h
      InputPayload: {who: "{{ Who }}"}
      Script: "def h(e, c): return {'message': 'hello ' + e['who']}"
    outputs: [{Name: Message, Selector: $.Payload.message, Type: String}]
"""
SLOW = """schemaVersion: "0.3"
mainSteps:
  - {name: first, action: aws:sleep, inputs: {Duration: PT0S}}
  - name: long
    action: aws:sleep
    onCancel: step:tidy
    inputs: {Duration: PT60S}
  - {name: after, action: aws:sleep, inputs: {Duration: PT0S}}
  - name: tidy
    action: aws:executeScript
    inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return {}"}
"""
APPROVE = """schemaVersion: "0.3"
mainSteps:
  - name: ask
    action: aws:approve
    timeoutSeconds: 60
    inputs: {Approvers: [ops-lead]}
"""


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "XACCT_STORE": str(tmp_path / "x.db"), "PYTHONUNBUFFERED": "1"}


def xacct(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "xacct", *args], env=env, capture_output=True, text=True,
                          timeout=120, **kw)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_run_success_text_and_json(tmp_path, env):
    doc = write(tmp_path, "hello.yaml", SIMPLE)
    result = xacct(env, "run", doc, "-p", "Who=xacct")
    assert result.returncode == 0, result.stderr
    assert "hello Success" in result.stdout and "hello.Message = hello xacct" in result.stdout
    result = xacct(env, "run", doc, "--output", "json")
    execution = json.loads(result.stdout)["AutomationExecution"]
    assert execution["AutomationExecutionStatus"] == "Success"
    assert execution["Outputs"] == {"hello.Message": ["hello world"]}
    listed = xacct(env, "executions", "list", "--output", "json")
    assert len(json.loads(listed.stdout)["AutomationExecutionMetadataList"]) == 2
    shown = xacct(env, "executions", "show", execution["AutomationExecutionId"][:8], "--output", "json")
    assert json.loads(shown.stdout)["AutomationExecution"]["StepExecutions"][0]["StepName"] == "hello"


def test_tags_are_the_executions_in_the_sandbox_too(tmp_path, env):
    """--tags reaches StartAutomationExecution as Tags in the sandbox as in AWS: the store keeps
    them with the execution and DescribeAutomationExecutions' TagKey filter finds it."""
    from xacct.ssm import Context, handle
    from xacct.store import Store

    doc = write(tmp_path, "hello.yaml", SIMPLE)
    result = xacct(env, "run", doc, "--tags", "Key=CostCenter,Value=cc-7", "--output", "json")
    assert result.returncode == 0, result.stderr
    started = json.loads(result.stdout)["AutomationExecution"]["AutomationExecutionId"]
    store = Store(env["XACCT_STORE"])
    try:
        found = handle("DescribeAutomationExecutions", {"Filters": [{"Key": "TagKey", "Values": ["CostCenter"]}]},
                       Context(store=store))
    finally:
        store.close()
    assert [m["AutomationExecutionId"] for m in found["AutomationExecutionMetadataList"]] == [started]


def test_run_refuses_bad_parameters_and_bad_runbooks(tmp_path, env):
    doc = write(tmp_path, "hello.yaml", SIMPLE)
    result = xacct(env, "run", doc, "-p", "Nobody=x")
    assert result.returncode == 2
    assert "InvalidAutomationExecutionParametersException: Undefined execution inputs: [Nobody]" in result.stderr
    bad = write(tmp_path, "bad.yaml", SIMPLE.replace("aws:executeScript", "aws:executeScrip"))
    result = xacct(env, "run", bad)
    assert result.returncode == 2 and "E2003" in result.stderr and "Traceback" not in result.stderr
    result = xacct(env, "run", "No-Such-Runbook")
    assert result.returncode == 2 and "AutomationDefinitionNotFoundException" in result.stderr


def test_failed_run_exits_1(tmp_path, env):
    doc = write(tmp_path, "fail.yaml", SIMPLE.replace("'hello ' + e['who']", "e['nope']"))
    result = xacct(env, "run", doc)
    assert result.returncode == 1
    assert "KeyError - 'nope'" in result.stdout


def _wait_for(env, predicate, what):
    """Read the store the running process writes to until `predicate` holds for its execution."""
    from xacct.engine.history import automation_execution
    from xacct.store import Store

    for _ in range(600):
        if os.path.exists(env["XACCT_STORE"]):
            store = Store(env["XACCT_STORE"])
            try:
                rows = store.executions()
                shown = automation_execution(store, rows[0]["execution_id"]) if rows else None
            finally:
                store.close()
            if shown and predicate(shown):
                return shown
        time.sleep(0.05)
    raise AssertionError(f"never saw {what}")


def _long_started(execution):
    return any(s["StepName"] == "long" and s["StepStatus"] == "InProgress" for s in execution["StepExecutions"])


def test_stop_from_another_process_runs_on_cancel(tmp_path, env):
    doc = write(tmp_path, "slow.yaml", SLOW)
    runner = subprocess.Popen([sys.executable, "-m", "xacct", "run", doc], env=env, stdout=subprocess.PIPE, text=True)
    execution = _wait_for(env, _long_started, "the long step start")
    assert xacct(env, "stop", execution["AutomationExecutionId"][:8]).returncode == 0  # by the start of its ID
    assert runner.wait(timeout=60) == 1
    final = _wait_for(env, lambda e: e["AutomationExecutionStatus"] == "Cancelled", "Cancelled")
    states = {s["StepName"]: s["StepStatus"] for s in final["StepExecutions"]}
    assert states == {"first": "Success", "long": "Cancelled", "after": "Pending", "tidy": "Success"}


def test_signal_approves_from_another_process(tmp_path, env):
    doc = write(tmp_path, "approve.yaml", APPROVE)
    runner = subprocess.Popen([sys.executable, "-m", "xacct", "run", doc], env=env, stdout=subprocess.PIPE, text=True)
    execution = _wait_for(env, lambda e: e["AutomationExecutionStatus"] == "Waiting", "Waiting")
    result = xacct(env, "signal", execution["AutomationExecutionId"][:8], "--approve", "--as", "ops-lead")
    assert result.returncode == 0
    assert runner.wait(timeout=60) == 0


def test_kill_9_leaves_finished_steps_and_an_interrupted_run(tmp_path, env):
    doc = write(tmp_path, "slow.yaml", SLOW)
    runner = subprocess.Popen([sys.executable, "-m", "xacct", "run", doc], env=env, stdout=subprocess.PIPE, text=True)
    execution = _wait_for(env, _long_started, "the long step start")
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    shown = xacct(env, "executions", "show", execution["AutomationExecutionId"], "--output", "json")
    final = json.loads(shown.stdout)["AutomationExecution"]
    assert final["AutomationExecutionStatus"] == "Failed", final
    assert final["FailureMessage"].startswith("Interrupted:"), final
    states = {s["StepName"]: s["StepStatus"] for s in final["StepExecutions"]}
    assert states == {"first": "Success", "long": "Failed", "after": "Pending", "tidy": "Pending"}, final
    text = xacct(env, "executions", "show", execution["AutomationExecutionId"])
    assert text.returncode == 0 and "Interrupted" in text.stdout




TYPE_MISMATCH = """schemaVersion: "0.3"
parameters:
  Ids: {type: StringList, default: [ami-12345678]}
mainSteps:
  - {name: first, action: aws:sleep, inputs: {Duration: PT0S}}
  - name: drop
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: DeregisterImage, ImageId: "{{ Ids }}"}
"""


def test_runbook_ssm_accepts_runs_despite_runtime_errors(tmp_path, env):
    """An error SSM only meets at run time (E5001: a StringList where an API call's ImageId needs a
    String) is shown, and the run goes ahead to fail at that step, as SSM's would."""
    doc = write(tmp_path, "typed.yaml", TYPE_MISMATCH)
    result = xacct(env, "run", doc)
    assert "E5001" in result.stderr and "SSM accepts this runbook" in result.stderr
    assert result.returncode == 1
    assert "first Success" in result.stdout and "drop Failed" in result.stdout


def test_ctrl_c_cancels_and_runs_on_cancel(tmp_path, env):
    doc = write(tmp_path, "slow.yaml", SLOW)
    runner = subprocess.Popen([sys.executable, "-m", "xacct", "run", doc], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    _wait_for(env, _long_started, "the long step start")
    runner.send_signal(signal.SIGINT)
    out, err = runner.communicate(timeout=60)
    assert runner.returncode == 1 and "Cancelling" in err
    final = _wait_for(env, lambda e: e["AutomationExecutionStatus"] == "Cancelled", "Cancelled")
    assert {s["StepName"]: s["StepStatus"] for s in final["StepExecutions"]}["tidy"] == "Success"


def test_two_processes_opening_a_new_store_at_once(tmp_path):
    """Migrations run under the write lock: no "table already exists" when processes race."""
    code = ("import sys\nfrom xacct.store import Store\nStore(sys.argv[1]).close()\n")
    for round_ in range(5):
        path = tmp_path / f"race-{round_}.db"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        errors = [p.communicate()[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), errors

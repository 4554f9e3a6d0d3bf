"""Resource targets and rate control: Targets (tag:KEY, tag-key, ResourceGroup, ParameterValues)
and TargetMaps resolve to resources in the sandbox, each gets its own child execution that really
runs, MaxConcurrency (counts and percentages, with the ramp 1, 2, 4, ...) bounds how many run at
once, and MaxErrors stops new children once exceeded. Bad combinations are refused with SSM's codes.

Each test has its own account IDs: moto's state lives as long as the process."""

import json
import subprocess
import sys
import threading
import time

import pytest
import yaml

from xacct.engine import ExecutionRejected
from xacct.engine.documents import from_file
from xacct.engine.history import automation_execution
from xacct.engine.rate_control import run_rated
from xacct.engine.targets import RateControl, run_rate_control, start_rate_control
from xacct.sandbox.world import build_world, load_world

REGION = "us-east-1"
FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

TOUCH = {
    "schemaVersion": "0.3",
    "parameters": {"InstanceId": {"type": "String"}, "Pause": {"type": "String", "default": "PT0S"}},
    "mainSteps": [
        {"name": "wait", "action": "aws:sleep", "inputs": {"Duration": "{{ Pause }}"}},
        {"name": "look", "action": "aws:executeAwsApi",
         "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": ["{{ InstanceId }}"]}},
        {"name": "touch", "action": "aws:createTags",
         "inputs": {"ResourceType": "EC2", "ResourceIds": ["{{ InstanceId }}"],
                    "Tags": [{"Key": "Touched", "Value": "{{ automation:EXECUTION_ID }}"}]}},
    ],
}


def make_world(tmp_path, sandbox, account, *, web=3, db=1, policy=FULL):
    instances = {f"web-{i}": {"image": "base", "tags": {"App": "web"}} for i in range(web)}
    instances.update({f"db-{i}": {"image": "base", "tags": {"App": "db", "Tier": "data"}} for i in range(db)})
    world = {"world": 1, "accounts": {account: {
        "iam": {"users": {"ops": {"accessKey": True, "policies": {"ops": policy}}}},
        "regions": {REGION: {"images": {"base": {"name": f"base-{account}"}}, "instances": instances}}}}}
    (tmp_path / "world.yaml").write_text(json.dumps(world))
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    return build_world(load_world(str(tmp_path / "world.yaml")), sandbox, REGION)


def instances(sandbox, account, **tags):
    ec2 = sandbox.client("ec2", REGION, sandbox.operator(account))
    found = {}
    for reservation in ec2.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            its = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
            if all(its.get(k) == v for k, v in tags.items()):
                found[instance["InstanceId"]] = its
    return found


def run(tmp_path, sandbox, store, caller, control, given=None, probe=None):
    runbook = from_file(str(tmp_path / "touch.yaml"))
    rated = start_rate_control(runbook, control, cloud=sandbox, store=store, region=REGION,
                               given=given or {}, caller=caller)
    if probe:
        store.listeners.append(probe(rated.parent.id))
    status = run_rate_control(rated)
    return status, automation_execution(store, rated.parent.id)


def test_tag_targets_resolve_every_instance_and_each_child_really_runs(tmp_path, sandbox, store):
    account = "781000000001"
    built = make_world(tmp_path, sandbox, account, web=3, db=1)
    control = RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}])
    status, parent = run(tmp_path, sandbox, store, built.users[(account, "ops")], control)
    web = instances(sandbox, account, App="web")
    assert status == "Success", parent
    assert sorted(parent["ResolvedTargets"]["ParameterValues"]) == sorted(web)
    assert parent["ResolvedTargets"]["Truncated"] is False
    assert parent["TargetParameterName"] == "InstanceId"
    assert parent["Targets"] == [{"Key": "tag:App", "Values": ["web"]}]
    assert parent["Parameters"] == {}
    steps = parent["StepExecutions"]
    # as the guide's example shows: one aws:executeAutomation step per resource, named by it
    assert sorted(s["StepName"] for s in steps) == sorted(web)
    assert all(s["Action"] == "aws:executeAutomation" and s["StepStatus"] == "Success" for s in steps)
    assert all(s["Inputs"] == {"InstanceId": s["StepName"]} for s in steps)
    for step in steps:
        child = automation_execution(store, step["xacct:ChildExecutionId"])
        assert child["ParentAutomationExecutionId"] == parent["AutomationExecutionId"]
        assert child["Target"] == step["StepName"] and child["Parameters"]["InstanceId"] == [step["StepName"]]
        # the child's own effect: its execution ID on its own instance
        assert web[step["StepName"]]["Touched"] == child["AutomationExecutionId"]
    assert "Touched" not in next(iter(instances(sandbox, account, App="db").values()))


def test_tag_key_parameter_values_and_target_maps(tmp_path, sandbox, store):
    account = "781000000002"
    built = make_world(tmp_path, sandbox, account, web=2, db=1)
    caller = built.users[(account, "ops")]
    status, parent = run(tmp_path, sandbox, store, caller, RateControl("InstanceId", [{"Key": "tag-key",
                                                                                        "Values": ["Tier"]}]))
    assert status == "Success" and parent["ResolvedTargets"]["ParameterValues"] == list(
        instances(sandbox, account, App="db"))
    web = sorted(instances(sandbox, account, App="web"))
    status, parent = run(tmp_path, sandbox, store, caller,
                         RateControl("InstanceId", [{"Key": "ParameterValues", "Values": web}]))
    assert status == "Success" and [s["StepName"] for s in parent["StepExecutions"]] == web
    maps = [{"InstanceId": [web[0]], "Pause": ["PT0S"]}, {"InstanceId": [web[1]], "Pause": ["PT0.1S"]}]
    status, parent = run(tmp_path, sandbox, store, caller, RateControl("InstanceId", target_maps=maps))
    assert status == "Success", parent
    assert parent["TargetMaps"] == maps
    children = [automation_execution(store, s["xacct:ChildExecutionId"]) for s in parent["StepExecutions"]]
    assert [c["Parameters"]["Pause"] for c in children] == [["PT0S"], ["PT0.1S"]]


def test_resource_group_targets(tmp_path, sandbox, store):
    account = "781000000003"
    built = make_world(tmp_path, sandbox, account, web=2, db=2)
    caller = built.users[(account, "ops")]
    groups = sandbox.client("resource-groups", REGION, caller)
    groups.create_group(Name="databases", ResourceQuery={"Type": "TAG_FILTERS_1_0", "Query": json.dumps(
        {"ResourceTypeFilters": ["AWS::EC2::Instance"], "TagFilters": [{"Key": "App", "Values": ["db"]}]})})
    status, parent = run(tmp_path, sandbox, store, caller,
                         RateControl("InstanceId", [{"Key": "ResourceGroup", "Values": ["databases"]}]))
    assert status == "Success", parent
    assert sorted(parent["ResolvedTargets"]["ParameterValues"]) == sorted(instances(sandbox, account, App="db"))


def test_a_denied_resolution_fails_the_parent_and_is_explained(tmp_path, sandbox, store):
    account = "781000000004"
    no_tags = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "tag:GetResources", "Resource": "*"}]}
    built = make_world(tmp_path, sandbox, account, web=1, db=0, policy=no_tags)
    status, parent = run(tmp_path, sandbox, store, built.users[(account, "ops")],
                         RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}]))
    assert status == "Failed" and parent["StepExecutions"] == []
    assert "tag:GetResources" in parent["FailureMessage"] and "explicit deny" in parent["FailureMessage"]
    assert parent["xacct:Explanation"]["action"] == "tag:GetResources"


def _concurrency_probe():
    """A store listener on the parent: how many of its steps run at once, and the order of events."""
    state = {"running": 0, "peak": 0, "events": [], "parent": None}
    lock = threading.Lock()

    def listener(execution_id, kind, step, data):
        if step is None or kind not in ("StepStarted", "StepFinished") or execution_id != state["parent"]:
            return
        with lock:
            if kind == "StepStarted":
                state["running"] += 1
            elif data.get("ChildExecutionId") or data["StepStatus"] != "Cancelled":
                state["running"] -= 1
            state["peak"] = max(state["peak"], state["running"])
            state["events"].append((kind, step))

    def probe(parent_id):
        state["parent"] = parent_id
        return listener

    return state, probe


@pytest.mark.parametrize("max_concurrency, limit", [("3", 3), ("50%", 3)], ids=["count", "percent"])
def test_max_concurrency_bounds_children_after_the_ramp(tmp_path, sandbox, store, max_concurrency, limit):
    account = {"3": "781000000005", "50%": "781000000006"}[max_concurrency]
    built = make_world(tmp_path, sandbox, account, web=6, db=0)
    state, probe = _concurrency_probe()
    control = RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}], max_concurrency=max_concurrency)
    started = time.monotonic()
    status, parent = run(tmp_path, sandbox, store, built.users[(account, "ops")], control,
                         given={"Pause": ["PT0.3S"]}, probe=probe)
    assert status == "Success", parent
    assert state["peak"] == limit  # really concurrent, and never above the limit
    # the ramp: the first child runs alone; nothing else starts before it ends
    assert state["events"][0][0] == "StepStarted" and state["events"][1][0] == "StepFinished"
    assert time.monotonic() - started < 6 * 0.3 * 0.9  # faster than one at a time


def test_max_errors_stops_new_children_and_records_the_rest_not_started(tmp_path, sandbox, store):
    account = "781000000007"
    built = make_world(tmp_path, sandbox, account, web=0, db=0)
    bad = [f"i-{n:017x}" for n in range(1, 7)]  # no such instances: every child fails at DescribeInstances
    control = RateControl("InstanceId", [{"Key": "ParameterValues", "Values": bad}], max_concurrency="1",
                          max_errors="1")
    status, parent = run(tmp_path, sandbox, store, built.users[(account, "ops")], control)
    statuses = [s["StepStatus"] for s in parent["StepExecutions"]]
    assert status == "Failed"
    assert statuses == ["Failed", "Failed", "Cancelled", "Cancelled", "Cancelled", "Cancelled"]
    assert parent["StepExecutions"][2]["FailureMessage"].startswith("Not started: the maximum number of errors (1)")
    assert "xacct:ChildExecutionId" not in parent["StepExecutions"][2]
    assert "InvalidInstanceID" in parent["StepExecutions"][0]["FailureMessage"]
    assert parent["FailureMessage"] == "2 of 6 targets failed; 4 were not started."
    assert parent["MaxErrors"] == "1" and parent["MaxConcurrency"] == "1"


def test_max_errors_as_a_percentage_and_running_children_finish():
    """10% of 20 allows 2 errors: the third stops new starts; running work still finishes."""
    finished = []

    def work(n):
        time.sleep(0.02)
        finished.append(n)
        return "Failed" if n < 5 else "Success"

    from xacct.engine.rate_control import parse_rate

    ran = run_rated(list(range(20)), work, concurrency=4, error_limit=parse_rate("10%", 20, default="", minimum=0),
                    cancelled=lambda: False)
    assert ran.failed >= 3 and ran.not_started and len(finished) + len(ran.not_started) == 20


def test_one_targets_crash_never_loses_another_result():
    def work(n):
        if n == 1:
            raise RuntimeError("boom")
        return "Success"

    ran = run_rated([0, 1, 2, 3], work, concurrency=2, error_limit=None, cancelled=lambda: False)
    assert ran.failed == 1 and ran.not_started == []


@pytest.mark.parametrize("control, given, code, words", [
    (RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}],
                 [{"InstanceId": ["i-1"]}]), {}, "InvalidAutomationExecutionParametersException",
     "Both Targets and TargetMaps can't be specified together."),
    (RateControl(None, [{"Key": "tag:App", "Values": ["web"]}]), {}, "InvalidAutomationExecutionParametersException",
     "TargetParameterName is required"),
    (RateControl("InstanceId"), {}, "InvalidAutomationExecutionParametersException", "Targets or TargetMaps are"),
    (RateControl("instanceid", [{"Key": "tag:App", "Values": ["web"]}]), {},
     "InvalidAutomationExecutionParametersException", "TargetParameterName instanceid is not a parameter"),
    (RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}, {"Key": "tag:Env", "Values": ["x"]}]), {},
     "InvalidAutomationExecutionParametersException", "Only one resource group or tag can be specified at a time"),
    (RateControl("InstanceId", [{"Key": "InstanceIds", "Values": ["i-1"]}]), {},
     "InvalidAutomationExecutionParametersException", "Target key can have only following values : ParameterValues"),
    (RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}], max_concurrency="0"), {},
     "ValidationException", "Value '0' at 'maxConcurrency' failed to satisfy constraint"),
    (RateControl("InstanceId", [{"Key": "tag:App", "Values": ["web"]}], max_errors="101%"), {},
     "ValidationException", "Value '101%' at 'maxErrors' failed to satisfy constraint"),
    (RateControl("Pause", [{"Key": "tag:App", "Values": ["web"]}]), {}, "InvalidAutomationExecutionParametersException",
     "Missing required parameter: InstanceId in user inputs."),
    (RateControl("InstanceId", target_maps=[{"Nope": ["x"]}]), {}, "InvalidAutomationExecutionParametersException",
     "Undefined execution inputs: [Nope]"),
], ids=["both", "targets-without-name", "name-without-targets", "not-a-parameter", "two-targets", "bad-key",
        "concurrency-0", "errors-101", "missing-required", "map-unknown-parameter"])
def test_bad_combinations_are_refused_before_anything_runs(tmp_path, sandbox, store, control, given, code, words):
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    with pytest.raises(ExecutionRejected) as err:
        start_rate_control(from_file(str(tmp_path / "touch.yaml")), control, cloud=sandbox, store=store,
                           region=REGION, given=given)
    assert err.value.code == code and words in err.value.message
    assert store.executions(top_level=True) == []


def _cli(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "run", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_runs_tag_targets_and_lists_each_resource(tmp_path):
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    world = {"world": 1, "accounts": {"111111111111": {"regions": {REGION: {
        "images": {"base": {"name": "cli-base"}},
        "instances": {"a": {"image": "base", "tags": {"App": "web"}},
                      "b": {"image": "base", "tags": {"App": "web"}}}}}}}}
    (tmp_path / "world.yaml").write_text(json.dumps(world))
    result = _cli(tmp_path, str(tmp_path / "touch.yaml"), "--world", str(tmp_path / "world.yaml"),
                  "--targets", "Key=tag:App,Values=web", "--target-parameter-name", "InstanceId",
                  "--max-concurrency", "2", "--output", "json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    parent = shown["AutomationExecution"]
    assert parent["AutomationExecutionStatus"] == "Success" and len(parent["StepExecutions"]) == 2
    assert [c["AutomationExecutionStatus"] for c in shown["ChildExecutions"]] == ["Success", "Success"]
    result = _cli(tmp_path, str(tmp_path / "touch.yaml"), "--targets", "ParameterValues=i-00000000000000001",
                  "--target-parameter-name", "InstanceId")
    assert result.returncode == 1
    assert "i-00000000000000001" in result.stdout and "FAILED" in result.stdout


@pytest.mark.parametrize("args, words", [
    (["--targets", "App"], "is neither Key=KEY,Values=V1,V2 nor KEY=V1,V2"),
    (["--targets", "Key=tag:App"], "is not Key=KEY,Values=V1,V2"),
    (["--targets", "InstanceIds=i-1", "--target-parameter-name", "InstanceId"], "'InstanceIds' is not a target key"),
    (["--target-maps", "[1, 2]"], "each target map is an object"),
    (["--target-maps", "{oops"], "is not valid JSON"),
    (["--max-errors", "1"], "--max-concurrency and --max-errors go with"),
    (["--targets", "tag:App=web"], "TargetParameterName is required"),
    (["--target-maps", "file:///dev/zero"], "is over 1,000,000 characters"),
], ids=["no-equals", "no-values", "bad-key", "map-not-object", "bad-json", "rates-alone", "no-name", "endless-file"])
def test_cli_refuses_bad_input_clearly(tmp_path, args, words):
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    result = _cli(tmp_path, str(tmp_path / "touch.yaml"), *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert words in result.stderr and "Traceback" not in result.stderr


def test_cli_target_shorthand_parses_as_the_aws_cli_does():
    from xacct.commands.run_targets import parse_target, parse_target_maps

    assert parse_target("Key=tag:App,Values=web,api") == {"Key": "tag:App", "Values": ["web", "api"]}
    assert parse_target("tag:App=web") == {"Key": "tag:App", "Values": ["web"]}
    assert parse_target("tag-key=App") == {"Key": "tag-key", "Values": ["App"]}
    assert parse_target('{"Key": "ResourceGroup", "Values": ["g"]}') == {"Key": "ResourceGroup", "Values": ["g"]}
    assert parse_target_maps(("InstanceId=i-1,Pause=PT0S", '[{"InstanceId": "i-2"}]')) == [
        {"InstanceId": ["i-1"], "Pause": ["PT0S"]}, {"InstanceId": ["i-2"]}]

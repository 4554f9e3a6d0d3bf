"""Several TargetLocations entries each keep their own TargetLocationMaxErrors (issue 11, defect
10): failures in one entry stop new targets of that entry only, as SSM stops "queueing additional
Automation executions" per entry (API_TargetLocation)."""

import json

from xacct.engine.history import automation_execution
from xacct.engine.locations import TargetLocation, run_fanout, start_fanout
from xacct.engine.documents import by_name
from xacct.sandbox.world import build_world, load_world

M = "644000000001"
STRICT = ["644000000011", "644000000012", "644000000013"]  # no execution role: each target fails
LENIENT = ["644000000021", "644000000022"]
REGION = "sa-east-1"
V = "2012-10-17"


def test_each_location_entry_has_its_own_error_budget(tmp_path, sandbox, store):
    world = {"world": 1, "accounts": {M: {"iam": {"roles": {
        "AWS-SystemsManager-AutomationAdministrationRole": {
            "trust": {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"},
                                                   "Action": "sts:AssumeRole"}]},
            "policies": {"Assume": {"Version": V, "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}}}}}}}
    (tmp_path / "world.yaml").write_text(json.dumps(world))
    build_world(load_world(str(tmp_path / "world.yaml")), sandbox, REGION)
    caller = sandbox.identity(sandbox.operator(M), REGION)
    locations = [TargetLocation(STRICT, [REGION], max_concurrency="1", max_errors="0"),
                 TargetLocation(LENIENT, [REGION], max_concurrency="2", max_errors="100%")]
    fanout = start_fanout(by_name("AWS-RestartEC2Instance", sandbox, caller, REGION), locations, cloud=sandbox,
                          store=store, region=REGION, given={"InstanceId": ["i-0123456789abcdef0"]}, caller=caller,
                          owned_by_aws=True)
    assert run_fanout(fanout) == "Failed"
    steps = {s["StepName"].split("_")[0]: s for s in automation_execution(store, fanout.parent.id)["StepExecutions"]}
    strict = [steps[a]["StepStatus"] for a in STRICT]
    assert strict.count("Failed") == 1 and strict.count("Cancelled") == 2, strict  # 0 errors allowed: one ran
    assert [steps[a]["StepStatus"] for a in LENIENT] == ["Failed", "Failed"]  # its own budget: both ran

"""Each TargetLocations entry runs with its own TargetLocationMaxConcurrency and
TargetLocationMaxErrors, the entries side by side (issue 11, defect 10; "TargetLocation",
https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_TargetLocation.html). What
ran at once is read from the order of the parent execution's events in the store (each target's
StepStarted and StepFinished), not from clocks: every child sleeps a second, so that children
allowed to run together do overlap, and the assertions count overlaps in event order."""

import json

from xacct.engine.documents import by_name
from xacct.engine.locations import TargetLocation, run_fanout, start_fanout
from xacct.sandbox.world import build_world, load_world

M = "675000000001"
NARROW = ["675000000011", "675000000012", "675000000013"]  # TargetLocationMaxConcurrency 1
WIDE = [f"6750000000{n}" for n in range(21, 27)]  # 3 at once, reached after SSM's ramp 1, 2, 3
BROKEN = ["675000000031", "675000000032", "675000000033"]  # no execution role: each target fails
REGION = "eu-south-1"
V = "2012-10-17"
NAP = {"schemaVersion": "0.3", "assumeRole": "{{ AutomationAssumeRole }}",
       "parameters": {"AutomationAssumeRole": {"type": "String", "default": ""}},
       "mainSteps": [{"name": "nap", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]}


def _execution_role(account: str) -> dict:
    return {"trust": {"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{M}:role/AWS-SystemsManager-AutomationAdministrationRole"},
         "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "policies": {"Run": {"Version": V, "Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole",
             "Resource": f"arn:aws:iam::{account}:role/AWS-SystemsManager-AutomationExecutionRole"}]}}}


def _world(tmp_path) -> str:
    (tmp_path / "nap.json").write_text(json.dumps(NAP))
    accounts = {M: {"iam": {"roles": {"AWS-SystemsManager-AutomationAdministrationRole": {
        "trust": {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"},
                                               "Action": "sts:AssumeRole"}]},
        "policies": {"Assume": {"Version": V, "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}}}},
        "regions": {REGION: {"documents": {"Nap": {"file": "nap.json", "sharedWith": NARROW + WIDE + BROKEN}}}}}}
    for account in NARROW + WIDE:
        accounts[account] = {"iam": {"roles": {"AWS-SystemsManager-AutomationExecutionRole":
                                               _execution_role(account)}}}
    (tmp_path / "world.yaml").write_text(json.dumps({"world": 1, "accounts": accounts}))
    return str(tmp_path / "world.yaml")


def _peaks(events: list[dict], entries: dict[str, list[str]]) -> dict[str, int]:
    """The most targets of each entry running at once, by event order."""
    entry_of = {account: name for name, accounts in entries.items() for account in accounts}
    running = {name: 0 for name in entries}
    peaks = dict(running)
    for event in events:
        account = (event["step"] or "").split("_")[0]
        if account not in entry_of:
            continue
        name = entry_of[account]
        if event["type"] == "StepStarted":
            running[name] += 1
            peaks[name] = max(peaks[name], running[name])
        elif event["type"] == "StepFinished":
            running[name] -= 1
    return peaks


def test_each_entry_keeps_its_own_concurrency_and_error_budget_side_by_side(tmp_path, sandbox, store):
    build_world(load_world(_world(tmp_path)), sandbox, REGION)
    caller = sandbox.identity(sandbox.operator(M), REGION)
    locations = [TargetLocation(NARROW, [REGION], max_concurrency="1", max_errors="100%"),
                 TargetLocation(WIDE, [REGION], max_concurrency="3", max_errors="100%"),
                 TargetLocation(BROKEN, [REGION], max_concurrency="1", max_errors="0")]
    fanout = start_fanout(by_name("Nap", sandbox, caller, REGION), locations, cloud=sandbox, store=store,
                          region=REGION, given={"AutomationAssumeRole": [""]}, caller=caller)
    assert run_fanout(fanout) == "Failed"  # the broken entry's target failed
    events = store.events(fanout.parent.id)
    finished = {e["step"].split("_")[0]: e["data"]["StepStatus"] for e in events if e["type"] == "StepFinished"}

    peaks = _peaks(events, {"narrow": NARROW, "wide": WIDE, "broken": BROKEN})
    assert peaks["narrow"] == 1, peaks  # never more than its own limit, whatever the wide entry allows
    assert 2 <= peaks["wide"] <= 3, peaks  # more than one at once, never more than 3
    # side by side: a narrow target started before the wide entry's last one finished
    order = [(e["type"], e["step"].split("_")[0]) for e in events if e["step"]]
    first_narrow = min(i for i, (kind, a) in enumerate(order) if kind == "StepStarted" and a in NARROW)
    last_wide = max(i for i, (kind, a) in enumerate(order) if kind == "StepFinished" and a in WIDE)
    assert first_narrow < last_wide

    assert all(finished[a] == "Success" for a in NARROW + WIDE), finished
    broken = [finished[a] for a in BROKEN]
    # TargetLocationMaxErrors 0: after the first failure nothing more of that entry starts
    assert broken.count("Failed") == 1 and broken.count("Cancelled") == 2, broken

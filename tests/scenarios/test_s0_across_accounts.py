"""S0 of SCENARIOS.md: a custom runbook run from the management account in a member account.
Unshared, the target fails with AWS's "unable to be assumed" text and xacct names the missing
share and the command that adds it; shared, it runs there and its effect is visible there. The
variants that give AWS's same text for other causes are each explained by their own cause.

The world file is the bundled one with its account IDs renamed, so that this module's accounts
are its own in the process-wide sandbox."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xacct.doctor.findings import finding_for
from xacct.engine.documents import by_name
from xacct.engine.history import automation_execution
from xacct.engine.locations import TargetLocation, parse_rate, run_fanout, start_fanout
from xacct.sandbox.world import build_world, load_world

WORLDS = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds"
REGION = "ap-northeast-1"
ADMIN_ROLE = "AWS-SystemsManager-AutomationAdministrationRole"
EXEC_ROLE = "AWS-SystemsManager-AutomationExecutionRole"


def make_world(tmp_path, sandbox, ids: dict[str, str], change=None):
    """Build the S0 world with its accounts renamed (111.. and 222.. to ids['m'] and ids['t'])."""
    text = (WORLDS / "s0-unshared-runbook.yaml").read_text()
    text = text.replace("111111111111", ids["m"]).replace("222222222222", ids["t"])
    world = yaml.safe_load(text)
    if change:
        change(world)
    (tmp_path / "installapp.yaml").write_text((WORLDS / "installapp.yaml").read_text())
    (tmp_path / "world.yaml").write_text(json.dumps(world))
    return build_world(load_world(str(tmp_path / "world.yaml")), sandbox, REGION)


def run_across(sandbox, store, built, ids, *, name="InstallApp", accounts=None, given=None, **location):
    caller = built.users[(ids["m"], "ops")]
    runbook = by_name(name, sandbox, caller, REGION)
    admin = f"arn:aws:iam::{ids['m']}:role/{ADMIN_ROLE}"
    fanout = start_fanout(runbook, [TargetLocation(accounts or [ids["t"]], [REGION], **location)], cloud=sandbox,
                          store=store, region=REGION, given={"AutomationAssumeRole": [admin], **(given or {})},
                          caller=caller,
                          owned_by_aws=sandbox.owned_document(name) is not None)
    status = run_fanout(fanout)
    return status, automation_execution(store, fanout.parent.id)


def unable(account):
    return (f"The execution role arn:aws:iam::{account}:role/{EXEC_ROLE} in the target location is unable "
            "to be assumed.")


def test_unshared_runbook_fails_as_aws_says_and_is_explained_then_shared_it_runs(tmp_path, sandbox, store):
    ids = {"m": "710000000001", "t": "710000000002"}
    built = make_world(tmp_path, sandbox, ids)
    status, parent = run_across(sandbox, store, built, ids)
    assert status == "Failed" and parent["AutomationExecutionStatus"] == "Failed"
    [step] = parent["StepExecutions"]
    assert step["StepStatus"] == "Failed" and step["FailureMessage"] == unable(ids["t"])
    why = step["xacct:Explanation"]
    assert why["layer"] == "share"
    assert why["fix"] == (f"aws ssm modify-document-permission --name InstallApp --permission-type Share "
                          f"--account-ids-to-add {ids['t']} --region {REGION}")

    owner = sandbox.client("ssm", REGION, built.users[(ids["m"], "ops")])
    owner.modify_document_permission(Name="InstallApp", PermissionType="Share", AccountIdsToAdd=[ids["t"]])
    status, parent = run_across(sandbox, store, built, ids)
    assert status == "Success", parent
    [step] = parent["StepExecutions"]
    child = automation_execution(store, step["xacct:ChildExecutionId"])
    assert child["AutomationExecutionStatus"] == "Success"
    assert child["ParentAutomationExecutionId"] == parent["AutomationExecutionId"]
    assert child["ExecutedBy"].startswith(f"arn:aws:sts::{ids['t']}:assumed-role/{EXEC_ROLE}/")
    assert [s["StepStatus"] for s in child["StepExecutions"]] == ["Success"] * 3
    # the effect is in the target account: its instance carries the tag the runbook set
    ec2 = sandbox.client("ec2", REGION, sandbox.operator(ids["t"]))
    tags = {t["Key"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] for t in i.get("Tags", [])}
    assert "AppInstalled" in tags


def test_the_owner_runs_it_for_itself_and_an_aws_owned_runbook_needs_no_share(tmp_path, sandbox, store):
    ids = {"m": "710000000011", "t": "710000000012"}
    built = make_world(tmp_path, sandbox, ids)
    from xacct.engine import run, start_runbook

    execution = start_runbook("InstallApp", cloud=sandbox, store=store, region=REGION,
                              caller=built.users[(ids["m"], "ops")])
    assert run(execution) == "Success"
    ec2 = sandbox.client("ec2", REGION, sandbox.operator(ids["t"]))
    [instance] = [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    status, parent = run_across(sandbox, store, built, ids, name="AWS-StopEC2Instance",
                                given={"InstanceId": [instance]})
    assert status == "Success", parent
    [state] = [i["State"]["Name"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert state == "stopped"


def _drop_role(world):
    world["accounts"]["710000000022"]["iam"]["roles"].pop(EXEC_ROLE)


def _trust_someone_else(world):
    trust = world["accounts"]["710000000032"]["iam"]["roles"][EXEC_ROLE]["trust"]
    trust["Statement"][0]["Principal"]["AWS"] = "arn:aws:iam::710000000031:role/SomeOtherRole"
    # IAM refuses a trust policy naming a role that does not exist: the other role is there
    world["accounts"]["710000000031"]["iam"]["roles"]["SomeOtherRole"] = {"trust": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}}


def _admin_cannot_assume(world):
    policies = world["accounts"]["710000000041"]["iam"]["roles"][ADMIN_ROLE]["policies"]
    policies["AssumeExecutionRoles"]["Statement"][0]["Resource"] = "arn:aws:iam::*:role/SomethingElse"


@pytest.mark.parametrize("ids, change, layer, words, finding", [
    ({"m": "710000000021", "t": "710000000022"}, _drop_role, "trust", "does not exist", "D204"),
    ({"m": "710000000031", "t": "710000000032"}, _trust_someone_else, "trust", "trust policy", "D205"),
    ({"m": "710000000041", "t": "710000000042"}, _admin_cannot_assume, "identity", "sts:AssumeRole", "D203"),
], ids=["role-missing", "trust-names-another", "admin-lacks-assume-role"])
def test_same_aws_text_other_causes(tmp_path, sandbox, store, ids, change, layer, words, finding):
    built = make_world(tmp_path, sandbox, ids, change)
    owner = sandbox.client("ssm", REGION, built.users[(ids["m"], "ops")])
    owner.modify_document_permission(Name="InstallApp", PermissionType="Share", AccountIdsToAdd=[ids["t"]])
    status, parent = run_across(sandbox, store, built, ids)
    [step] = parent["StepExecutions"]
    assert status == "Failed" and step["FailureMessage"] == unable(ids["t"])
    why = step["xacct:Explanation"]
    assert why["layer"] == layer, why
    assert words in json.dumps(why), why
    assert finding_for(why) == finding  # the same cause as xacct doctor names it before a run


def test_max_errors_zero_stops_starting_targets(tmp_path, sandbox, store):
    ids = {"m": "710000000051", "t": "710000000052"}
    built = make_world(tmp_path, sandbox, ids)  # unshared: every member target fails
    others = ["710000000053", "710000000054", "710000000055"]
    status, parent = run_across(sandbox, store, built, ids, accounts=[ids["t"], *others],
                                max_concurrency="1", max_errors="0")
    statuses = [s["StepStatus"] for s in parent["StepExecutions"]]
    assert status == "Failed" and statuses == ["Failed", "Cancelled", "Cancelled", "Cancelled"]
    assert "maximum number of errors (0)" in parent["StepExecutions"][1]["FailureMessage"]


def test_without_settings_one_target_at_a_time_and_no_error_allowed(tmp_path, sandbox, store):
    # TargetLocationMaxConcurrency defaults to 1 and TargetLocationMaxErrors to 0 (API_TargetLocation)
    ids = {"m": "710000000071", "t": "710000000072"}
    built = make_world(tmp_path, sandbox, ids)
    status, parent = run_across(sandbox, store, built, ids, accounts=[ids["t"], "710000000073"])
    assert [s["StepStatus"] for s in parent["StepExecutions"]] == ["Failed", "Cancelled"]
    status, parent = run_across(sandbox, store, built, ids, accounts=[ids["t"], "710000000073"], max_errors="1")
    assert [s["StepStatus"] for s in parent["StepExecutions"]] == ["Failed", "Failed"]


def test_rates_as_counts_and_percentages():
    assert parse_rate("10%", 40, default="1", minimum=1) == 4
    assert parse_rate("1%", 40, default="1", minimum=1) == 1
    assert parse_rate(None, 40, default="1", minimum=1) == 1
    assert parse_rate("0", 40, default="", minimum=0) == 0
    assert parse_rate(None, 40, default="", minimum=0) is None


def test_bad_rate_is_refused_with_the_api_text(tmp_path, sandbox, store):
    from xacct.engine import ExecutionRejected

    ids = {"m": "710000000061", "t": "710000000062"}
    built = make_world(tmp_path, sandbox, ids)
    with pytest.raises(ExecutionRejected) as err:
        run_across(sandbox, store, built, ids, max_concurrency="0")
    assert "failed to satisfy constraint" in err.value.message


def test_cli_shows_the_failure_the_explanation_and_the_matrix(tmp_path):
    admin = f"arn:aws:iam::111111111111:role/{ADMIN_ROLE}"
    result = subprocess.run(
        [sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "run", "InstallApp",
         "--world", str(WORLDS / "s0-unshared-runbook.yaml"), "--region", REGION,
         "--accounts", "222222222222", "--regions", REGION, "-p", f"AutomationAssumeRole={admin}"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert unable("222222222222") in result.stdout
    assert ("fix: aws ssm modify-document-permission --name InstallApp --permission-type Share "
            "--account-ids-to-add 222222222222 --region ap-northeast-1") in result.stdout
    assert "222222222222  FAILED" in result.stdout
    assert "why (D101): share:" in result.stdout
    # after the run, the stored result shows the same explanation next to AWS's text
    parent = result.stdout.split("Execution ", 1)[1].split(" ", 1)[0]
    shown = subprocess.run([sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "executions", "show",
                            parent], capture_output=True, text=True, timeout=60)
    assert unable("222222222222") in shown.stdout
    assert "foreseen by: xacct doctor (D101: runbook not shared with the target account)" in shown.stdout


def test_a_world_of_other_accounts_starts_in_its_own_and_as_chosen(tmp_path):
    """The sandbox's default account (111111111111) is not in this world: runs start in the world's
    first account, or as --as says."""
    text = (WORLDS / "s0-unshared-runbook.yaml").read_text()
    text = text.replace("111111111111", "123456789012").replace("222222222222", "210987654321")
    world = yaml.safe_load(text)
    (tmp_path / "installapp.yaml").write_text((WORLDS / "installapp.yaml").read_text())
    (tmp_path / "world.yaml").write_text(json.dumps(world))

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "run", "InstallApp",
                               "--world", str(tmp_path / "world.yaml"), "--region", REGION, "--accounts",
                               "210987654321", *extra], capture_output=True, text=True, timeout=120)

    default = run()
    assert "Execution " in default.stdout and " from 123456789012 " in default.stdout
    assert "not shared with 210987654321" in default.stdout
    chosen = run("--as", "arn:aws:iam::123456789012:user/ops")
    assert " from 123456789012 " in chosen.stdout and "not shared with 210987654321" in chosen.stdout
    wrong = run("--as", "arn:aws:iam::123456789012:user/nobody")
    assert wrong.returncode == 2 and "is neither an account ID nor a user of the world" in wrong.stderr

"""Doctor fixes a permission at the layer that lacks it (issue 11, defects 4 and 8): a permissions
boundary gets a new default version of its customer managed policy, and --apply makes it so that
the finding goes away and the run succeeds; an AWS managed boundary cannot be changed and the fix
says so; an SCP allow-list is named by its policy and its OU's path (Root/Prod/Web)."""

from pathlib import Path

import pytest

from tests.generalisation import harness

WORLD = Path(__file__).parent / "worlds" / "fences.yaml"
REGION = "ca-central-1"
M, OWN, MANAGED, LISTED = "642000000001", "642000000002", "642000000003", "642000000004"


@pytest.fixture(scope="module")
def fences(sandbox, tmp_path_factory):
    from xacct.store import Store

    store = Store(tmp_path_factory.mktemp("fences") / "executions.db")
    checked = harness.check(sandbox, store, WORLD, "ListBuckets", M,
                            [(OWN, REGION), (MANAGED, REGION), (LISTED, REGION)], REGION)
    return checked, store


def test_a_customer_managed_boundary_gets_a_new_version_and_apply_clears_the_finding(fences, sandbox):
    checked, store = fences
    assert checked.outcomes[(OWN, REGION)].status == "Failed"
    [finding] = [f for f in checked.findings if f.account == OWN]
    assert finding.id == "D301" and finding.layer == "boundary"
    assert "the permissions boundary does not allow the s3:ListAllMyBuckets action" in finding.cause
    assert finding.fix.startswith(f"aws iam create-policy-version --policy-arn arn:aws:iam::{OWN}:policy/Fence ")
    assert finding.fix.endswith("--set-as-default") and "s3:ListAllMyBuckets" in finding.fix
    finding.apply()
    again = harness.doctor(sandbox, None, "ListBuckets", M, [(OWN, REGION)],
                           {"AutomationAssumeRole": [f"arn:aws:iam::{M}:role/{harness.ADMIN}"]}, REGION)
    assert [f for f in again if f.account == OWN] == []
    from xacct.engine.locations import TargetLocation

    outcomes = harness.run(sandbox, store, None, "ListBuckets", M, [TargetLocation([OWN], [REGION])],
                           {"AutomationAssumeRole": [f"arn:aws:iam::{M}:role/{harness.ADMIN}"]}, REGION)
    assert outcomes[(OWN, REGION)].status == "Success", outcomes


def test_an_aws_managed_boundary_cannot_be_changed_and_the_fix_says_so(fences):
    checked, _ = fences
    assert checked.outcomes[(MANAGED, REGION)].status == "Failed"
    found = [f for f in checked.findings if f.account == MANAGED]
    assert found and all(f.apply is None for f in found)
    for finding in found:
        assert ("is the AWS managed policy arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole, which "
                "cannot be changed") in finding.fix
        assert "aws iam put-role-permissions-boundary --role-name AWS-SystemsManager-AutomationExecutionRole" in finding.fix


def test_an_scp_allow_list_fix_names_the_policy_and_the_path_of_its_ou(fences):
    checked, _ = fences
    assert checked.outcomes[(LISTED, REGION)].status == "Failed"
    [finding] = [f for f in checked.findings if f.account == LISTED]
    assert finding.id == "D301" and finding.layer == "scp"
    assert "no SCP attached to Root/Prod/Web (ou-" in finding.cause
    assert "allow s3:ListAllMyBuckets in SCP ProdAllowList attached to Root/Prod/Web (ou-" in finding.fix
    assert "aws organizations update-policy --policy-id p-" in finding.fix
    assert "organization level" not in finding.fix


def test_doctor_apply_changes_the_boundary_and_the_finding_goes_away(tmp_path):
    """The command as a user runs it: --apply makes the new boundary version, and doctor's second
    look finds nothing (this world's accounts renamed 647...: its own in the process)."""
    from click.testing import CliRunner

    from xacct.cli import cli

    (tmp_path / "list-buckets.yaml").write_text((WORLD.parent / "list-buckets.yaml").read_text())
    (tmp_path / "fences.yaml").write_text(WORLD.read_text().replace("6420000000", "6470000000"))
    admin = "arn:aws:iam::647000000001:role/AWS-SystemsManager-AutomationAdministrationRole"
    result = CliRunner().invoke(cli, [
        "--store", str(tmp_path / "executions.db"), "doctor", "ListBuckets", "--world", str(tmp_path / "fences.yaml"),
        "--region", REGION, "--accounts", "647000000002", "-p", f"AutomationAssumeRole={admin}", "--apply", "--yes"])
    before, _, after = result.output.partition("After the changes:")
    assert "D301 error" in before and "aws iam create-policy-version --policy-arn arn:aws:iam::647000000002:policy/Fence" \
        in before
    assert "647000000002/ca-central-1 D301: done" in before
    assert "No findings" in after and result.exit_code == 0, result.output

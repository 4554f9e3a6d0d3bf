"""A run's own explanation of an SCP denial names the policy and where it is attached (Root/Prod/Web),
as doctor's fix does, never the evaluator's "scp level N"; AWS's message stays AWS's ("... because no
service control policy allows the s3:ListAllMyBuckets action"). Issue 11, defect 10's SCP texts."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.generalisation import harness
from xacct.cli import cli
from xacct.store import Store

WORLD = Path(__file__).parent / "worlds" / "atoll-fences.yaml"
REGION = "ap-south-1"
WEB, LOCKED = "677000000002", "677000000003"


@pytest.fixture(scope="module")
def fences(sandbox, tmp_path_factory):
    path = tmp_path_factory.mktemp("atoll") / "executions.db"
    store = Store(path)
    checked = harness.check(sandbox, store, WORLD, "ListBuckets", "677000000001", [(WEB, REGION), (LOCKED, REGION)],
                            REGION)
    yield checked, path
    store.close()


def test_an_allow_list_without_the_action_is_named_by_policy_and_ou_path(fences):
    checked, _ = fences
    outcome = checked.outcomes[(WEB, REGION)]
    assert outcome.status == "Failed"
    explanation = outcome.explanation
    assert "because no service control policy allows the s3:ListAllMyBuckets action" in explanation["message"]
    assert explanation["fix"].startswith("allow s3:ListAllMyBuckets in SCP WebAllowList attached to Root/Prod/Web: ")
    assert explanation["cause"].endswith("; no SCP attached to Root/Prod/Web allows it (WebAllowList attached there)")
    assert "level" not in explanation["fix"] + explanation["cause"]
    assert outcome.foreseen_by == "D301" and "D301" in {f.id for f in checked.errors_at(WEB, REGION)}


def test_an_explicit_deny_names_the_policy_and_where_it_is_attached(fences):
    checked, _ = fences
    explanation = checked.outcomes[(LOCKED, REGION)].explanation
    assert explanation["decision"] == "explicitDeny"
    assert explanation["fix"] == ("remove or narrow NoListing statement 1 (Sid NoBucketList) (attached to "
                                  "Root/Prod/Locked), which denies s3:ListAllMyBuckets")
    assert explanation["cause"].endswith("; SCP NoListing attached to Root/Prod/Locked denies it explicitly")


def test_executions_show_and_the_progress_never_say_scp_level(fences):
    checked, path = fences
    shown = CliRunner().invoke(cli, ["--store", str(path), "executions", "show", checked.outcomes[(WEB, REGION)].parent_id])
    assert shown.exit_code == 0, shown.output
    assert "Root/Prod/Web" in shown.output
    assert "scp level" not in shown.output and "organization level" not in shown.output

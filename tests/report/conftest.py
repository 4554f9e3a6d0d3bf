"""One S1 run for the module's tests: AWS-EnableS3BucketEncryption from the management account
for 2 member accounts x 2 Regions, each execution role lacking s3:PutEncryptionConfiguration, run
through `xacct run ... --report` on the process-wide sandbox (accounts 79300000000x: this folder's)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from xacct.cli import cli

WORLD = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds" / "s1-missing-permission.yaml"
IDS = ("793000000001", "793000000002", "793000000003")
TOKYO, VIRGINIA = "ap-northeast-1", "us-east-1"
ADMIN_ROLE = "AWS-SystemsManager-AutomationAdministrationRole"


@pytest.fixture(scope="session")
def s1_run(tmp_path_factory):
    """(store path, run ID, the report `--report` wrote, the CLI's output)."""
    from xacct.sandbox.embedded import SandboxCloud
    from xacct.sandbox.world import build_world, load_world

    folder = tmp_path_factory.mktemp("s1-report")
    management, a, b = IDS
    text = WORLD.read_text()
    for old, new in zip(("111111111111", "222222222222", "333333333333"), IDS):
        text = text.replace(old, new)
    (folder / "world.yaml").write_text(text)
    cloud = SandboxCloud(TOKYO, account=management)
    build_world(load_world(str(folder / "world.yaml")), cloud, TOKYO)
    for account in (a, b):
        for region in (TOKYO, VIRGINIA):
            cloud.client("s3", region, cloud.operator(account)).put_bucket_tagging(
                Bucket=f"logs-{account}-{region}", Tagging={"TagSet": [{"Key": "Encrypt", "Value": "true"}]})
    store, report = folder / "executions.db", folder / "s1-report.html"
    result = run_s1(store, report)
    assert result.exit_code == 1, result.output
    run_id = json.loads(result.stdout)["AutomationExecution"]["AutomationExecutionId"]
    return store, run_id, report, result


def run_s1(store, report):
    """`xacct run` of S1 from the management account with `--report`, on the process-wide sandbox."""
    from xacct.sandbox.embedded import SandboxCloud

    management, a, b = IDS
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("xacct.commands.run.make_cloud",
                      lambda aws, profile, region: SandboxCloud(region or TOKYO, account=management))
        return CliRunner().invoke(cli, [
            "--store", str(store), "run", "AWS-EnableS3BucketEncryption", "--region", TOKYO, "--accounts", f"{a},{b}",
            "--regions", f"{TOKYO},{VIRGINIA}", "--targets", "Key=tag:Encrypt,Values=true",
            "--target-parameter-name", "BucketName", "--max-concurrency", "2", "--max-errors", "4",
            "-p", f"AutomationAssumeRole=arn:aws:iam::{management}:role/{ADMIN_ROLE}", "--output", "json",
            "--report", str(report)])

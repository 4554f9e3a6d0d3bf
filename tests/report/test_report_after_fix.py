"""S1's report after the fix: with s3:PutEncryptionConfiguration added to the execution roles, the
same run across 2 accounts x 2 Regions succeeds and its report is all green, with no cause group."""

import json

from xacct.results.report import build_report
from xacct.store import Store

from .conftest import IDS, TOKYO, VIRGINIA, run_s1

EXEC_ROLE = "AWS-SystemsManager-AutomationExecutionRole"


def test_after_the_fix_every_cell_is_green(s1_run, tmp_path):
    from xacct.sandbox.embedded import SandboxCloud

    store, _, _, _ = s1_run
    management, a, b = IDS
    cloud = SandboxCloud(TOKYO, account=management)
    for account in (a, b):  # the fix the report's cause group gives
        cloud.client("iam", "us-east-1", cloud.operator(account)).put_role_policy(
            RoleName=EXEC_ROLE, PolicyName="EncryptBuckets", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration",
                                                        "Resource": "arn:aws:s3:::*"}]}))
    page = tmp_path / "fixed.html"
    result = run_s1(store, page)
    assert result.exit_code == 0, result.output
    run_id = json.loads(result.stdout)["AutomationExecution"]["AutomationExecutionId"]
    report = build_report(Store(store), run_id)
    assert {key: cell.status for key, cell in report.cells.items()} == {
        (account, region): "Success" for account in (a, b) for region in (TOKYO, VIRGINIA)}
    assert report.causes == []
    assert page.read_text().count('class="cell s-Success"') == 4

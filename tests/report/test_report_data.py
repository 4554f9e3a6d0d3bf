"""The report's data and page, without a browser: the matrix, the cause groups, masking, `xacct
report`, `xacct run --report`, and the size of a 1,000-target report."""

import json
import re

from click.testing import CliRunner

from xacct.cli import cli
from xacct.results.causes import general
from xacct.results.masking import MASK, Masker
from xacct.results.report import build_report
from xacct.results.report_html import render
from xacct.store import Store

from .conftest import IDS, TOKYO, VIRGINIA
from .synthetic import PASSWORD, fanout_store

SIZE_LIMIT = 5 * 1024 * 1024


def test_s1_matrix_has_one_failed_cell_per_target_location(s1_run):
    store, run_id, _, _ = s1_run
    report = build_report(Store(store), run_id[:8])
    _, a, b = IDS
    assert report.accounts == [a, b] and report.regions == [TOKYO, VIRGINIA]
    assert {key: (cell.counts, cell.status) for key, cell in report.cells.items()} == {
        (account, region): ({"Failed": 1}, "Failed") for account in (a, b) for region in (TOKYO, VIRGINIA)}
    assert report.parent.runbook == "AWS-EnableS3BucketEncryption" and report.parent.status == "Failed"
    assert report.parent.executed_by.startswith(f"arn:aws:iam::{IDS[0]}:user/")
    assert report.parent.rate_control["TargetLocations"][0]["TargetLocationMaxConcurrency"] == "2"


def test_s1_failures_are_one_cause_group_with_its_fix_and_finding(s1_run):
    store, run_id, _, _ = s1_run
    report = build_report(Store(store), run_id)
    [cause] = report.causes
    assert len(cause.targets) == 4
    assert "PutBucketEncryption" in cause.text and "s3:PutEncryptionConfiguration" in cause.text
    assert "{account}" in cause.text and IDS[1] not in cause.text  # target-specific parts generalized
    assert "is not authorized to perform: s3:PutEncryptionConfiguration" in cause.aws_text
    assert '"Action": "s3:PutEncryptionConfiguration"' in cause.fix
    assert cause.finding == "D301"
    for target in report.targets:  # each target keeps its own, concrete text and steps
        assert f"logs-{target.account}-{target.region}" in target.failure
        assert "PutBucketEncryption" in [s.name for s in target.steps]
        [encrypt] = [s for s in target.steps if s.name == "PutBucketEncryption"]
        assert encrypt.status == "Failed" and encrypt.seconds is not None and encrypt.finding == "D301"
        assert encrypt.inputs["Bucket"] == f'"logs-{target.account}-{target.region}"'


def test_run_report_option_writes_the_page_of_the_run(s1_run):
    store, run_id, report, result = s1_run
    page = report.read_text()
    assert f"Report written to {report}" in result.output
    assert run_id in page and page.count('class="cell s-Failed"') == 4
    assert "s3:PutEncryptionConfiguration" in page and "D301" in page
    assert not re.search(r"""<(link|img|script)[^>]+(src|href)=["']?https?:""", page)  # nothing from the network


def test_report_command_writes_the_same_page_and_refuses_an_unknown_id(s1_run, tmp_path):
    store, run_id, _, _ = s1_run
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["--store", str(store), "report", run_id[:8], "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Report written to {out}" in result.output and run_id in out.read_text()
    missing = CliRunner().invoke(cli, ["--store", str(store), "report", "nope-nope", "-o", str(tmp_path / "x.html")])
    assert missing.exit_code == 1 and "AutomationExecutionNotFoundException" in missing.output
    assert not (tmp_path / "x.html").exists()


def test_the_page_shows_the_same_data_as_executions_show(s1_run):
    store, run_id, _, _ = s1_run
    shown = json.loads(CliRunner().invoke(cli, ["--store", str(store), "executions", "show", run_id,
                                                "--output", "json"]).stdout)
    report = build_report(Store(store), run_id)
    children = {c["AutomationExecutionId"] for c in shown["ChildExecutions"]}
    in_report = {s.execution_id for t in report.targets for s in t.steps}
    assert in_report == children
    assert [t.name for t in report.targets] == [s["StepName"] for s in shown["AutomationExecution"]["StepExecutions"]]


def test_secrets_are_masked_by_name_and_scrubbed_everywhere():
    masker = Masker()
    masker.learn({"DbPassword": ["s3cr3t-value"], "ApiToken": "tok-123456", "Name": ["web"]})
    assert masker.values({"DbPassword": ["s3cr3t-value"], "Name": ["web"], "KmsKeyId": ["k"]}) == {
        "DbPassword": MASK, "Name": ["web"], "KmsKeyId": MASK}
    assert masker.text("login failed for s3cr3t-value") == f"login failed for {MASK}"
    assert masker.value("Body", '{"secret": "x", "user": "u", "note": "tok-123456"}') == (
        f'{{"secret":"{MASK}","user":"u","note":"{MASK}"}}')
    assert "zzz" not in masker.text("{{ssm-secure:zzz}}")


def test_text_is_escaped_into_html(tmp_path):
    store, parent = fanout_store(tmp_path / "x.db", targets=2)
    store.append(parent, "StepFinished", f"{800000000000:012d}_us-east-1",  # a target whose child succeeded
                 {"StepStatus": "Failed", "FailureMessage": "<script>alert(1)</script> & </details>"})
    page = render(build_report(store, parent))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/details&gt;" in page


def test_a_thousand_targets_stay_under_5_mb_and_no_secret_leaks(tmp_path):
    store, parent = fanout_store(tmp_path / "big.db", targets=1000)
    report = build_report(store, parent)
    assert len(report.targets) == 1000 and len(report.cells) == 1000
    [cause] = report.causes
    assert len(cause.targets) == 334 and cause.finding == "D301"
    page = render(report)
    size = len(page.encode("utf-8"))
    print(f"1,000-target report: {size / 1024 / 1024:.2f} MB")
    assert size < SIZE_LIMIT
    assert PASSWORD not in page and report.parent.parameters["DbPassword"] == MASK


def test_general_replaces_what_differs_between_targets():
    assert general("arn:aws:iam::123456789012:role/x in eu-west-1 by 3f2c0000-0000-4000-8000-000000000000 on "
                   "i-0123456789abcdef0") == "arn:aws:iam::{account}:role/x in {region} by {id} on {resource-id}"

"""`xacct run --profile P` in AWS mode against `xacct sandbox serve`, as if it were AWS: SSM (the
served sandbox) runs the runbook; xacct publishes it, follows the run, gathers every target's
steps from the member accounts into its own store and explains each failure. Stories S0 and S1,
an MFA profile, and a run followed again after xacct was killed."""

import json
import re
import signal
import time

import pyotp
import pytest

from tests.delegate.served import SEED, boto_ssm, served_subprocess

REGION = "ap-northeast-1"
UNABLE = ("The execution role arn:aws:iam::810000000002:role/AWS-SystemsManager-AutomationExecutionRole in the "
          "target location is unable to be assumed.")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with served_subprocess(tmp_path_factory.mktemp("delegate")) as served:
        yield served


def execution_id(stdout: str) -> str:
    return re.search(r"^Execution ([0-9a-f-]{36}) of ", stdout, re.M).group(1)


def test_s0_unshared_fails_with_ssms_text_and_the_finding_then_shared_it_succeeds(served):
    failed = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                          "--accounts", "810000000002", "--poll-seconds", "0.2")
    assert failed.returncode == 1, failed.stderr
    assert "Runbook deploy (version 1) created from deploy.yaml in 810000000001 ap-northeast-1" in failed.stdout
    assert "not shared by xacct with 810000000002" in failed.stdout
    assert UNABLE in failed.stdout
    assert "why (D101): share: the runbook deploy is owned by 810000000001 and not shared with 810000000002" \
        in failed.stdout
    assert ("fix: aws ssm modify-document-permission --name deploy --permission-type Share --account-ids-to-add "
            "810000000002 --region ap-northeast-1") in failed.stdout
    first = execution_id(failed.stdout)
    parent = served.show(first)["AutomationExecution"]
    [target] = parent["StepExecutions"]
    assert target["FailureMessage"] == UNABLE
    assert target["xacct:Explanation"]["finding"] == "D101"

    shared = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                          "--accounts", "810000000002", "--share", "--poll-seconds", "0.2")
    assert shared.returncode == 0, shared.stdout + shared.stderr
    assert "Runbook deploy (version 1) unchanged" in shared.stdout
    assert "Shared deploy with 810000000002 in ap-northeast-1" in shared.stdout
    second = execution_id(shared.stdout)
    # the executions are SSM's: the endpoint lists them, under the IDs xacct recorded
    listed = boto_ssm(served, REGION).describe_automation_executions(
        Filters=[{"Key": "ExecutionId", "Values": [first, second]}])["AutomationExecutionMetadataList"]
    assert {m["AutomationExecutionId"]: m["AutomationExecutionStatus"] for m in listed} == {
        first: "Failed", second: "Success"}
    tree = served.show(second)
    [child] = tree["ChildExecutions"]
    assert child["ParentAutomationExecutionId"] == second
    assert [(s["StepName"], s["StepStatus"]) for s in child["StepExecutions"]] == [
        ("pause", "Success"), ("whoAmI", "Success")]
    assert child["StepExecutions"][1]["Outputs"]["Arn"][0].startswith(
        "arn:aws:sts::810000000002:assumed-role/AWS-SystemsManager-AutomationExecutionRole/")
    assert tree["AutomationExecution"]["StepExecutions"][0]["xacct:ChildExecutionId"] == child["AutomationExecutionId"]


def test_s1_missing_permission_in_two_accounts_and_two_regions_every_childs_steps_are_central(served):
    ran = served.xacct("run", "encrypt.yaml", "--profile", "central-ops", "--region", REGION,
                       "--accounts", "810000000002,810000000003", "--regions", "ap-northeast-1,us-east-1",
                       "--max-concurrency", "4", "--max-errors", "4", "--share", "--poll-seconds", "0.2")
    assert ran.returncode == 1, ran.stderr
    assert ran.stdout.count("why (D301): identity:") == 4
    tree = served.show(execution_id(ran.stdout))
    children = tree["ChildExecutions"]
    assert sorted((c["AutomationExecutionId"] in {s.get("xacct:ChildExecutionId") for s in
                                                  tree["AutomationExecution"]["StepExecutions"]})
                  for c in children) == [True] * 4
    places = set()
    for child in children:
        [step] = child["StepExecutions"]
        assert step["StepName"] == "encryptBucket" and step["StepStatus"] == "Failed"
        assert "(AccessDenied) when calling the PutBucketEncryption operation" in step["FailureMessage"]
        assert "s3:PutEncryptionConfiguration" in step["FailureMessage"]
        assert step["StepExecutionId"]  # SSM's own, as the member account keeps it
        account = step["FailureMessage"].split("arn:aws:sts::")[1][:12]
        places.add((account, step["FailureMessage"].split("arn:aws:s3:::logs-")[1].split(" ")[0][13:]))
    assert places == {(a, r) for a in ("810000000002", "810000000003") for r in ("ap-northeast-1", "us-east-1")}
    explained = [s["xacct:Explanation"] for s in tree["AutomationExecution"]["StepExecutions"]]
    assert {e["finding"] for e in explained} == {"D301"}


def test_an_mfa_profile_asks_for_the_code_once_for_the_whole_run(served):
    with open(served.folder / "config", "a") as config:
        config.write(f"\n[profile central-mfa]\nrole_arn = arn:aws:iam::810000000001:role/operator-mfa\n"
                     f"source_profile = central-ops\nmfa_serial = arn:aws:iam::810000000001:mfa/ops\n"
                     f"region = {REGION}\nendpoint_url = {served.endpoint}\n")
    # the endpoint comes from the profile, as the AWS CLI reads it: botocore's assume-role provider
    # asks STS there too (--endpoint-url would not reach it, for xacct as for the AWS CLI)
    ran = served.xacct("run", "deploy.yaml", "--profile", "central-mfa", "--accounts", "810000000002", "--regions", "ap-northeast-1,us-east-1", "--share",
                       "--max-concurrency", "2", "--poll-seconds", "0.2", stdin=pyotp.TOTP(SEED).now() + "\n",
                       new_session=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stderr.count("Enter MFA code for arn:aws:iam::810000000001:mfa/ops") == 1
    assert "from 810000000001 ap-northeast-1, run by SSM" in ran.stdout
    tree = served.show(execution_id(ran.stdout))
    assert tree["AutomationExecution"]["ExecutedBy"].startswith(
        "arn:aws:sts::810000000001:assumed-role/operator-mfa/")
    assert len(tree["ChildExecutions"]) == 2


def test_killed_mid_run_then_followed_again_nothing_is_lost(served):
    run = served.popen("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                       "--accounts", "810000000002,810000000003", "--share", "-p", "PauseSeconds=PT2S",
                       "--poll-seconds", "0.2")
    first = run.stdout.readline()
    while not first.startswith("Execution "):
        assert first, run.stderr.read()
        first = run.stdout.readline()
    started = execution_id(first)
    time.sleep(1.0)  # the first target is pausing in its account
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    run.stdout.close()
    run.stderr.close()

    followed = served.xacct("executions", "follow", started[:8], "--poll-seconds", "0.2")
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert f"Following {started} in 810000000001 ap-northeast-1" in followed.stdout
    tree = served.show(started)
    assert tree["AutomationExecution"]["AutomationExecutionStatus"] == "Success"
    assert len(tree["ChildExecutions"]) == 2
    for child in tree["ChildExecutions"]:
        assert [(s["StepName"], s["StepStatus"]) for s in child["StepExecutions"]] == [
            ("pause", "Success"), ("whoAmI", "Success")]
    # as SSM says, step for step; recorded once each
    ssm = boto_ssm(served, REGION)
    assert [s["StepName"] for s in tree["AutomationExecution"]["StepExecutions"]] == [
        s["StepName"] for s in ssm.get_automation_execution(AutomationExecutionId=started)
        ["AutomationExecution"]["StepExecutions"]]
    import sqlite3

    with sqlite3.connect(served.store) as db:  # each child's steps recorded once, by the one who read them
        finished = db.execute("SELECT e.execution_id, COUNT(*) FROM events e JOIN executions x USING (execution_id) "
                              "WHERE x.parent_id = ? AND e.type = 'StepFinished' GROUP BY e.execution_id",
                              (started,)).fetchall()
    assert sorted(count for _, count in finished) == [2, 2]
    again = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--attach", started, "--output", "json",
                         "--poll-seconds", "0.2")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["AutomationExecution"] == tree["AutomationExecution"]


def test_stop_in_aws_mode_is_ssms_stop(served):
    run = served.popen("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                       "-p", "PauseSeconds=PT30S", "--poll-seconds", "0.2")
    line = run.stdout.readline()
    while not line.startswith("Execution "):
        assert line, run.stderr.read()
        line = run.stdout.readline()
    started = execution_id(line)
    stopped = served.xacct("stop", started[:8])
    assert stopped.returncode == 0, stopped.stderr
    assert f"Asked SSM to stop {started} (Cancel)" in stopped.stdout
    out, err = run.communicate(timeout=60)
    assert run.returncode == 1, err
    assert f"Execution {started}: Cancelled" in out


def started_line(run) -> str:
    line = run.stdout.readline()
    while not line.startswith("Execution "):
        assert line, run.stderr.read()
        line = run.stdout.readline()
    return execution_id(line)


def test_signal_in_aws_mode_is_ssms_send_automation_signal(served):
    run = served.popen("run", "hold.yaml", "--profile", "central-ops", "--region", REGION, "--poll-seconds", "0.2")
    started = started_line(run)
    ssm = boto_ssm(served, REGION)
    for _ in range(200):  # SSM's word that the step waits
        steps = ssm.get_automation_execution(AutomationExecutionId=started)["AutomationExecution"]["StepExecutions"]
        if steps and steps[0]["StepStatus"] == "Waiting":
            break
        time.sleep(0.05)
    sent = served.xacct("signal", started, "--resume")
    assert sent.returncode == 0, sent.stderr
    assert f"Sent Resume to {started}" in sent.stdout
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, out + err
    assert [(s["StepName"], s["StepStatus"]) for s in served.show(started)["AutomationExecution"]["StepExecutions"]] \
        == [("hold", "Success"), ("whoAmI", "Success")]


def test_a_member_that_cannot_be_read_is_named_with_awss_text_and_the_parents_view_kept(served):
    ran = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                       "--accounts", "810000000002", "--share", "--read-role-name", "NoSuchReadRole",
                       "--poll-seconds", "0.2")
    assert ran.returncode == 0, ran.stdout + ran.stderr  # SSM's run succeeded; only xacct's reading failed
    assert ("could not read 810000000002 ap-northeast-1: cannot assume NoSuchReadRole in 810000000002 to read it: "
            "An error occurred (AccessDenied) when calling the AssumeRole operation:") in ran.stdout
    tree = served.show(execution_id(ran.stdout))
    assert tree["ChildExecutions"] == []
    [target] = tree["AutomationExecution"]["StepExecutions"]
    assert target["StepStatus"] == "Success" and target["Outputs"]["ExecutionId"]  # as the parent shows it
    assert "NoSuchReadRole" in target["xacct:Unreadable"]
    assert tree["AutomationExecution"]["xacct:Unreadable"][0]["Account"] == "810000000002"


def test_tags_reach_ssm_and_the_endpoint_finds_the_run_by_tag_key(served):
    ran = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                       "--tags", "Key=Change,Value=CHG-0042", "--tags", "team=platform", "--poll-seconds", "0.2")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    started = execution_id(ran.stdout)
    ssm = boto_ssm(served, REGION)
    for key in ("Change", "team"):
        listed = ssm.describe_automation_executions(
            Filters=[{"Key": "TagKey", "Values": [key]}])["AutomationExecutionMetadataList"]
        assert started in {m["AutomationExecutionId"] for m in listed}
    bad = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION, "--tags", "Key=,Value=x")
    assert bad.returncode == 2 and "--tags" in bad.stderr and "Traceback" not in bad.stderr


def test_step_logs_of_every_target_are_written_in_its_account(served):
    """--log-group in AWS mode: the parent's log in the central account, each target's execution's
    log in its own account and Region, written through the read role (here the execution role)."""
    import botocore.session

    ran = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION,
                       "--accounts", "810000000002", "--share", "--log-group", "xacct/steps", "--poll-seconds", "0.2")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "not written" not in ran.stderr, ran.stderr
    tree = served.show(execution_id(ran.stdout))
    [child] = tree["ChildExecutions"]
    session = botocore.session.Session(profile="central-ops")
    session.set_config_variable("config_file", served.env["AWS_CONFIG_FILE"])
    session.set_config_variable("credentials_file", served.env["AWS_SHARED_CREDENTIALS_FILE"])
    role = session.create_client("sts", region_name=REGION).assume_role(
        RoleArn="arn:aws:iam::810000000002:role/AWS-SystemsManager-AutomationExecutionRole",
        RoleSessionName="check-logs")["Credentials"]
    logs = session.create_client("logs", region_name=REGION, aws_access_key_id=role["AccessKeyId"],
                                 aws_secret_access_key=role["SecretAccessKey"], aws_session_token=role["SessionToken"])
    events = logs.get_log_events(logGroupName="xacct/steps", logStreamName=child["AutomationExecutionId"])["events"]
    lines = [e["message"] for e in events]
    assert any(line.startswith("step whoAmI Success after ") for line in lines), lines
    assert lines[-1] == "execution Success", lines  # written when SSM's record ends the execution

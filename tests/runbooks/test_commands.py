"""`--runbooks DIR` and XACCT_RUNBOOKS on run, doctor, validate and runbooks list/check, in this
process (CliRunner, the embedded sandbox); bad input answered with a message and exit status 2."""

import json

from click.testing import CliRunner

from tests.runbooks.documents import write_folder
from xacct.cli import cli

PARENT = """\
schemaVersion: '0.3'
mainSteps:
  - name: child
    action: aws:executeAutomation
    inputs:
      DocumentName: Example-Thing0002
"""


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_run_finds_a_folder_runbook_by_name(tmp_path):
    write_folder(tmp_path / "rb", 4)
    result = invoke("--store", str(tmp_path / "x.db"), "run", "Example-Thing0002", "--runbooks", str(tmp_path / "rb"),
                    "--region", "eu-west-3", "--output", "json")
    assert result.exit_code == 0, result.stderr
    execution = json.loads(result.stdout)["AutomationExecution"]
    assert execution["DocumentName"] == "Example-Thing0002"
    assert execution["Outputs"]["whoAmI.Account"] == ["111111111111"]


def test_execute_automation_finds_one_through_the_environment(tmp_path):
    write_folder(tmp_path / "rb", 4)
    (tmp_path / "other").mkdir()
    (tmp_path / "parent.yaml").write_text(PARENT)
    result = invoke("--store", str(tmp_path / "x.db"), "run", str(tmp_path / "parent.yaml"),
                    env={"XACCT_RUNBOOKS": f"{tmp_path / 'other'}:{tmp_path / 'rb'}"})
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Execution" in result.stdout and "Success" in result.stdout


def test_without_the_folder_the_name_does_not_exist(tmp_path):
    result = invoke("--store", str(tmp_path / "x.db"), "run", "Example-Thing0002")
    assert result.exit_code == 2
    assert "Example-Thing0002 does not exist" in result.stderr


def test_a_folder_that_is_not_one_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    for args in (["run", "AWS-CreateImage"], ["doctor", "AWS-CreateImage"], ["runbooks", "list"],
                 ["sandbox", "serve", "--world", "w.yaml"]):
        result = invoke(*args, "--runbooks", str(tmp_path / "missing"))
        assert result.exit_code == 2, args
        assert result.stderr.strip() == f"xacct: --runbooks: {tmp_path / 'missing'}: no such folder", args


def test_pull_needs_names_or_all_and_a_profile_that_exists(tmp_path):
    result = invoke("runbooks", "pull")
    assert result.exit_code == 2 and "name the documents to pull, or give --all" in result.stderr
    result = invoke("runbooks", "pull", "--all", "--profile", "no-such-profile", "--region", "us-east-1",
                    env={"AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")})
    assert result.exit_code == 2
    assert result.stderr.strip() == "xacct: The config profile (no-such-profile) could not be found"


def test_list_says_where_each_comes_from_and_what_it_shadows(tmp_path):
    write_folder(tmp_path / "rb", 2)
    (tmp_path / "rb" / "AWS-StopEC2Instance.json").write_text((tmp_path / "rb" / "Example-Thing0000.json").read_text())
    (tmp_path / "rb" / "notes.yaml").write_text("just: notes\n")
    result = invoke("runbooks", "list", "--runbooks", str(tmp_path / "rb"), "--output", "json")
    rows = json.loads(result.stdout)
    served = {(d["Name"], d["Source"]): d["Served"] for d in rows["Documents"]}
    assert served[("AWS-StopEC2Instance", str(tmp_path / "rb"))] and not served[("AWS-StopEC2Instance", "xacct")]
    assert served[("AWS-CreateImage", "xacct")] and served[("Example-Thing0001", str(tmp_path / "rb"))]
    assert [s["Path"] for s in rows["Skipped"]] == [str(tmp_path / "rb" / "notes.yaml")]
    text = invoke("runbooks", "list", "--runbooks", str(tmp_path / "rb")).stdout
    assert "shadowed" in text and "(1 files are not documents: --skipped lists them)" in text


BAD = """\
schemaVersion: '0.3'
assumeRole: '{{ AutomationAssumeRole }}'
parameters:
  AutomationAssumeRole: {type: String, default: 'arn:aws:iam::111111111111:role/Example-NoSuchRole'}
  Size: {type: Integer, default: 'big'}
mainSteps:
  - name: first
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: DescribeInstances}
  - name: second
    action: aws:noSuchAction
"""
DESCRIBE = """\
schemaVersion: '0.3'
mainSteps:
  - name: first
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: DescribeInstances}
"""


def test_check_prints_a_row_per_runbook(tmp_path):
    write_folder(tmp_path / "rb", 2)
    (tmp_path / "rb" / "Example-Broken.yaml").write_text(BAD)
    (tmp_path / "rb" / "Example-Describe.yaml").write_text(DESCRIBE)
    result = invoke("runbooks", "check", "--runbooks", str(tmp_path / "rb"), "--output", "json")
    rows = {r["Name"]: r for r in json.loads(result.stdout)}
    assert result.exit_code == 1  # Example-Broken fails
    # GetCallerIdentity needs no permission (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
    assert rows["Example-Thing0000"]["Passed"] and rows["Example-Thing0000"]["FirstStep"] == "none"
    assert rows["Example-Describe"]["Passed"] and rows["Example-Describe"]["FirstStep"] == "ok: ec2:DescribeInstances"
    assert rows["Example-Thing0001"]["Passed"] and rows["Example-Thing0001"]["FirstStep"] == "none"
    assert rows["AWS-CreateImage"]["Parameters"] == "needs InstanceId" and rows["AWS-CreateImage"]["Passed"]
    broken = rows["Example-Broken"]
    assert not broken["Passed"]
    assert broken["AssumeRole"].startswith("refused: ")
    assert broken["Validation"] != "ok" or broken["Parameters"] != "ok"
    table = invoke("runbooks", "check", "Example-Thing0000", "--runbooks", str(tmp_path / "rb"))
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split() == [
        "NAME", "VERSION", "SOURCE", "VALIDATION", "PARAMETERS", "ASSUME", "ROLE", "FIRST", "STEP"]
    unknown = invoke("runbooks", "check", "Example-Nothing")
    assert unknown.exit_code == 2 and "no AWS-owned runbook named Example-Nothing" in unknown.stderr


def test_validate_checks_the_folder_as_the_sandbox_reads_it(tmp_path):
    write_folder(tmp_path / "rb", 2)
    (tmp_path / "rb" / "Example-Broken.yaml").write_text(BAD)
    result = invoke("validate", "--runbooks", str(tmp_path / "rb"), "--output", "json")
    assert result.exit_code == 1
    assert {f["path"] for f in json.loads(result.stdout)} == {str(tmp_path / "rb" / "Example-Broken.yaml")}
    assert invoke("validate").exit_code == 2


def test_doctor_reads_a_folder_runbook(tmp_path):
    write_folder(tmp_path / "rb", 2)
    result = invoke("doctor", "Example-Thing0000", "--runbooks", str(tmp_path / "rb"))
    assert result.exit_code == 0, result.stdout + result.stderr

"""Issue 14's "done when", end to end: `xacct sandbox serve --runbooks DIR` of 500 runbooks
written for the test; the AWS CLI pages through all of them as Owner Amazon, reads them as
written or converted, and starts any of them by name; `xacct runbooks pull` copies them from the
served sandbox into an empty catalogue with progress, is interrupted, and resumes."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import yaml

from tests.runbooks.documents import YAML_RUNBOOK, write_folder
from tests.runbooks.serving import ACCOUNT, PROFILE, client_environment, served_runbooks

AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
COUNT = 500
XACCT_AUTOMATION = 6  # xacct's own Automation runbooks (and one Command document)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served-catalogue")
    names = write_folder(folder / "runbooks", COUNT)
    with served_runbooks(folder / "runbooks", folder) as (env, endpoint, first_line):
        yield env, endpoint, folder, names, first_line


def aws(env, *args):
    result = subprocess.run([AWS, *args, "--profile", PROFILE, "--region", "us-east-1", "--output", "json"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def test_the_server_says_how_many_documents_it_serves(served):
    *_, first_line = served
    assert first_line.endswith(f"with {COUNT + XACCT_AUTOMATION + 1} AWS-owned documents")


@pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")
def test_the_aws_cli_pages_through_all_of_them(served):
    env, _, _, names, _ = served
    listed = aws(env, "ssm", "list-documents", "--filters", "Key=Owner,Values=Amazon",
                 "--query", "DocumentIdentifiers[].Name")
    assert sorted(listed) == listed and set(names) <= set(listed) and len(listed) == COUNT + XACCT_AUTOMATION + 1
    first = aws(env, "ssm", "list-documents", "--filters", "Key=Owner,Values=Amazon", "--max-items", "25")
    assert len(first["DocumentIdentifiers"]) == 25 and first["NextToken"]
    rest = aws(env, "ssm", "list-documents", "--filters", "Key=Owner,Values=Amazon", "--starting-token",
               first["NextToken"], "--query", "DocumentIdentifiers[].Name")
    assert [d["Name"] for d in first["DocumentIdentifiers"]] + rest == listed
    typed = aws(env, "ssm", "list-documents", "--filters", "Key=Owner,Values=Amazon",
                "Key=DocumentType,Values=Command", "--query", "DocumentIdentifiers[].Name")
    assert typed == ["AWS-RunShellScript"]


def test_boto3_pages_of_fifty(served):
    env, endpoint, folder, names, _ = served
    ssm = boto3.Session(profile_name=PROFILE, region_name="us-east-1",
                        botocore_session=_botocore_session(env)).client("ssm")
    pages = list(ssm.get_paginator("list_documents").paginate(
        Filters=[{"Key": "Owner", "Values": ["Amazon"]}, {"Key": "Name", "Values": ["Example-"]}],
        PaginationConfig={"PageSize": 50}))
    assert [len(p["DocumentIdentifiers"]) for p in pages] == [50] * 10
    assert [d["Name"] for p in pages for d in p["DocumentIdentifiers"]] == names
    assert {d["Owner"] for p in pages for d in p["DocumentIdentifiers"]} == {"Amazon"}


@pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")
def test_documents_come_as_written_or_converted(served):
    env, _, folder, _, _ = served
    written = (folder / "runbooks" / "Example-Thing0001.yaml").read_text()
    as_written = aws(env, "ssm", "get-document", "--name", "Example-Thing0001")
    assert as_written["DocumentFormat"] == "YAML" and as_written["Content"] == written
    as_json = aws(env, "ssm", "get-document", "--name", "Example-Thing0001", "--document-format", "JSON")
    assert as_json["DocumentFormat"] == "JSON" and json.loads(as_json["Content"]) == yaml.safe_load(written)
    described = aws(env, "ssm", "describe-document", "--name", "Example-Thing0001")["Document"]
    assert (described["Owner"], described["DocumentType"], described["DefaultVersion"]) == ("Amazon", "Automation", "1")
    assert described["Parameters"][0]["Name"] == "Seconds"
    versions = aws(env, "ssm", "list-document-versions", "--name", "Example-Thing0001")["DocumentVersions"]
    assert [(v["DocumentVersion"], v["IsDefaultVersion"]) for v in versions] == [("1", True)]


@pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")
def test_the_aws_cli_starts_them_by_name(served):
    env, *_ = served
    for name, outputs in (("Example-Thing0498", {"whoAmI.Account": [ACCOUNT]}), ("Example-Thing0499", {})):
        started = aws(env, "ssm", "start-automation-execution", "--document-name", name)
        execution = {}
        for _ in range(200):
            execution = aws(env, "ssm", "get-automation-execution", "--automation-execution-id",
                            started["AutomationExecutionId"])["AutomationExecution"]
            if execution["AutomationExecutionStatus"] not in ("Pending", "InProgress"):
                break
            time.sleep(0.05)
        assert execution["AutomationExecutionStatus"] == "Success", execution
        assert execution["DocumentName"] == name
        assert execution.get("Outputs", {}) == outputs


def test_pull_with_progress_interrupted_and_resumed(served, tmp_path):
    env, _, folder, names, _ = served
    env = {**client_environment(folder, tmp_path / "data")}
    shelf = tmp_path / "data" / "xacct" / "runbooks" / "us-east-1"
    command = [sys.executable, "-m", "xacct", "runbooks", "pull", "--all", "--profile", PROFILE, "--region", "us-east-1"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(2000):  # interrupt once some are stored
        if shelf.exists() and len(list(shelf.glob("*/*.metadata.json"))) >= 20 or first.poll() is not None:
            break
        time.sleep(0.01)
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert f"Pulling {COUNT + XACCT_AUTOMATION} documents from http://127.0.0.1:" in err
    assert "Interrupted; what was stored stays in" in err and "Traceback" not in err
    stored = len(list(shelf.glob("*/*.metadata.json")))
    assert 20 <= stored < COUNT + XACCT_AUTOMATION
    assert not list(shelf.glob("*/.partial-*"))

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().startswith(
        f"Stored {COUNT + XACCT_AUTOMATION - stored}, already there {stored}, failed 0 (us-east-1, ")
    assert "Pulling" in second.stderr
    # content as written, metadata as DescribeDocument gave it
    assert (shelf / "Example-Thing0007" / "1.yaml").read_text() == YAML_RUNBOOK.format(index=7)
    assert (shelf / "Example-Thing0008" / "1.json").read_text() == (folder / "runbooks" / "Example-Thing0008.json").read_text()
    metadata = json.loads((shelf / "Example-Thing0008" / "1.metadata.json").read_text())
    assert (metadata["Owner"], metadata["DocumentType"], metadata["Name"]) == ("Amazon", "Automation", "Example-Thing0008")

    listed = subprocess.run([sys.executable, "-m", "xacct", "runbooks", "list", "--region", "us-east-1",
                             "--output", "json"], env=env, capture_output=True, text=True, timeout=120)
    rows = {(r["Name"], r["Source"]): r for r in json.loads(listed.stdout)["Documents"]}
    assert rows[("Example-Thing0000", "pulled")]["Region"] == "us-east-1"
    assert rows[("AWS-CreateImage", "pulled")]["Served"] and not rows[("AWS-CreateImage", "xacct")]["Served"]
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.stdout.startswith(f"Stored 0, already there {COUNT + XACCT_AUTOMATION}, failed 0")

    # the pulled catalogue serves in the Region it came from, with no --runbooks
    run = [sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "run", "Example-Thing0010"]
    here = subprocess.run(run + ["--region", "us-east-1"], env=env, capture_output=True, text=True, timeout=120)
    assert here.returncode == 0 and "Success" in here.stdout, here.stderr
    elsewhere = subprocess.run(run + ["--region", "eu-west-1"], env=env, capture_output=True, text=True, timeout=120)
    assert elsewhere.returncode == 2
    assert "Example-Thing0010 does not exist" in elsewhere.stderr


def _botocore_session(env):
    import botocore.session

    session = botocore.session.Session()
    session.set_config_variable("config_file", env["AWS_CONFIG_FILE"])
    session.set_config_variable("credentials_file", env["AWS_SHARED_CREDENTIALS_FILE"])
    return session

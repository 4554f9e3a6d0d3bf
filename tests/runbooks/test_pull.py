"""The pull's own code against the sandbox over HTTP, in this process: throttled calls are
retried and nothing is lost; names are read at their default version; a name that does not exist
is reported with SSM's error, and the others are stored."""

import boto3
from botocore.config import Config

from tests.runbooks.documents import write_folder
from xacct.runbooks import Registry, Shelf, activate
from xacct.runbooks.pull import RETRIES, described, listed, pull
from xacct.sandbox.faults import FaultPlan

ACCOUNT = "612000000002"


def ssm_of(sandbox, region="us-east-1"):
    operator = sandbox.operator(ACCOUNT)
    return boto3.client("ssm", region_name=region, endpoint_url=sandbox.endpoint(),
                        aws_access_key_id=operator.access_key_id, aws_secret_access_key=operator.secret_access_key,
                        config=Config(retries=RETRIES))


def test_throttling_is_retried_and_nothing_is_lost(sandbox, tmp_path):
    names = write_folder(tmp_path / "rb", 12)
    activate([str(tmp_path / "rb")], pulled=False)
    ssm = ssm_of(sandbox)
    faults = FaultPlan(rate=0.2, seed=14)
    faults.attach(ssm)
    shelf = Shelf(str(tmp_path / "catalogue"))
    heard = []
    wanted = [w for w in listed(ssm) if w.name.startswith("Example-")]
    done = pull(ssm, shelf, "us-east-1", wanted, each=lambda item, outcome: heard.append((item.name, outcome)))
    assert faults.injected["throttled"] > 0
    assert sorted(done.stored) == names and not done.failed and not done.already
    assert heard == [(n, "stored") for n in names]
    served = {e.name: e for e in Registry(shelf=shelf).entries() if e.source == "pulled"}
    assert sorted(served) == names
    assert served["Example-Thing0003"].text == (tmp_path / "rb" / "Example-Thing0003.yaml").read_text()


def test_names_at_their_default_version_and_a_missing_name(sandbox, tmp_path):
    write_folder(tmp_path / "rb", 2)
    activate([str(tmp_path / "rb")], pulled=False)
    ssm = ssm_of(sandbox, "ap-southeast-2")
    wanted, missing = described(ssm, ["Example-Thing0001", "Example-Nothing"])
    assert [(w.name, w.version, w.fmt) for w in wanted] == [("Example-Thing0001", "1", "YAML")]
    assert missing == [("Example-Nothing", "InvalidDocument: The specified document does not exist.")]
    shelf = Shelf(str(tmp_path / "catalogue"))
    assert pull(ssm, shelf, "ap-southeast-2", wanted).stored == ["Example-Thing0001"]
    assert shelf.has("ap-southeast-2", "Example-Thing0001", "1") and not shelf.has("us-east-1", "Example-Thing0001", "1")
    assert pull(ssm, shelf, "ap-southeast-2", wanted).already == ["Example-Thing0001"]


def test_page_sizes_over_fifty_are_refused_in_process_as_over_http(sandbox, tmp_path):
    from botocore.exceptions import ClientError

    write_folder(tmp_path / "rb", 2)
    activate([str(tmp_path / "rb")], pulled=False)
    operator = sandbox.operator(ACCOUNT)
    for ssm in (sandbox.client("ssm", "us-east-1", operator), ssm_of(sandbox)):
        for call, args in ((ssm.list_documents, {"Filters": [{"Key": "Owner", "Values": ["Amazon"]}]}),
                           (ssm.list_document_versions, {"Name": "Example-Thing0001"})):
            try:
                call(MaxResults=51, **args)
            except ClientError as exc:
                assert exc.response["Error"]["Code"] == "ValidationException"
                assert "Member must have value less than or equal to 50" in exc.response["Error"]["Message"]
            else:
                raise AssertionError(f"{call} took MaxResults 51")

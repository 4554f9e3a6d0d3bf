"""Every real runbook of ../shared/corpus loads and validates without a crash, and gets an
error only where it really is wrong. Skipped when the corpus is not beside the project."""

import collections
from pathlib import Path

import pytest

from xacct.document.validate import expand_paths, validate_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FILES = sorted(expand_paths([str(CORPUS)])) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not there")

# Errors that are true of these documents as published. E4002: the Script of an aws:executeScript
# step is a build placeholder (%%SCRIPT=remediate.py%%) that the upstream build replaces with the
# file's code; left in, the step runs that text as Python and certainly fails (a SyntaxError).
# These are build templates: AWS publishes the built runbooks (ASR-*), not these files.
EXPECTED_ERRORS = {"E4002"}
# Warnings that are true of them: W4002 placeholders elsewhere (%%ROLE=...%% in a role name), and
# W6003: EncryptRDSSnapshot calls rds DeleteDBClusterSnapshot with DBSnapshotIdentifier, a
# parameter of DeleteDBSnapshot.
EXPECTED_WARNINGS = {"W4002", "W2012", "W6003", "W3003", "W4003", "W5001", "W5002", "W0011"}


@pytest.fixture(scope="module")
def results():
    return {path: validate_file(path) for path in FILES}


def test_corpus_is_all_there():
    assert len(FILES) == 199


def test_every_document_validates_without_internal_error(results):
    crashed = {p: f for p, fs in results.items() for f in fs if f.id in ("E0000", "E0001")}
    assert not crashed


def test_errors_are_only_true_ones(results):
    unexpected = [f.text() for findings in results.values() for f in findings
                  if f.severity == "error" and f.id not in EXPECTED_ERRORS]
    assert not unexpected, "\n".join(unexpected[:20])


def test_errors_are_script_placeholders(results):
    for findings in results.values():
        for f in findings:
            if f.id == "E4002":
                assert "%%SCRIPT=" in f.message, f.text()


def test_documents_without_script_placeholders_have_no_errors(results):
    """Before severity became a claim about AWS (docs/decisions/0015), 174 of the 199 documents
    had errors; the 167 left are those whose scripts are still build placeholders. The chaos
    documents' python3.6 scripts are W2012."""
    with_errors = [p for p, fs in results.items() if any(f.severity == "error" for f in fs)]
    assert len(with_errors) == 167
    clean = [p for p, fs in results.items() if not any(f.id in EXPECTED_ERRORS for f in fs)]
    counts = collections.Counter(f.id for p in clean for f in results[p])
    assert len(clean) == 199 - 167
    assert set(counts) <= EXPECTED_WARNINGS, counts


def test_doctor_judges_every_runbook_against_a_narrow_role(sandbox):
    """Each step of each real runbook mapped to its IAM actions and judged against a role with only
    AmazonSSMAutomationRole: no crash, and the actions that policy lacks are findings."""
    import json

    from xacct.document.loader import load_file
    from xacct.document.model import build_document
    from xacct.doctor import Checkup, Reader, diagnose
    from xacct.engine.documents import Runbook

    account = "760000000001"
    operator = sandbox.identity(sandbox.operator(account), "us-east-1")
    iam = sandbox.client("iam", "us-east-1", operator)
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="Narrow", AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="Narrow", PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole")
    given = {"AutomationAssumeRole": [f"arn:aws:iam::{account}:role/Narrow"]}
    flagged: dict[str, set] = collections.defaultdict(set)
    for path in FILES:
        for source in load_file(path).documents:
            runbook = Runbook(build_document(source), source.name or Path(path).stem, folder=".")
            checkup = Checkup(Reader(sandbox, operator, "us-east-1"), runbook, given, "us-east-1", operator)
            for finding in diagnose(checkup):
                assert finding.id == "D301", finding.text()
                flagged[Path(path).name].add(finding.statement["Action"])
    assert len(flagged) > 100
    assert "securityhub:BatchUpdateFindings" in set().union(*flagged.values())
    assert any("s3:PutEncryptionConfiguration" in actions for actions in flagged.values())

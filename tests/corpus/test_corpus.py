"""Every real runbook of ../shared/corpus loads and validates without a crash, and gets an
error only where it really is wrong. Skipped when the corpus is not beside the project."""

import collections
from pathlib import Path

import pytest

from xacct.document.validate import expand_paths, validate_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FILES = sorted(expand_paths([str(CORPUS)])) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not there")

# Errors that are true of these documents as published:
# - E4002: build placeholders (%%SCRIPT=...%%) the upstream build fills in;
# - E2012: python3.6 scripts, a runtime AWS no longer creates or runs;
# - E6003: EncryptRDSSnapshot calls rds DeleteDBClusterSnapshot with DBSnapshotIdentifier, a
#   parameter of DeleteDBSnapshot; the call fails parameter validation.
EXPECTED_ERRORS = {"E4002", "E2012"}
KNOWN_BUGS = {("EncryptRDSSnapshot.yaml", "E6003")}


@pytest.fixture(scope="module")
def results():
    return {path: validate_file(path) for path in FILES}


def test_corpus_is_all_there():
    assert len(FILES) == 199


def test_every_document_validates_without_internal_error(results):
    crashed = {p: f for p, fs in results.items() for f in fs if f.id in ("E0000", "E0001")}
    assert not crashed


def test_errors_are_only_true_ones(results):
    unexpected = [
        f.text()
        for path, findings in results.items()
        for f in findings
        if f.severity == "error" and f.id not in EXPECTED_ERRORS and (Path(path).name, f.id) not in KNOWN_BUGS
    ]
    assert not unexpected, "\n".join(unexpected[:20])


def test_documents_without_placeholders_or_retired_runtimes_are_clean(results):
    clean = [p for p, fs in results.items() if not any(f.id in EXPECTED_ERRORS for f in fs)]
    counts = collections.Counter(f.id for p in clean for f in results[p])
    assert len(clean) >= 20
    assert set(counts) <= {"E6003", "W3003", "W4003", "W5002", "W0011"}, counts

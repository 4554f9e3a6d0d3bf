"""`xacct validate` over many files: side by side in forked processes, with the same findings in
the same order as one file after another, and nothing lost when a worker dies."""

import os

import pytest
from click.testing import CliRunner

from xacct.cli import cli
from xacct.document import validate as validation

GOOD = """schemaVersion: '0.3'
mainSteps:
  - name: wait
    action: aws:sleep
    inputs:
      Duration: PT1S
"""
# An output that nobody declared: E4001 at line 6.
BROKEN = """schemaVersion: '0.3'
mainSteps:
  - name: wait
    action: aws:sleep
    inputs:
      Duration: '{{ nowhere.Output }}'
"""


@pytest.fixture
def folder(tmp_path):
    for i in range(40):
        (tmp_path / f"runbook-{i:02d}.yaml").write_text(BROKEN if i % 3 == 0 else GOOD)
    (tmp_path / "runbook-07.yaml").write_bytes(b"\xff\xfe not text")
    return tmp_path


def _lines(folder, *options):
    result = CliRunner().invoke(cli, ["validate", *options, str(folder)])
    return result.exit_code, result.stdout


def test_two_processes_find_what_one_finds_in_the_same_order(folder):
    one = _lines(folder, "--jobs", "1")
    two = _lines(folder, "--jobs", "2")
    assert one == two
    assert one[0] == 1
    paths = [line.split(":")[0] for line in one[1].splitlines()]
    assert paths == sorted(paths) and len(paths) >= 14


def test_results_come_in_the_order_of_the_paths(folder):
    paths = sorted(str(p) for p in folder.iterdir())[::-1]
    results = list(validation.validate_files(paths, jobs=2))
    assert [r.path for r in results] == paths
    assert sum(1 for r in results if r.findings) >= 14


def test_a_dying_worker_loses_no_file(folder, monkeypatch):
    """A worker killed mid-run (out of memory, say): the files it had not answered are validated
    in the parent, and every file is reported once."""
    parent = os.getpid()
    real = validation.validate_file

    def dies_in_a_worker(path):
        if os.getpid() != parent and path.endswith("runbook-20.yaml"):
            os._exit(9)
        return real(path)

    monkeypatch.setattr(validation, "validate_file", dies_in_a_worker)
    paths = sorted(str(p) for p in folder.iterdir())
    results = list(validation.validate_files(paths, jobs=2))
    assert [r.path for r in results] == paths
    assert [r.findings for r in results] == [list(validation.validate_files([p], jobs=1))[0].findings
                                             for p in paths]


def test_without_fork_files_are_validated_here(folder, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("no worker may be started where fork is not available")

    monkeypatch.setattr(validation.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(validation, "ProcessPoolExecutor", no_pool)
    paths = sorted(str(p) for p in folder.iterdir())
    assert [r.path for r in validation.validate_files(paths, jobs=4)] == paths


def test_an_unreadable_file_is_named_and_the_rest_checked(folder):
    missing = folder / "elsewhere" / "gone.yaml"
    result = CliRunner().invoke(cli, ["validate", "-j", "2", str(missing), str(folder)])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "gone.yaml" in result.stderr
    assert "runbook-07.yaml" in result.stdout and "runbook-39.yaml" in result.stdout


def test_jobs_must_be_a_positive_number(folder):
    result = CliRunner().invoke(cli, ["validate", "--jobs", "0", str(folder)])
    assert result.exit_code == 2
    assert "--jobs" in result.output

"""Shared fixtures: one embedded sandbox per test session (moto state is process-wide), and a
fresh store per test. The tests never read or write the developer's own data: the store and
the runbook catalogue live under a data folder of the session's own, and XACCT_RUNBOOKS is unset."""

import os
import shutil
import tempfile

import pytest


def pytest_configure(config):
    data = tempfile.mkdtemp(prefix="xacct-test-data-")
    config.add_cleanup(lambda: shutil.rmtree(data, ignore_errors=True))
    os.environ["XDG_DATA_HOME"] = data
    os.environ.pop("XACCT_RUNBOOKS", None)


@pytest.fixture(scope="session")
def sandbox():
    from xacct.sandbox.embedded import SandboxCloud

    return SandboxCloud("us-east-1")


@pytest.fixture
def store(tmp_path):
    from xacct.store import Store

    store = Store(tmp_path / "executions.db")
    yield store
    store.close()

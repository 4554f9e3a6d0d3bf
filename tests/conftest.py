"""Shared fixtures: one embedded sandbox per test session (moto state is process-wide), and a
fresh store per test."""

import pytest


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

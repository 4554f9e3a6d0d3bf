"""Every test here starts from xacct's own runbooks only, with a catalogue of its own (an empty
XDG_DATA_HOME), and leaves the process's registry as it found it."""

import pytest


@pytest.fixture(autouse=True)
def own_catalogue(tmp_path, monkeypatch):
    from xacct.runbooks import reset

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("XACCT_RUNBOOKS", raising=False)
    reset()
    yield tmp_path / "data" / "xacct" / "runbooks"
    reset()

"""Fuzzing world files: structure-aware mutants of the shipped worlds (tests/fuzz/worlds.py) are
built as `xacct run --world` builds them, each into a fresh sandbox: every one is built or refused
with findings at real places (exit status 2), never a traceback, and every build ends.

XACCT_FUZZ_EXAMPLES=1000 for a long campaign; the default keeps the run near a minute, as a build
takes up to a few seconds (median and maximum: tests/fuzz/worlds.py TIMINGS)."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.worlds import SEEDS, WORLDS, build_world_file

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="each build runs in a forked process")

EXAMPLES = int(os.environ.get("XACCT_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(data=WORLDS)
def test_a_mutated_world_is_built_or_refused(data):
    assert build_world_file(data) in ("built", "refused")


@settings(max_examples=max(1, EXAMPLES // 4), deadline=None)
@given(blob=st.binary(max_size=300))
def test_raw_bytes_are_refused(blob):
    assert build_world_file(blob) in ("built", "refused")


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_shipped_world_builds_in_the_fuzzers_sandbox(name):
    """The mutants' starting points build: a refusal found by the fuzzer is the mutation's."""
    from pathlib import Path

    from tests.fuzz.worlds import EXAMPLES as FOLDER

    assert build_world_file((Path(FOLDER) / "worlds" / name).read_bytes()) == "built"

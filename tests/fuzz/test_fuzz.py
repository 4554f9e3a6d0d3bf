"""Property-based fuzzing: mutated real documents, wrong types everywhere, hostile structure and
raw bytes never make the validator raise; every finding has a real position; `xacct validate
--output json` always prints JSON and never reports an internal error (E0000).

XACCT_FUZZ_EXAMPLES=5000 for a long campaign; the default keeps the suite fast."""

import os
import random

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xacct.document.loader import UnreadableInput, load_file
from xacct.document.validate import validate_text

from .trees import paths, replace

from .documents import DOCUMENTS, SEED_TEXTS, run_validate

EXAMPLES = int(os.environ.get("XACCT_FUZZ_EXAMPLES", "120"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
YAMLISH = st.text(alphabet=st.sampled_from(list(":{}[]-!&*#|>'\"\n\t %$ab01{}.,")), max_size=20)
TEXTS = SEED_TEXTS


def assert_sane(findings, text):
    lines = text.count("\n") + 2
    for f in findings:
        assert f.id != "E0000", f.text()
        assert 1 <= f.line <= lines + 1 and f.column >= 1, f.text()


@SETTINGS
@given(data=DOCUMENTS)
def test_every_document_gets_an_answer(data):
    """Hostile mutants of real documents through the command itself (see documents.py)."""
    assert run_validate(data) in (0, 1)


@SETTINGS
@given(index=st.integers(0, len(TEXTS) - 1), start=st.floats(0, 1), length=st.integers(0, 80), insert=YAMLISH)
def test_text_mutations(index, start, length, insert):
    text = TEXTS[index]
    at = int(start * len(text))
    mutated = text[:at] + insert + text[at + length:]
    assert_sane(validate_text(mutated, "m.yaml"), mutated)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.just("{{ x.y }}") | st.just("step:nowhere"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)






@SETTINGS
@given(index=st.integers(0, len(TEXTS) - 1), seed=st.integers(0, 2**32), values=st.lists(VALUES, min_size=1, max_size=5))
def test_wrong_types_everywhere(index, seed, values):
    data = yaml.safe_load(TEXTS[index].replace("!", "x"))
    rng = random.Random(seed)
    for value in values:
        data = replace(data, rng.choice(list(paths(data))), value)
    text = yaml.safe_dump(data, sort_keys=False)
    assert_sane(validate_text(text, "t.yaml"), text)


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(blob=st.binary(max_size=400))
def test_raw_bytes(blob, tmp_path_factory):
    path = tmp_path_factory.mktemp("bytes") / "blob.yaml"
    path.write_bytes(blob)
    try:
        loaded = load_file(str(path))
    except UnreadableInput:
        return
    for f in loaded.findings:
        assert f.line >= 1

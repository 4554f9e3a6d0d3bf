"""Structure-aware fuzzing of `xacct validate`: hostile mutants of real runbooks, and a way to
run the command on them as a user would.

`DOCUMENTS` is a hypothesis strategy of file contents (bytes). Each starts from a real document
(the shared corpus at ../shared/corpus, the seed 002 template, the bundled examples) and breaks
it the ways fuzzing found to matter: a node replaced by a value of the wrong type, nesting far
deeper than any runbook (JSON and YAML, flow and block), numbers of 5,000 digits or out of any
range, huge and negative timeoutSeconds, thousands of steps, nextStep cycles, references to
nowhere, control characters, bytes that are not UTF-8, the same document written as JSON,
anchors and aliases that expand exponentially, and allowedPatterns that backtrack against long
defaults.

`run_validate(data)` runs `xacct validate FILE --output json` in process and checks what every
input must get: no exception but SystemExit, valid JSON on stdout, no internal error (E0000).
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import traceback
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import strategies as st

from xacct.cli import cli

from .trees import paths, replace, value_at

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def _seed_paths() -> list[Path]:
    paths = sorted(CORPUS.rglob("*.y*ml")) if CORPUS.is_dir() else []
    paths.append(ROOT / "tests" / "fixtures" / "seed002-template.yaml")
    paths += sorted((ROOT / "src" / "xacct" / "examples").glob("*.yaml"))
    return paths


class _SeedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Reads the seeds into plain data, CloudFormation short forms as their long form, so the
    mutants can be written back as YAML or JSON."""


def _cfn(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}": value}


_SeedLoader.add_multi_constructor("!", _cfn)
# Dates stay text, as xacct reads them, so the JSON variants can be written.
_SeedLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)

SEED_PATHS = _seed_paths()
SEED_TEXTS = [p.read_text() for p in SEED_PATHS]
SEEDS = [yaml.load(text, Loader=_SeedLoader) for text in SEED_TEXTS]


# ---- values and places --------------------------------------------------------------------





def _runbooks(data):
    """The runbooks in a seed: the seed itself, or the Content mappings of a template."""
    if isinstance(data, dict) and isinstance(data.get("Resources"), dict):
        found = []
        for resource in data["Resources"].values():
            content = resource.get("Properties", {}).get("Content") if isinstance(resource, dict) else None
            if isinstance(content, dict) and isinstance(content.get("mainSteps"), list):
                found.append(content)
        return found
    return [data] if isinstance(data, dict) and isinstance(data.get("mainSteps"), list) else []


WRONG_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["{{ x.y }}", "step:nowhere", "", "Abort", "aws:branch", "0.3", "{{", "}}"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
REFERENCES_TO_NOWHERE = st.sampled_from([
    "{{ nowhere.Output }}", "{{ nowhere }}", "{{}}", "{{ }}", "{{ a.b.c.d }}", "{{ variable: }}",
    "{{ variable:Missing }}", "{{ global:NOPE }}", "{{ ssm:/x }}", "{{ RESOURCE_ID }}", "{{ {{ x }} }}",
    "%%SCRIPT=x.py%%", "{{ step:x }}", "{{" * 50, "}}{{", "{{ \u0000 }}",
])
CONTROL_CHARACTERS = st.sampled_from(
    [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\U0001f600"]
)
# Plain scalars YAML reads as numbers, timestamps and the like, some out of every range.
NUMBER_TEXTS = st.sampled_from([
    "9" * 5000, "-" + "9" * 5000, "1" + "0" * 4400 + ".5", "0x" + "f" * 5000, "0o" + "7" * 5000,
    "0b" + "1" * 20000, ":".join(["1"] + ["59"] * 3000), "1e999", "-1e999", "1e-999", ".nan", ".NaN", ".inf",
    "-.Inf", "9" * 400 + "e9999", "2026-13-45", "2026-02-30T25:61:61Z", "9999-12-31T23:59:60.999999999Z",
    "0000-00-00", "!!int abc", "!!float x", "!!bool maybe", "!!null x", "!!timestamp 2026-99-99",
    "!!binary '###'", "!!int 99999999999999999999999999999", "!!float 1e99999", "!!python/object x",
    "!!set {a, b}", "!!omap [a: 1]", "!!str", "!Ref", "!GetAtt", "!Sub", "1_000", "0:0", "+.inf",
])
TIMEOUTS = st.sampled_from([-1, 0, -(10**30), 10**30, 2**63, 2**64 + 1, 1e308, float("inf"), "600", True, [600]])


# ---- what a mutant is written as ------------------------------------------------------------

def _dump_yaml(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def _dump_json(data, indent) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False, default=str)


@st.composite
def _written(draw, data) -> str:
    """The data as text: block YAML, flow YAML, or JSON (compact, indented, or with tabs)."""
    form = draw(st.sampled_from(["yaml", "yaml", "flow", "json", "json-indent", "json-tabs"]))
    if form == "yaml":
        return _dump_yaml(data)
    if form == "flow":
        return yaml.safe_dump(data, default_flow_style=True, sort_keys=False, width=10_000)
    if form == "json":
        return _dump_json(data, None)
    return _dump_json(data, 2 if form == "json-indent" else "\t")


PLACEHOLDER = "xacct-fuzz-placeholder"


@st.composite
def _spliced(draw, data, texts) -> str:
    """The data written as block YAML, one scalar (or a whole node) replaced by raw `texts`
    so that values yaml.safe_dump cannot write (huge numbers, tags, deep flow nesting) appear."""
    path = draw(st.sampled_from(list(paths(data))))
    data = replace(data, path, PLACEHOLDER)
    return _dump_yaml(data).replace(PLACEHOLDER, draw(texts), 1)


# ---- the mutations ---------------------------------------------------------------------------

@st.composite
def seed(draw):
    return copy.deepcopy(SEEDS[draw(st.integers(0, len(SEEDS) - 1))])


@st.composite
def wrong_types(draw) -> str:
    data = draw(seed())
    for value in draw(st.lists(WRONG_VALUES, min_size=1, max_size=5)):
        data = replace(data, draw(st.sampled_from(list(paths(data)))), value)
    return draw(_written(data))


def _flow_nest(depth: int, kind: str) -> str:
    if kind == "json-array":
        return "[" * depth + "1" + "]" * depth
    if kind == "json-object":
        return '{"a": ' * depth + "1" + "}" * depth
    if kind == "yaml-flow":
        return "{a: [" * (depth // 2) + "x" + "]}" * (depth // 2)
    return "[" * depth  # unclosed: the parser only learns it is broken at the end


def _block_nest(depth: int, kind: str) -> str:
    if kind == "mapping":
        return "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"
    if kind == "sequence":
        return "- " * depth + "x\n"
    return "".join(" " * (2 * i) + "- a:\n" for i in range(depth // 2)) + " " * depth + "  x\n"


DEPTHS = st.sampled_from([50, 199, 200, 201, 999, 1000, 1001, 5000, 100_000])


@st.composite
def deep_nesting(draw) -> str:
    data = draw(seed())
    depth = draw(DEPTHS)
    where = draw(st.sampled_from(["inside", "whole", "top-level-key"]))
    if draw(st.booleans()):
        nest = _flow_nest(depth, draw(st.sampled_from(["json-array", "json-object", "yaml-flow", "unclosed"])))
        if where == "whole":
            return nest
        if where == "inside":
            return draw(_spliced(data, st.just(nest)))
        return _dump_yaml(data) + "deep: " + nest + "\n"
    depth = min(depth, 2500)  # block nesting grows with its square: 2,500 levels is ~3 MB
    nest = _block_nest(depth, draw(st.sampled_from(["mapping", "sequence", "both"])))
    if where == "whole":
        return nest
    return _dump_yaml(data) + "deep:\n" + "".join("  " + line + "\n" for line in nest.splitlines())


@st.composite
def big_numbers(draw) -> str:
    return draw(_spliced(draw(seed()), NUMBER_TEXTS))


@st.composite
def step_properties(draw) -> str:
    """timeoutSeconds, maxAttempts and the flow properties of steps set to extreme values."""
    data = draw(seed())
    for runbook in _runbooks(data):
        for step in runbook["mainSteps"]:
            if isinstance(step, dict):
                step[draw(st.sampled_from(["timeoutSeconds", "maxAttempts", "isEnd", "onFailure"]))] = draw(TIMEOUTS)
    return draw(_written(data))


@st.composite
def many_steps(draw) -> str:
    """The steps of a seed repeated into thousands, renamed so their references still resolve,
    chained by nextStep (forwards, backwards, or into cycles)."""
    data = draw(seed())
    count = draw(st.sampled_from([200, 1000, 3000]))
    shape = draw(st.sampled_from(["chain", "cycle", "self", "backwards", "nowhere"]))
    for runbook in _runbooks(data) or [{"mainSteps": []}]:
        originals = [s for s in runbook["mainSteps"] if isinstance(s, dict)] or [
            {"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]
        steps = []
        for i in range(count):
            step = copy.deepcopy(originals[i % len(originals)])
            step["name"] = f"{step.get('name')}_{i}"
            target = {"chain": i + 1, "cycle": (i + 1) % count, "self": i, "backwards": i - 1}.get(shape)
            if shape == "nowhere":
                step["nextStep"] = f"nowhere_{i}"
            elif target is not None and 0 <= target < count:
                step["nextStep"] = f"{originals[target % len(originals)].get('name')}_{target}"
            step.pop("isEnd", None)
            steps.append(step)
        runbook["mainSteps"] = steps
    return draw(_written(data))


@st.composite
def cyclic_flow(draw) -> str:
    data = draw(seed())
    for runbook in _runbooks(data):
        steps = [s for s in runbook["mainSteps"] if isinstance(s, dict)]
        for i, step in enumerate(steps):
            step.pop("isEnd", None)
            step["nextStep"] = steps[draw(st.integers(0, max(0, i)))].get("name")
    return draw(_written(data))


@st.composite
def dangling_references(draw) -> str:
    data = draw(seed())
    strings = [p for p in paths(data) if p and isinstance(value_at(data, p), str)]
    for _ in range(draw(st.integers(1, 5))):
        if strings:
            path = draw(st.sampled_from(strings))
            old = value_at(data, path)
            data = replace(data, path, old + draw(REFERENCES_TO_NOWHERE))
    return draw(_written(data))




@st.composite
def control_characters(draw) -> str:
    """Control characters in string values (escaped by the writer) or raw in the text."""
    if draw(st.booleans()):
        data = draw(seed())
        strings = [p for p in paths(data) if p and isinstance(value_at(data, p), str)]
        for _ in range(draw(st.integers(1, 4))):
            if strings:
                path = draw(st.sampled_from(strings))
                data = replace(data, path, value_at(data, path) + draw(CONTROL_CHARACTERS))
        return draw(_written(data))
    text = SEED_TEXTS[draw(st.integers(0, len(SEED_TEXTS) - 1))]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(CONTROL_CHARACTERS) + text[at:]
    return text


@st.composite
def alias_bombs(draw) -> str:
    """Billion laughs (each level ten aliases of the one before) and merge-key bombs, alone or
    under a runbook's steps."""
    levels = draw(st.integers(3, 12))
    kind = draw(st.sampled_from(["sequence", "merge", "steps"]))
    if kind == "sequence":
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
        return "\n".join(lines) + "\n"
    if kind == "merge":
        lines = ["m0: &m0 {" + ", ".join(f"k{j}: v" for j in range(10)) + "}"]
        lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], n{i}: {{<<: *m{i - 1}}}}}" for i in range(1, levels)]
        return "\n".join(lines) + "\n"
    return (
        'schemaVersion: "0.3"\nmainSteps:\n'
        "  - &s {name: s, action: aws:executeAwsApi, inputs: &i {Service: ec2, Api: DescribeInstances, "
        "InstanceIds: ['{{ s.Output }}']}, outputs: [{Name: Output, Selector: $.x, Type: String}]}\n"
        + "".join(f"  - {{name: s{i}, action: aws:executeScript, inputs: {{Runtime: python3.11, Handler: h, "
                  f"Script: x, InputPayload: [" + ", ".join(["*i"] * 10) + "]}}}}\n" for i in range(levels * 20))
        + "  - *s\n" * levels
    )


@st.composite
def templates(draw) -> str:
    """A runbook as the Content of a CloudFormation template: a mapping, a JSON string, a block
    string, or a !Sub string, the way the seed 002 template holds it."""
    runbooks = [r for s in SEEDS for r in _runbooks(s)]
    runbook = copy.deepcopy(draw(st.sampled_from(runbooks)))
    if draw(st.booleans()):
        runbook = replace(runbook, draw(st.sampled_from(list(paths(runbook)))), draw(WRONG_VALUES))
    form = draw(st.sampled_from(["mapping", "json-string", "block-string", "sub"]))
    content: object = runbook
    if form == "json-string":
        content = json.dumps(runbook, default=str)
    elif form == "block-string":
        content = _dump_yaml(runbook)
    elif form == "sub":
        content = {"Fn::Sub": _dump_yaml(runbook)}
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Doc": {
        "Type": "AWS::SSM::Document", "Properties": {"DocumentType": "Automation", "Content": content}}}}
    return draw(_written(template))


# Patterns that backtrack in a regular expression engine (a repeat of overlapping alternatives,
# nested repeats), Java's syntax, and patterns `re` or `regex` cannot compile.
PATTERNS = st.sampled_from([
    "^(a|aa)+$", "^(a+)+$", "(a|a)*b", "^(\\w+\\s?)*$", "(.*a){30}", "^(a?){40}a{40}$", "^\\d++$", "^(?>a|ab)c$",
    "^\\p{L}+$", "[a-z&&[^x]]", "(" * 300 + ")" * 300, "a{99999999999}", "(?<n>a)\\k<n>", "\\", "[",
])
PATTERN_VALUES = st.builds(lambda n, tail: "a" * n + tail, st.integers(0, 5000), st.sampled_from(["", "b", "!", " "]))


@st.composite
def allowed_patterns(draw) -> str:
    """A parameter whose default is checked against a hostile allowedPattern: W1005 when the
    check cannot be told in time, never a hang."""
    runbook = copy.deepcopy(draw(st.sampled_from([r for s in SEEDS for r in _runbooks(s)])))
    parameters = runbook.setdefault("parameters", {}) if isinstance(runbook.get("parameters", {}), dict) else {}
    for i in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["String", "StringList"]))
        default = draw(PATTERN_VALUES)
        parameters[f"Fuzzed{i}"] = {"type": kind, "allowedPattern": draw(PATTERNS),
                                    "default": [default] * draw(st.integers(1, 5)) if kind == "StringList" else default}
    runbook["parameters"] = parameters
    return draw(_written(runbook))


YAMLISH = st.text(alphabet=st.sampled_from(list(":{}[]-!&*#|>'\"\n\t %$ab01.,?@`\\")), max_size=20)


@st.composite
def text_mutations(draw) -> str:
    text = SEED_TEXTS[draw(st.integers(0, len(SEED_TEXTS) - 1))]
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(YAMLISH) + text[at + draw(st.integers(0, 80)):]


MUTANTS = st.one_of(
    wrong_types(), deep_nesting(), big_numbers(), step_properties(), many_steps(), cyclic_flow(),
    dangling_references(), control_characters(), alias_bombs(), templates(), text_mutations(), allowed_patterns(),
)


@st.composite
def _encoded(draw) -> bytes:
    """The mutant as UTF-8, mostly; sometimes with bytes that are not UTF-8 put in, or in
    another encoding altogether."""
    text = draw(MUTANTS)
    how = draw(st.sampled_from(["utf-8"] * 6 + ["bom", "bytes", "latin-1", "utf-16", "truncated"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    raw = text.encode("utf-8", "surrogatepass")
    if how == "bytes":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf8\x88\x80\x80\x80",
                                                b"\x00"])) + raw[at:]
    if how == "latin-1":
        return text.encode("latin-1", "replace") + "é".encode("latin-1")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "truncated":
        return raw[: draw(st.integers(0, len(raw)))]
    return raw


DOCUMENTS = _encoded()


# ---- running the command ---------------------------------------------------------------------

def run_validate(data: bytes) -> int:
    """`xacct validate FILE --output json` on `data`, in process; returns the exit status.

    The file is named .json when the data starts with `{` or `[` (JSON is then required) and .yaml
    otherwise (JSON is then still recognised by its look), so both readings get exercised.
    Raises AssertionError, with the traceback, when anything but SystemExit escapes the command,
    when stdout is not JSON, or when a finding is an internal error (E0000)."""
    suffix = ".json" if data[:1] in (b"{", b"[") else ".yaml"
    handle, path = tempfile.mkstemp(suffix=suffix, prefix="xacct-fuzz-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        result = CliRunner().invoke(cli, ["validate", path, "--output", "json"])
    finally:
        os.unlink(path)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("xacct validate raised:\n" + "".join(traceback.format_exception(*result.exc_info)))
    try:
        findings = json.loads(result.stdout)
    except ValueError as exc:
        raise AssertionError(f"stdout is not JSON ({exc}):\n{result.stdout[:2000]}") from None
    assert isinstance(findings, list), findings
    internal = [f for f in findings if f.get("id") == "E0000"]
    assert not internal, internal
    for finding in findings:
        assert finding["line"] >= 1 and finding["column"] >= 1, finding
    return result.exit_code

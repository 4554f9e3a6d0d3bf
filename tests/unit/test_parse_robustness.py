"""Every input gets an answer: the inputs that once crashed `xacct validate`, hung it, or made it
print something other than JSON, each reduced to its smallest form, with the answer it gets now."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from xacct.cli import cli
from xacct.document.loader import load_file, load_text
from xacct.document.nesting import too_deep
from xacct.document.parse import MAX_ALIASED_VALUES, MAX_DEPTH, MAX_NUMBER_CHARS, ParseError, parse_text
from xacct.document.positions import Mark
from xacct.document.validate import validate_text

RUNBOOK = textwrap.dedent("""\
    schemaVersion: '0.3'
    mainSteps:
      - name: wait
        action: aws:sleep
        timeoutSeconds: TIMEOUT
        inputs:
          Duration: PT1S
""")


def findings(text, path="r.yaml"):
    found = validate_text(text, path)
    assert "E0000" not in [f.id for f in found], found
    return found


def only(text, rule_id, path="r.yaml"):
    found = [f for f in findings(text, path) if f.id == rule_id]
    assert found, findings(text, path)
    return found[0]


def run_json(tmp_path, data: bytes, name="doc.yaml"):
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", str(path), "--output", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, json.loads(result.stdout)


# ---- nesting: xacct's own limit, before any parser meets its own -------------------------------

# Each within SSM's 64 KB, so that the parser meets it (a larger runbook is E0002 before parsing;
# test_parse.py shows the same limit on 100,000 levels, which a template up to 2 MB may hold).
DEEP = {
    "json arrays": "[" * 30_000 + "]" * 30_000,
    "unclosed json arrays": "[" * 60_000,
    "json objects": '{"a": ' * 5000 + "1" + "}" * 5000,
    "yaml flow": "{a: [" * 2000 + "x" + "]}" * 2000,
    "block mappings": "".join(" " * i + "a:\n" for i in range(300)),
    "block sequences": "- " * 5000 + "x\n",
    "explicit keys": "? " * 5000 + "x\n",
    "sequences of mappings": "".join(" " * (2 * i) + "- a:\n" for i in range(200)),
}


@pytest.mark.parametrize("name", DEEP)
def test_deep_nesting_is_xacct_finding(name):
    """RecursionError from json and libyaml's own 'exceeded maximum nesting depth' (PyYAML
    6.0.4) were what these got; now xacct's E0004 with the place where the limit is crossed."""
    text = DEEP[name]
    for path in ("deep.yaml", "deep.json") if text[0] in "[{" else ("deep.yaml",):
        [finding] = load_text(path, text).findings
        assert finding.id == "E0004", finding
        assert finding.message == f"nested more than {MAX_DEPTH} levels deep"
        assert finding.line >= 1 and finding.column >= 1


def test_deep_nesting_points_where_the_limit_is_crossed():
    text = "mainSteps:\n  - inputs:\n      X: " + "[" * 300 + "]" * 300 + "\n"
    [finding] = load_text("r.yaml", text).findings
    # four block collections (the root, mainSteps, the step, its inputs), so the 197th bracket,
    # at column 10 + 196, opens the 201st level
    assert (finding.id, finding.line, finding.column) == ("E0004", 3, 10 + 196)


def test_nesting_at_the_limit_is_read():
    assert parse_text("[" * MAX_DEPTH + "]" * MAX_DEPTH).data is not None
    assert parse_text("[" * MAX_DEPTH + "]" * MAX_DEPTH, json_mode=True).data is not None
    with pytest.raises(ParseError) as err:
        parse_text("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert err.value.rule_id == "E0004"


@pytest.mark.parametrize("text", [
    "a: '" + "[" * 500 + "'\n",
    'a: "' + "{" * 500 + '"\n',
    "a: |\n  " + "[" * 500 + "\n  " + "{" * 500 + "\nb: 1\n",
    "a: >-\n    " + "[" * 500 + "\nb: 1\n",
    "a: x" + "[" * 500 + "\n",
    "a: 1 # " + "[" * 500 + "\n",
    'a: "x\n  ' + "[" * 500 + '"\n',
    "a: it's " + "[" * 500 + "\n",
    "a: plain\n  continued " + "[" * 500 + "\n",
    '["' + "[" * 500 + '", 1]',
    "['it''s " + "[" * 500 + "']",
])
def test_brackets_that_are_text_do_not_count(text):
    assert too_deep(text, MAX_DEPTH) is None
    parse_text(text)  # and the document reads


# ---- numbers, tags and other scalars ---------------------------------------------------------

@pytest.mark.parametrize("number", [
    "9" * 5000, "-" + "9" * 5000, "0x" + "f" * 5000, "0b" + "1" * 5000, "1" + "0" * 4400 + ".5",
    ":".join(["1"] + ["59"] * 3000),
])
def test_numbers_too_long_are_kept_as_text_with_a_finding(number):
    """ValueError 'Exceeds the limit (4300 digits) for integer string conversion' in _scalar."""
    text = RUNBOOK.replace("TIMEOUT", number)
    finding = only(text, "E0004")
    assert (finding.line, finding.column) == (5, 21)
    assert f"{len(number)} characters" in finding.message and str(MAX_NUMBER_CHARS) in finding.message
    assert parse_text(text).data["mainSteps"][0]["timeoutSeconds"] == number


def test_json_numbers_too_long():
    """ValueError from json.loads on the whole text, in parse_text."""
    text = '{"schemaVersion": "0.3", "mainSteps": [{"name": "a", "timeoutSeconds": ' + "9" * 5000 + "}]}"
    for path in ("r.json", "r.yaml"):
        finding = only(text, "E0004", path)
        assert (finding.line, finding.column) == (1, 72)


@pytest.mark.parametrize("value, expected", [
    ("1.0e+999", float("inf")), ("-1.0e+999", float("-inf")), (".inf", float("inf")), ("1.0e-999", 0.0),
    ("1e999", "1e999"),  # not a float in YAML 1.1, which wants a dot and a signed exponent
    ("0b_", "0b_"), ("0x_", "0x_"), ("2026-13-45", "2026-13-45"), ("9999-12-31T23:59:60.999999999Z", None),
    ("!!timestamp 2026-99-99", "2026-99-99"), ("!!binary '###'", "###"), ("!!null x", None),
])
def test_odd_scalars_are_plain_values(value, expected):
    data = parse_text(f"v: {value}").data["v"]
    if expected is not None or value.startswith("!!null"):
        assert data == expected
    findings(RUNBOOK.replace("TIMEOUT", value))


def test_nan_is_a_plain_value():
    value = parse_text("v: .nan").data["v"]
    assert value != value


@pytest.mark.parametrize("value", ["!!int abc", "!!float x", "!!bool maybe", "!!int ''"])
def test_scalars_not_of_their_explicit_tag_are_invalid_yaml(value):
    with pytest.raises(ParseError) as err:
        parse_text(f"a: 1\nv: {value}\n")
    assert err.value.mark == Mark(2, 4) and err.value.rule_id == "E0001"


@pytest.mark.parametrize("timeout", ["-1", str(-(10**30)), str(10**30), str(2**64 + 1), "1e308", ".inf", "-.inf",
                                     ".nan", "'600'", "[600]", "{a: 1}", "~"])
def test_extreme_timeouts_are_findings(timeout):
    findings(RUNBOOK.replace("TIMEOUT", timeout))


# ---- characters and bytes --------------------------------------------------------------------

def test_bytes_that_are_not_utf8_name_their_offset(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes(b"a: 1\nb: x\xff\n")
    [finding] = load_file(str(path)).findings
    assert (finding.id, finding.line, finding.column) == ("E0001", 2, 5)
    assert "0xff" in finding.message and "byte offset 9" in finding.message


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9f", "\ufffe"])
def test_characters_yaml_refuses_are_placed(char):
    with pytest.raises(ParseError) as err:
        parse_text(f"a: 1\nb: xy{char}\n")
    assert err.value.mark == Mark(2, 6) and f"U+{ord(char):04X}" in err.value.message


@pytest.mark.parametrize("char", ["\x7f", "\x85", "\x9f", "\u2028", "\ufffe"])
def test_json_strings_keep_characters_yaml_would_refuse_or_break_on(char):
    text = '{"a": "x' + char + 'y",\n "b": [1]}'
    parsed = parse_text(text, json_mode=True)
    assert parsed.data == {"a": "x" + char + "y", "b": [1]}
    assert parsed.positions.of(("b",)) == Mark(2, 7)


def test_json_key_that_yaml_reads_as_a_line_break():
    """JSONDecodeError in _scalar: YAML reads NEL (U+0085) as a line break, which left an empty
    plain scalar for json.loads."""
    assert parse_text('{"\x85": 1}', json_mode=True).data == {"\x85": 1}
    assert findings('{"\x85": {}, "mainSteps": []}', "r.json")


def test_surrogates_in_text_are_a_finding():
    with pytest.raises(ParseError):
        parse_text("a: '\ud800'")


def test_escaped_control_characters_make_valid_json_output(tmp_path):
    data = b'schemaVersion: "0.3"\n"bad\\x01\\x1b[31m\\u2028key": 1\nmainSteps: []\n'
    code, found = run_json(tmp_path, data)
    assert code == 1 and any("bad\x01\x1b[31m" in f["message"] for f in found)


def test_nan_and_infinity_make_valid_json_output(tmp_path):
    data = RUNBOOK.replace("TIMEOUT", ".nan").replace("PT1S", ".inf").encode()
    code, found = run_json(tmp_path, data + b".nan: .inf\n1: 2\n~: x\n")
    assert code == 1 and found


# ---- aliases ---------------------------------------------------------------------------------

def test_small_alias_bomb_is_refused_before_the_rules_walk_it():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    finding = only("\n".join(lines), "E0004")
    assert str(MAX_ALIASED_VALUES) in finding.message and finding.line == 5  # a4: 10 x 10,000 values


def test_merge_key_bomb_is_refused():
    lines = ["m0: &m0 {" + ", ".join(f"k{j}: v" for j in range(10)) + "}"]
    lines += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], n{i}: {{<<: *m{i - 1}}}}}" for i in range(1, 20)]
    assert only("\n".join(lines), "E0004")


# ---- rules on hostile values -----------------------------------------------------------------

def parameter(attributes: str) -> str:
    return "schemaVersion: '0.3'\nparameters:\n  P:\n" + textwrap.indent(attributes, "    ") + (
        "\nmainSteps:\n  - name: a\n    action: aws:sleep\n    inputs: {Duration: PT1S}\n")


@pytest.mark.parametrize("pattern", ["(" * 1000 + ")" * 1000, "a{99999999999}", "(" * 5000])
def test_patterns_python_cannot_compile_are_findings(pattern):
    """RecursionError and OverflowError from re.compile were internal errors (E0000)."""
    text = parameter(f"type: String\ndefault: x\nallowedPattern: '{pattern}'")
    assert "not a valid regular expression" in only(text, "W1003").message


def test_default_of_deeply_nested_json_is_a_finding():
    """RecursionError from json.loads of a StringMap default."""
    text = parameter("type: StringMap\ndefault: '" + "[" * 5000 + "'")
    assert only(text, "W1004")


def test_runs_of_braces_are_not_references():
    text = RUNBOOK.replace("TIMEOUT", "1").replace("PT1S", "'" + "{{" * 100_000 + "'")
    assert not [f for f in findings(text) if f.id.startswith("E4")]


def test_hundreds_of_misspelt_jumps_get_findings():  # as many as SSM's 64 KB holds
    steps = "".join(f"  - {{name: s{i}, action: aws:sleep, nextStep: nowhere{i}, inputs: {{Duration: PT1S}}}}\n"
                    for i in range(700))
    found = [f for f in findings("schemaVersion: '0.3'\nmainSteps:\n" + steps) if f.id == "E3001"]
    assert len(found) == 700 and all("which is not a step" in f.message for f in found)


def test_endless_flow_in_a_long_chain():
    """A chain of steps that ends in a cycle: each step leading to it is reported (the cycle
    itself once, through the first of them), and each step is walked once."""
    count = 700  # as many as SSM's 64 KB holds
    steps = "".join(f"  - {{name: s{i}, action: aws:sleep, nextStep: s{min(i + 1, count - 1)}, "
                    "inputs: {Duration: PT1S}}\n" for i in range(count))
    found = [f for f in findings("schemaVersion: '0.3'\nmainSteps:\n" + steps) if f.id == "E3004"]
    assert len(found) == count - 1
    assert found[0].message == f"step 's0' never reaches the end: s{count - 1} -> s{count - 1} repeats with no way out"


def test_long_cycles_are_named_in_short():
    count = 500
    steps = "".join(f"  - {{name: s{i}, action: aws:sleep, nextStep: s{(i + 1) % count}, "
                    "inputs: {Duration: PT1S}}\n" for i in range(count))
    [finding] = [f for f in findings("schemaVersion: '0.3'\nmainSteps:\n" + steps) if f.id == "E3004"]
    assert finding.message.startswith("step 's0' never reaches the end: s0 -> s1 -> ")
    assert "(489 more) -> s499 -> s0 repeats" in finding.message


def test_non_string_keys_everywhere():
    text = ("schemaVersion: '0.3'\n1: x\n.nan: y\n~: z\ntrue: w\nparameters: {1: {type: String}, .inf: 2}\n"
            "mainSteps:\n  - {name: a, action: aws:sleep, 2: x, inputs: {Duration: PT1S, 3: 4}, outputs: [{1: 2}]}\n")
    assert findings(text)


def test_keys_that_are_collections_are_invalid():
    for text in ("{[a]: 1}", "? {a: 1}\n: 2\n", "!Ref x: 1\n"):
        assert only(text, "E0001")

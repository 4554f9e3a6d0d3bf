"""The YAML/JSON reader: values, positions, CloudFormation tags, duplicates and limits."""

import pytest

from xacct.document.loader import load_text
from xacct.document.parse import MAX_DEPTH, ParseError, parse_text
from xacct.document.positions import Mark


def test_positions_of_values_and_keys():
    parsed = parse_text("a:\n  b: [1, two]\n  c: {d: true}\n")
    assert parsed.data == {"a": {"b": [1, "two"], "c": {"d": True}}}
    assert parsed.positions.of(("a", "b", 1)) == Mark(2, 10)
    assert parsed.positions.of(("a", "c", "d")) == Mark(3, 10)
    assert parsed.positions.of(("a", "c"), key=True) == Mark(3, 3)
    # a path that was never loaded points at its nearest ancestor
    assert parsed.positions.of(("a", "c", "missing")) == Mark(3, 6)


@pytest.mark.parametrize(
    "text, value",
    [
        ("v: 1", 1),
        ("v: '1'", "1"),
        ("v: 1.5", 1.5),
        ("v: yes", True),
        ("v: ~", None),
        ("v: 0x1f", 31),
        ("v: 2026-01-01", "2026-01-01"),  # dates stay the text the author wrote
        ("v: !Ref Name", {"Ref": "Name"}),
        ("v: !GetAtt Role.Arn", {"Fn::GetAtt": ["Role", "Arn"]}),
        ("v: !Sub ['${A}', {A: x}]", {"Fn::Sub": ["${A}", {"A": "x"}]}),
        ("v: !Condition IsProd", {"Condition": "IsProd"}),
    ],
)
def test_scalar_values(text, value):
    assert parse_text(text).data["v"] == value


def test_json_numbers_follow_json():
    assert parse_text('{"a": 1e5, "b": [true, null], "c": "x"}', json_mode=True).data == {
        "a": 100000.0, "b": [True, None], "c": "x"}


def test_json_with_tabs_and_positions():
    parsed = parse_text('{\n\t"a": [1,\n\t\t2]\n}', json_mode=True)
    assert parsed.data == {"a": [1, 2]}
    assert parsed.positions.of(("a", 1)) == Mark(3, 3)


def test_invalid_json_says_where():
    with pytest.raises(ParseError) as err:
        parse_text('{"a": [1,]}', json_mode=True)
    assert err.value.mark == Mark(1, 10)


def test_duplicate_keys_are_reported_with_both_places():
    parsed = parse_text("a: 1\nb: 2\na: 3\n")
    assert parsed.data["a"] == 3
    [dup] = parsed.duplicates
    assert dup.path == ("a",) and dup.first == Mark(1, 1) and dup.again == Mark(3, 1)


def test_anchors_aliases_and_merge_keys():
    parsed = parse_text("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\nsame: *b\n")
    assert parsed.data["other"] == {"x": 1, "y": 2}
    assert parsed.data["same"] == {"x": 1}


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(ParseError, match="aliases"):
        parse_text("\n".join(lines))


def test_deep_nesting_is_refused_fast():
    """xacct's own limit, found before the parser meets one of its own: the finding is the same
    whatever PyYAML (6.0.4 stops at 1,000 levels with a message of its own) or json does."""
    for json_mode in (False, True):
        with pytest.raises(ParseError) as err:
            parse_text("[" * 100_000, json_mode=json_mode)
        assert err.value.rule_id == "E0004"
        assert err.value.message == f"nested more than {MAX_DEPTH} levels deep"
        assert err.value.mark == Mark(1, MAX_DEPTH + 1)
    [finding] = load_text("deep.yaml", "[" * 60_000).findings  # (within 64 KB: a larger runbook is E0002)
    assert (finding.id, finding.line, finding.column) == ("E0004", 1, MAX_DEPTH + 1)
    assert finding.message == f"nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize("text", ["a: [1\nb: 2", "\x00\x01", "a: b: c", "--- a\n--- b\n", "{[a]: 1}"])
def test_malformed_text_is_a_parse_error(text):
    with pytest.raises(ParseError) as err:
        parse_text(text)
    assert err.value.mark.line >= 1 and "\n" not in err.value.message

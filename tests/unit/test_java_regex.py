"""allowedPattern in Java syntax, checked as Java reads it (java.util.regex.Pattern:
https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html)."""

import pytest

from xacct.document.java_regex import compile_java, translate

# (pattern, value, does Java find the pattern in the value)
CASES = [
    (r"^\p{Alnum}+$", "abc123", True),
    (r"^\p{Alnum}+$", "café", False),  # POSIX classes are US-ASCII in Java
    (r"^\p{IsAlnum}+$", "café", False),
    (r"^\P{Digit}+$", "abc", True),
    (r"^\P{Digit}+$", "a1", False),
    (r"^\p{Punct}$", "!", True),
    (r"^\p{Punct}$", "¿", False),
    (r"^\p{L}+$", "café", True),  # Unicode categories stay Unicode
    (r"^\p{javaLowerCase}+$", "é", True),
    (r"^\w+$", "é", False),  # \w, \d, \s are ASCII unless (?U)
    (r"(?U)^\w+$", "é", True),
    (r"^\d+$", "٣", False),
    (r"^[\w-\/]+$", "a-b/c", True),  # a '-' after a class escape is a literal hyphen
    (r"^[\w-\/]+$", "a*b", False),
    (r"^[\p{Alnum}-_.]+$", "a-_.", True),
    (r"^[a-z&&[^e]]+$", "abc", True),  # intersection
    (r"^[a-z&&[^e]]+$", "e", False),
    (r"^[a[bc]]+$", "abc", True),  # a nested set is a union
    (r"^\Qa.b\E$", "a.b", True),  # quoting
    (r"^\Qa.b\E$", "axb", False),
    (r"a\Z", "a\n", True),  # \Z allows a final line terminator
    (r"a\z", "a\n", False),
    (r"^[]a]+$", "]a", True),  # ']' first in a set is literal
    (r"^a*+b$", "aab", True),  # possessive quantifier
    (r"^(?>ab|a)c$", "abc", True),  # atomic group
    (r"^$|^arn:aws:iam::\d{12}:role/[\w+=,.@-]+$", "", True),
]


@pytest.mark.parametrize("pattern, value, found", CASES)
def test_java_reading(pattern, value, found):
    assert (compile_java(pattern).search(value) is not None) is found, translate(pattern)


def test_plain_patterns_are_left_as_written():
    assert translate(r"^[a-zA-Z0-9_.-]{1,128}$") == r"^[a-zA-Z0-9_.-]{1,128}$"

"""allowedPattern is a Java regular expression: this rewrites the parts of Java's syntax whose
meaning differs in the `regex` package, so that a pattern is checked as SSM checks it.

SSM is written in Java, and the patterns AWS's own runbooks carry use Java's syntax: POSIX classes
such as `\\p{Alnum}` (ASCII only in Java, every script's letters in `regex`), `\\Q...\\E` quoting,
`\\p{javaLowerCase}`, class intersection `[a-z&&[^e]]` and nested classes (union), and `\\Z`,
which in Java allows a final line terminator. See java.util.regex.Pattern:
https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html

The result is compiled with `regex.V1`, whose sets read nesting and `&&` as Java does. A `-`
written next to a class escape inside a set (`[\\w-\\/]`) is a literal hyphen in Java; it is
escaped so that no engine can take it for a range.
"""

from __future__ import annotations

import regex

FLAGS = regex.V1

# Java's POSIX character classes (US-ASCII only, as Java reads them by default), as set contents.
POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0B\\f\\r",
}
# java.lang.Character classes, as `regex` names the same Unicode properties.
JAVA_PROPERTIES = {
    "javaLowerCase": "\\p{Lowercase}",
    "javaUpperCase": "\\p{Uppercase}",
    "javaWhitespace": "\\s",
    "javaMirrored": "\\p{Bidi_Mirrored}",
    "javaAlphabetic": "\\p{Alphabetic}",
    "javaLetter": "\\p{L}",
    "javaDigit": "\\p{Nd}",
    "javaLetterOrDigit": "[\\p{L}\\p{Nd}]",
}
# Java's \\w, \\d and \\s are ASCII unless the pattern asks for Unicode with (?U).
SHORTHANDS = {"w": "a-zA-Z_0-9", "d": "0-9", "s": " \\t\\n\\x0B\\f\\r"}
VERTICAL_SPACE = "\\n\\x0B\\f\\r\\x85\\u2028\\u2029"
# Escapes that stand for a class of characters: a `-` after one of them in a set is literal.
CLASS_ESCAPES = set("wWdDsShHvV")


def translate(pattern: str) -> str:
    """`pattern` (Java syntax) written for `regex` with FLAGS."""
    unicode_classes = "(?U)" in pattern
    if unicode_classes:  # Java's UNICODE_CHARACTER_CLASS: \w and the rest as `regex` reads them
        pattern = pattern.replace("(?U)", "")
    out: list[str] = []
    depth = 0  # how many sets are open
    after_class = False  # the last thing written inside a set was a class, not a character
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e == "Q":
                end = pattern.find("\\E", i + 2)
                end = n if end < 0 else end
                literal = pattern[i + 2:end]
                out.append("".join(_escaped(ch) for ch in literal))
                i = end + 2
                after_class = False
                continue
            if e in "pP" and i + 2 < n and pattern[i + 2] == "{":
                close = pattern.find("}", i + 3)
                if close > 0:
                    name = pattern[i + 3:close]
                    out.append(_property(name, negated=e == "P", in_set=depth > 0))
                    i = close + 1
                    after_class = True
                    continue
            if e == "Z" and depth == 0:
                out.append("(?=\\n?\\z)")
                i += 2
                continue
            if e.lower() in SHORTHANDS and not unicode_classes:
                contents = SHORTHANDS[e.lower()]
                if e.isupper():
                    out.append(f"[^{contents}]")
                else:
                    out.append(contents if depth else f"[{contents}]")
                i += 2
                after_class = True
                continue
            if e == "v":
                out.append(VERTICAL_SPACE if depth else f"[{VERTICAL_SPACE}]")
                i += 2
                after_class = True
                continue
            out.append(pattern[i:i + 2])
            after_class = e in CLASS_ESCAPES
            i += 2
            continue
        if c == "[":
            depth += 1
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a ']' first in a set is a literal in Java
                out.append("\\]")
                i += 1
            after_class = False
            continue
        if c == "]" and depth:
            depth -= 1
            out.append(c)
            after_class = depth > 0  # a nested set closed inside another is a class
            i += 1
            continue
        if c == "-" and depth and after_class:
            out.append("\\-")
            after_class = False
            i += 1
            continue
        out.append(c)
        after_class = False
        i += 1
    return "".join(out)


def _escaped(ch: str) -> str:
    return ch if ch.isalnum() or ch == "_" else "\\" + ch if ch.isascii() else ch


def _property(name: str, *, negated: bool, in_set: bool) -> str:
    bare = name[2:] if name.startswith("Is") and name[2:] in POSIX else name
    if bare in POSIX:
        contents = POSIX[bare]
        if negated:
            return f"[^{contents}]"
        return contents if in_set else f"[{contents}]"
    if name in JAVA_PROPERTIES:
        text = JAVA_PROPERTIES[name]
        if negated:
            return f"[^{text}]"
        return text
    return f"\\{'P' if negated else 'p'}{{{name}}}"


def compile_java(pattern: str) -> regex.Pattern:
    """`pattern` compiled as Java reads it; raises what `regex.compile` raises."""
    return regex.compile(translate(pattern), FLAGS)

"""How deeply a YAML or JSON text nests, judged from the text before any parser reads it.

Parsers have nesting limits of their own, reached in their own way: Python's json raises
RecursionError, and libyaml (from PyYAML 6.0.4 on) stops with its own message at 1,000 levels,
while scanning ahead of the events xacct counts. To answer every such document with xacct's
finding, at the place the limit is crossed, whatever the versions installed, the text is scanned
first: open flow collections (`[`, `{`) plus open block collections, one per column at which a
block mapping or sequence starts (what libyaml counts as indentation levels).

The scan lexes only what it must to tell structure from content: quoted scalars (which may run
over several lines), comments, block scalars (`|`, `>`) and the continuation lines of plain
scalars. It never counts more levels than the document has, so it never refuses a document a
parser would accept within the limit; parse.py still counts the exact depth from the events.
"""

from __future__ import annotations

import re
from itertools import accumulate

from .positions import Mark

# YAML's line breaks, libyaml's reading: CR LF, CR, LF, NEL and the Unicode separators.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# The rest of a quoted scalar up to its closing quote; possessive, so that a line ending in an
# escape ('' or a backslash) is not mistaken for the end of the scalar.
_REST_OF_QUOTED = {"'": re.compile(r"(?:[^']|'')*+'"), '"': re.compile(r'(?:[^"\\]|\\.)*+"')}
# In flow context: collection brackets, quotes that can open a scalar, and comments.
_FLOW_TOKEN = re.compile(r"""[\[\]{}]|(?:(?<=[\s\[{,:?])|^)['"]|(?:(?<=\s)|^)#""")
# In a block plain scalar: the `:` that makes it a mapping key, or the start of a comment.
_KEY_OR_COMMENT = re.compile(r":(?=[ \t]|$)|[ \t]#")
_TOKEN_END = re.compile(r"[^ \t]*")


class _Scan:
    """The state carried from line to line."""

    def __init__(self, limit: int):
        self.limit = limit
        self.columns: list[int] = []  # columns of the open block collections, increasing
        self.flow = 0  # open flow collections
        self.quote: str | None = None  # inside a quoted scalar that continues on the next line
        self.block_scalar: tuple[int, int | None] | None = None  # (parent column, content indent)
        self.plain_parent: int | None = None  # lines indented deeper continue a plain scalar
        self.deepest: Mark | None = None

    def _deeper(self, line: int, column: int) -> bool:
        if len(self.columns) + self.flow > self.limit:
            self.deepest = Mark(line + 1, column + 1)
            return True
        return False

    def _push_column(self, line: int, column: int) -> bool:
        if not self.columns or column > self.columns[-1]:
            self.columns.append(column)
            return self._deeper(line, column)
        return False

    def line(self, number: int, text: str) -> bool:
        """Scan one line; True when the limit is crossed on it."""
        pos = 0
        if self.quote:
            pos = self._close_quote(text, 0)
            if pos < 0:
                return False
            if self.flow:
                return self._flow(number, text, pos)
            return self._after_scalar(number, text, pos, None)
        if self.flow:
            return self._flow(number, text, 0)
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        empty = not stripped or stripped.isspace()
        blank = empty or stripped[0] == "#"
        if self.block_scalar is not None:
            parent, content = self.block_scalar
            if empty:
                return False
            if content is None and indent > parent:
                self.block_scalar = (parent, indent)
                return False
            if content is not None and indent >= content:
                return False
            self.block_scalar = None
        if self.plain_parent is not None:
            if not blank and indent > self.plain_parent:
                return False
            self.plain_parent = None
        if blank:
            return False
        if text.startswith(("---", "...")) and text[3:4] in ("", " ", "\t"):
            self.columns.clear()  # a new document starts at the root
            return self._node(number, text, 3)
        if text.startswith("%"):
            return False  # a directive
        while self.columns and self.columns[-1] > indent:
            self.columns.pop()
        return self._node(number, text, indent)

    def _close_quote(self, text: str, pos: int) -> int:
        """Where the open quoted scalar ends on this line (after its quote), or -1."""
        match = _REST_OF_QUOTED[self.quote].match(text, pos)
        if match is None:
            return -1
        self.quote = None
        return match.end()

    def _node(self, number: int, text: str, pos: int) -> bool:
        """A block node starting at `pos`, with the indicators and properties before it."""
        while True:
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos >= len(text) or text[pos] == "#":
                return False
            char = text[pos]
            following = text[pos + 1: pos + 2]
            if char in "-?:" and following in ("", " ", "\t"):
                if char != ":" and self._push_column(number, pos):
                    return True
                pos += 1
            elif char in "[{":
                return self._flow(number, text, pos)
            elif char in "'\"":
                start = pos
                self.quote = char
                pos = self._close_quote(text, pos + 1)
                if pos < 0:
                    return False
                return self._after_scalar(number, text, pos, start)
            elif char in "|>":
                header = _TOKEN_END.match(text, pos).group()
                parent = self.columns[-1] if self.columns else -1
                digits = [int(c) for c in header if c.isdigit()]
                content = (max(parent, 0) + digits[0] if parent >= 0 else digits[0]) if digits else None
                self.block_scalar = (parent, content)
                return False
            elif char in "!&":
                pos = _TOKEN_END.match(text, pos).end()  # a tag or an anchor, then the node
            elif char == "*":
                return self._after_scalar(number, text, _TOKEN_END.match(text, pos).end(), pos)
            else:
                match = _KEY_OR_COMMENT.search(text, pos)
                if match is None or match.group() != ":":
                    self.plain_parent = self.columns[-1] if self.columns else -1
                    return False
                if self._push_column(number, pos):
                    return True
                pos = match.end()

    def _after_scalar(self, number: int, text: str, pos: int, start: int | None) -> bool:
        """After a quoted scalar, an alias or a flow collection: a `:` makes it a key."""
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if text[pos: pos + 1] == ":" and text[pos + 1: pos + 2] in ("", " ", "\t"):
            if start is not None and self._push_column(number, start):
                return True
            return self._node(number, text, pos + 1)
        return False

    def _flow(self, number: int, text: str, pos: int) -> bool:
        """Inside flow collections: every bracket outside quotes and comments is structure."""
        while True:
            match = _FLOW_TOKEN.search(text, pos)
            if match is None:
                return False
            char = match.group()
            if char in "[{":
                self.flow += 1
                if self._deeper(number, match.start()):
                    return True
                pos = match.end()
            elif char in "]}":
                self.flow = max(0, self.flow - 1)
                pos = match.end()
                if self.flow == 0:
                    return self._after_scalar(number, text, pos, None)
            elif char == "#":
                return False
            else:
                self.quote = char
                pos = self._close_quote(text, match.end())
                if pos < 0:
                    return False


def too_deep(text: str, limit: int, *, json_mode: bool = False) -> Mark | None:
    """Where `text` first nests more than `limit` collections deep, or None when it never does.
    With `json_mode`, text that is JSON is measured at C speed (its strings cannot hide a bracket)."""
    if _at_most(text) <= limit or (json_mode and _json_depth(text) <= limit):
        return None
    scan = _Scan(limit)
    for number, line in enumerate(LINE_BREAK.split(text)):
        if scan.line(number, line):
            return scan.deepest
    return None


# The indentation of a line with the `- ` and `? ` indicators after it: every block collection
# open on a line starts at a column within it (or right after it, for a mapping key).
_PREFIX = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.MULTILINE)
_RARE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


# A bracket pair on one line with no bracket, `#` or backslash between, and no quote but those of
# quoted scalars that start where YAML starts one (after a space, `[`, `{`, `,` or `:`) and hold
# none of these: `[0]` of a selector, each brace pair of `{{ Name }}`, `['{{ Id }}']`. Where the
# opening bracket is structure (flow context), the closing one is its own (nothing between can
# hide it), so the pair nests one level at most; where it is text (in a scalar or a comment), so
# is the closing one. Taking such pairs out, pass after pass, leaves a bound that grows by one
# per pass instead of by one per pair.
# Written as "plain characters, then (a quoted scalar, then plain characters) again and again",
# the same strings as any mix of the two, so that runs of plain characters are matched by one
# character class at C speed instead of one alternation per character.
_PLAIN = r"""[^\[\]{}'"#\\\n]*"""
_QUOTED = r"""(?:(?<=[\s\[{,:])'[^'\[\]{}#\\\n]*'|(?<=[\s\[{,:])"[^"\[\]{}#\\\n]*")"""
_BETWEEN = rf"{_PLAIN}(?:{_QUOTED}{_PLAIN})*"
_INNERMOST_PAIR = re.compile(rf"\[{_BETWEEN}\]|\{{{_BETWEEN}\}}")
PAIR_PASSES = 6
_FEW = 100  # below any depth limit xacct sets: no need to look closer


def _at_most(text: str) -> int:
    """A bound on the depth, found at C speed, that most documents are far below: each open
    flow collection has its bracket (once the pairs that nest one level at most are counted per
    pass, not per pair), and open block collections start at distinct columns, no further right
    than the widest indentation and indicators."""
    if any(brk in text for brk in _RARE_BREAKS):
        text = LINE_BREAK.sub("\n", text)
    widest = max(map(len, _PREFIX.findall(text)), default=0)
    bound = text.count("[") + text.count("{") + widest + 1
    if bound <= _FEW:
        return bound
    passes = 0
    while passes < PAIR_PASSES and bound > _FEW:
        text, found = _INNERMOST_PAIR.subn("", text)
        if not found:
            break
        passes += 1
        bound = text.count("[") + text.count("{") + passes + widest + 1
    return bound


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[^\[\]{}]+")
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


def _json_depth(text: str) -> int:
    """How deep JSON text nests: its brackets once its strings are taken out, as json reads them
    (a quote out of place is an error json stops at, so what follows it does not matter)."""
    brackets = _BRACKETS.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0)

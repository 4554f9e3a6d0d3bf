"""YAML and JSON text into plain data plus the position of every value.

libyaml (through PyYAML) does the parsing. Instead of PyYAML's recursive composer this module
builds the data from the parser's events with an explicit stack, which gives four things the stock
loaders do not: the line and column of every key and value, duplicate keys reported instead of
silently overwritten, CloudFormation short-form tags (`!Ref`, `!Sub`, ...) read as their long
form, and hard limits on depth and alias expansion so hostile input fails fast with a message.

Every input gets an answer: a `Parsed`, or a `ParseError` with a line and column. Limits that
the parsers would meet in their own way (nesting, which libyaml and json refuse with their own
messages or a RecursionError; characters YAML does not allow) are checked on the text first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .nesting import LINE_BREAK, too_deep
from .positions import Mark, Path, Positions

try:  # libyaml is much faster; PyYAML's pure-Python parser gives the same events.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 200
MAX_VALUES = 2_000_000  # counts values produced through aliases too ("billion laughs")
# Values repeated through aliases. CloudFormation does not take YAML aliases at all and runbooks
# seldom use them, while a few hundred bytes of nested aliases expand to millions of values,
# which every rule would then walk.
MAX_ALIASED_VALUES = 100_000
# Longer numbers are kept as the text the author wrote, with a finding: no runbook needs them,
# Python refuses to convert integers of more than 4,300 digits, and sexagesimal integers
# (1:20:30) cost time with the square of their length.
MAX_NUMBER_CHARS = 1000

# Characters YAML does not allow in a stream (YAML 1.1, 5.1: the printable characters).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Characters JSON strings may hold as they are, which YAML refuses (DEL, C1 controls, U+FFFE,
# U+FFFF) or reads as line breaks (NEL, U+2028, U+2029); written as escapes, YAML reads them as
# the characters they are.
_JSON_ONLY = re.compile("[\x7f-\x9f\ufffe\uffff\u2028\u2029]")

# A resolver/constructor pair used only to turn plain YAML scalars into ints, floats, bools, null.
_scalars = yaml.SafeLoader("")
# The tag each plain scalar resolves to, by its text: keys (`name`, `action`, `inputs`) and
# values (`aws:executeAwsApi`, `String`) repeat throughout a runbook and across runbooks, and the
# resolver tries its regular expressions on each. Bounded: long or rare texts are not kept.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 50_000
_STR = "tag:yaml.org,2002:str"
_CONSTRUCT = {
    "tag:yaml.org,2002:int": _scalars.construct_yaml_int,
    "tag:yaml.org,2002:float": _scalars.construct_yaml_float,
    "tag:yaml.org,2002:bool": _scalars.construct_yaml_bool,
    "tag:yaml.org,2002:null": _scalars.construct_yaml_null,
}


# Finding IDs: not YAML or JSON at all, or within xacct's limits.
INVALID = "E0001"
LIMIT = "E0004"


class ParseError(Exception):
    """The text is not valid YAML or JSON (`rule_id` E0001), or breaks one of the limits above
    (E0004)."""

    def __init__(self, message: str, mark: Mark, rule_id: str = INVALID):
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.rule_id = rule_id


@dataclass(frozen=True)
class OutOfRange:
    """A value kept as its text because it is beyond what xacct reads (a number too long)."""

    mark: Mark
    message: str


@dataclass(frozen=True)
class DuplicateKey:
    path: Path
    first: Mark
    again: Mark


@dataclass
class Parsed:
    data: Any
    positions: Positions
    duplicates: list[DuplicateKey]
    out_of_range: list[OutOfRange] = field(default_factory=list)


def _mark(yaml_mark) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def _cfn_tag(tag: str, value: Any) -> Any:
    """CloudFormation's short form `!Name value` is the long form `{"Fn::Name": value}`."""
    name = tag[1:]
    if name in ("Ref", "Condition"):
        return {name: value}
    if name == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    return {f"Fn::{name}": value}


def _scalar(event: yaml.ScalarEvent, json_mode: bool, out_of_range: list[OutOfRange]) -> Any:
    value = event.value
    tag = event.tag
    if tag and tag.startswith("!") and tag != "!":
        return _cfn_tag(tag, value)
    plain = not event.style  # libyaml reports '' for plain scalars, PyYAML None
    explicit = bool(tag) and tag != "!"
    if explicit:
        resolved = tag
    elif plain:
        resolved = _RESOLVED.get(value)
        if resolved is None:
            resolved = _scalars.resolve(yaml.ScalarNode, value, (True, False))
            if len(_RESOLVED) < _RESOLVED_MAX and len(value) <= 64:
                _RESOLVED[value] = resolved
    else:
        resolved = _STR
    construct = _CONSTRUCT.get(resolved)
    if construct is None and not (json_mode and plain):
        return value  # str, and timestamps or binary kept as the text the author wrote
    if len(value) > MAX_NUMBER_CHARS and resolved not in _NOT_NUMBERS:
        out_of_range.append(OutOfRange(
            _mark(event.start_mark),
            f"a number of {len(value)} characters is kept as text: xacct reads numbers of at most "
            f"{MAX_NUMBER_CHARS} characters"))
        return value
    if json_mode and plain and not explicit:
        # Plain JSON scalars are numbers, true, false and null; json decides them exactly
        # (YAML 1.1 would read 1e5 as a string).
        try:
            return json.loads(value)
        except ValueError:
            pass  # not a JSON token after all: read as YAML reads it
        if construct is None:
            return value
    try:
        return construct(yaml.ScalarNode(resolved, value))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, yaml.YAMLError):
        if explicit:
            raise ParseError(f"not valid YAML: '{_clip(value)}' is not a valid !!{tag.rsplit(':', 1)[-1]}",
                             _mark(event.start_mark)) from None
        return value  # a plain scalar that only looks like a number (0b_, 0x_): its text


_NOT_NUMBERS = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class _Frame:
    __slots__ = ("container", "path", "tag", "anchor", "start", "pending_key", "key_mark", "merge", "size")

    def __init__(self, container, path, tag, anchor, start):
        self.container = container
        self.path = path
        self.tag = tag
        self.anchor = anchor
        self.start = start
        self.pending_key = _NO_KEY
        self.key_mark = None
        self.merge = False
        self.size = 1


_NO_KEY = object()


def parse_text(text: str, *, json_mode: bool = False) -> Parsed:
    """Parse one YAML (or JSON, with `json_mode`) document."""
    deepest = too_deep(text, MAX_DEPTH, json_mode=json_mode)
    if deepest is not None:
        raise ParseError(f"nested more than {MAX_DEPTH} levels deep", deepest, LIMIT)
    if json_mode:
        try:
            # Only the syntax is checked here; numbers stay text (a 5,000-digit integer is
            # valid JSON, which int() would refuse) and are read as the events come.
            json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
        except json.JSONDecodeError as exc:
            raise ParseError(f"not valid JSON: {exc.msg}", Mark(exc.lineno, exc.colno)) from None
        # Valid JSON never has a raw tab inside a string, so tabs are only white space here,
        # which YAML does not allow for indentation.
        text = _JSON_ONLY.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\t", " "))
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        raise ParseError(f"not valid YAML: character U+{ord(bad.group()):04X} is not allowed (control characters "
                         "and surrogates are not)", _mark_of_offset(text, bad.start()))

    values: dict[Path, Mark] = {}
    keys: dict[Path, Mark] = {}
    duplicates: list[DuplicateKey] = []
    out_of_range: list[OutOfRange] = []
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    root: list[Any] = []
    documents = 0
    produced = 0
    aliased = 0

    def place(value: Any, mark: Mark, anchor: str | None, size: int = 1) -> Path | None:
        """Put a finished value into the enclosing container; return its path.

        `size` counts the values inside `value`, so that an alias costs what it expands to."""
        nonlocal produced
        produced += size
        if produced > MAX_VALUES:
            raise ParseError(f"more than {MAX_VALUES} values once aliases are expanded", mark, LIMIT)
        if anchor:
            anchors[anchor] = (value, size)
        if stack:
            stack[-1].size += size
        if not stack:
            root.append(value)
            values[()] = mark
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            path = frame.path + (len(frame.container),)
            frame.container.append(value)
            values[path] = mark
            return path
        if frame.pending_key is _NO_KEY:
            key = value
            if isinstance(key, (dict, list)):
                raise ParseError("a mapping key must be a scalar", mark)
            if key == "<<" and not frame.merge:
                frame.merge = True
            frame.pending_key = key
            frame.key_mark = mark
            return None
        key = frame.pending_key
        frame.pending_key = _NO_KEY
        if key == "<<" and frame.merge:
            frame.merge = False
            for source in value if isinstance(value, list) else [value]:
                if isinstance(source, dict):
                    for k, v in source.items():
                        frame.container.setdefault(k, v)
            return None
        path = frame.path + (key,)
        if key in frame.container:
            duplicates.append(DuplicateKey(path, keys.get(path, mark), frame.key_mark))
        frame.container[key] = value
        values[path] = mark
        keys[path] = frame.key_mark
        return path

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                place(_scalar(event, json_mode, out_of_range), _mark(event.start_mark), event.anchor)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = _mark(event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(f"nested more than {MAX_DEPTH} levels deep", mark, LIMIT)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                parent_path = stack[-1].path if stack else ()
                frame_path = _child_path(stack, parent_path)
                stack.append(_Frame(container, frame_path, event.tag, event.anchor, mark))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                value = frame.container
                if frame.tag and frame.tag.startswith("!") and frame.tag != "!":
                    value = _cfn_tag(frame.tag, value)
                produced -= frame.size - 1  # its children were counted as they were placed
                place(value, frame.start, frame.anchor, frame.size)
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise ParseError(f"unknown alias *{event.anchor}", _mark(event.start_mark))
                value, size = anchors[event.anchor]
                aliased += size
                if aliased > MAX_ALIASED_VALUES:
                    raise ParseError(f"more than {MAX_ALIASED_VALUES} values repeated through aliases",
                                     _mark(event.start_mark), LIMIT)
                place(value, _mark(event.start_mark), None, size)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise ParseError(
                        "more than one YAML document in the file (a second '---')",
                        _mark(event.start_mark),
                    )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _mark(mark) if mark else Mark(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ParseError(f"not valid YAML: {problem}", where) from None
    except yaml.YAMLError as exc:  # ReaderError: bytes that are not text
        raise ParseError(f"not valid YAML: {_one_line(exc)}", Mark(1, 1)) from None

    data = root[0] if root else None
    return Parsed(data, Positions(values, keys), duplicates, out_of_range)


def _child_path(stack: list[_Frame], parent_path: Path) -> Path:
    if not stack:
        return ()
    frame = stack[-1]
    if isinstance(frame.container, list):
        return parent_path + (len(frame.container),)
    if frame.pending_key is _NO_KEY:
        raise ParseError("a mapping key must be a scalar", frame.start)
    return parent_path + (frame.pending_key,)


def _mark_of_offset(text: str, offset: int) -> Mark:
    """The line and column of a character, counting lines as YAML does."""
    line, line_start = 1, 0
    for brk in LINE_BREAK.finditer(text, 0, offset):
        line, line_start = line + 1, brk.end()
    return Mark(line, offset - line_start + 1)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())

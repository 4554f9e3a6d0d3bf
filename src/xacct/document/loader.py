"""Files into Automation documents: runbooks written in YAML or JSON, and CloudFormation
templates whose `AWS::SSM::Document` resources hold Automation runbooks.

A file that cannot be read at all raises `UnreadableInput`; anything wrong inside a file that was
read becomes a finding with its line and column, so one bad file never hides the others.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .findings import Finding, severity_of
from .parse import LIMIT, ParseError, Parsed, parse_text
from .positions import Mark, Positions, shifted
from .values import is_intrinsic

# SSM refuses document content over 64 KB: CreateDocument's Content "must not exceed 64KB" and it
# answers MaxDocumentSizeExceeded, "The size limit of a document is 64 KB" (SSM API Reference,
# CreateDocument). A runbook file over it is refused before it is parsed (which takes 0.7 s a MB),
# and so is each runbook of a template, whose file may hold several.
MAX_DOCUMENT_BYTES = 64 * 1024
# A CloudFormation template is at most 1 MB ("AWS CloudFormation quotas"); xacct reads twice that,
# for a template with comments or written out long. A larger file is neither a template nor a
# runbook, and parsing it would only cost time (a template is parsed whole: 0.25 s a MB).
MAX_FILE_BYTES = 2 * 1024 * 1024
TEMPLATE_TYPE = "AWS::SSM::Document"  # the resource type a template's runbooks are in


class UnreadableInput(Exception):
    """The path does not name a readable file."""


@dataclass
class Source:
    """One Automation document: its content and where each of its values stands."""

    path: str
    content: Any
    positions: Positions
    name: str | None = None  # the logical ID, when the document comes from a template
    template: Any = None  # the whole template, when there is one


@dataclass
class Loaded:
    path: str
    documents: list[Source] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _finding(path: str, mark: Mark, rule_id: str, message: str) -> Finding:
    return Finding(path, mark.line, mark.column, rule_id, severity_of(rule_id), message)


def read_text(path: str) -> str | Finding:
    try:
        size = os.path.getsize(path)
        if os.path.isdir(path):
            raise UnreadableInput(f"{path}: is a directory")
        if size > MAX_FILE_BYTES:
            return _finding(
                path,
                Mark(1, 1),
                "E0002",
                f"file is {size / 1048576:.1f} MB; SSM refuses document content over "
                f"{MAX_DOCUMENT_BYTES // 1024} KB and CloudFormation templates over 1 MB, so xacct "
                f"reads no file over {MAX_FILE_BYTES // 1048576} MB",
            )
        with open(path, "rb") as handle:
            # at most one byte past the limit: a pipe or a device (/dev/stdin, /dev/zero) has no size
            # to check beforehand, and a file may grow while it is read
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return _finding(path, Mark(1, 1), "E0002",
                            f"more than {MAX_FILE_BYTES // 1048576} MB to read; SSM refuses document content over "
                            f"{MAX_DOCUMENT_BYTES // 1024} KB and CloudFormation templates over 1 MB, so xacct "
                            f"reads no file over {MAX_FILE_BYTES // 1048576} MB")
    except UnreadableInput:
        raise
    except OSError as exc:
        raise UnreadableInput(f"{path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return _finding(path, Mark(line, column), "E0001",
                        f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at byte offset {exc.start}")


def _looks_like_json(path: str, text: str) -> bool:
    return path.lower().endswith(".json") or text.lstrip().startswith("{")


def parse_any(path: str, text: str) -> Parsed:
    """JSON when the file says so (extension) or looks so, YAML otherwise."""
    if _looks_like_json(path, text):
        try:
            return parse_text(text, json_mode=True)
        except ParseError:
            if path.lower().endswith(".json"):
                raise
    return parse_text(text)


def load_file(path: str) -> Loaded:
    """Every Automation document in the file at `path`, with the findings made while loading."""
    text = read_text(path)
    if isinstance(text, Finding):
        return Loaded(path, findings=[text])
    return load_text(path, text)


def _size(text: str) -> int:
    """The bytes of `text` in UTF-8, as SSM counts Content."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _too_large(size: int) -> str:
    return (f"the document is {size / 1024:,.1f} KB; SSM refuses document content over "
            f"{MAX_DOCUMENT_BYTES // 1024} KB (CreateDocument: MaxDocumentSizeExceeded)")


def load_text(path: str, text: str) -> Loaded:
    """Every Automation document in `text`, read as if it were the file at `path`."""
    loaded = Loaded(path)
    if len(text) > MAX_DOCUMENT_BYTES // 4 and TEMPLATE_TYPE not in text:
        # a runbook itself (a template holds its runbooks in AWS::SSM::Document resources)
        size = _size(text)
        if size > MAX_DOCUMENT_BYTES:
            loaded.findings.append(_finding(path, Mark(1, 1), "E0002", _too_large(size)))
            return loaded
    try:
        parsed = parse_any(path, text)
    except ParseError as exc:
        loaded.findings.append(_finding(path, exc.mark, exc.rule_id, exc.message))
        return loaded
    _report_duplicates(loaded, parsed, Mark(0, 0))
    _report_out_of_range(loaded, parsed, Mark(0, 0))
    data = parsed.data
    if is_template(data):
        _load_template(loaded, text, parsed)
    elif len(text) > MAX_DOCUMENT_BYTES // 4 and _size(text) > MAX_DOCUMENT_BYTES:  # a runbook that names the type
        loaded.findings.append(_finding(path, Mark(1, 1), "E0002", _too_large(_size(text))))
    else:
        loaded.documents.append(Source(path, data, parsed.positions))
    return loaded


def is_template(data: Any) -> bool:
    return isinstance(data, dict) and (
        isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data
    )


def _report_duplicates(loaded: Loaded, parsed: Parsed, offset: Mark, fixed: Mark | None = None) -> None:
    for dup in parsed.duplicates:
        again = fixed or Mark(dup.again.line + offset.line, dup.again.column + offset.column)
        first = fixed or Mark(dup.first.line + offset.line, dup.first.column + offset.column)
        loaded.findings.append(
            _finding(
                loaded.path,
                again,
                "W0003",
                f"duplicate key '{dup.path[-1]}' (first at line {first.line}); the last one wins",
            )
        )


def _report_out_of_range(loaded: Loaded, parsed: Parsed, offset: Mark, fixed: Mark | None = None,
                         prefix: str = "") -> None:
    for value in parsed.out_of_range:
        where = fixed or Mark(value.mark.line + offset.line, value.mark.column + offset.column)
        loaded.findings.append(_finding(loaded.path, where, LIMIT, prefix + value.message))


def _load_template(loaded: Loaded, text: str, parsed: Parsed) -> None:
    resources = parsed.data.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::SSM::Document":
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict) or properties.get("DocumentType") != "Automation":
            continue  # Command, Session, ... documents are not runbooks; the default type is Command
        base = ("Resources", logical_id, "Properties", "Content")
        content = properties.get("Content")
        if isinstance(content, dict) and len(content) == 1 and "Fn::Sub" in content:
            # A runbook as a !Sub string: the ${...} are filled by CloudFormation, the rest is the runbook.
            sub = content["Fn::Sub"]
            content = sub[0] if isinstance(sub, list) and sub else sub
            base = base + (("Fn::Sub", 0) if isinstance(sub, list) else ("Fn::Sub",))
        size = _content_size(content)
        if size > MAX_DOCUMENT_BYTES:
            loaded.findings.append(_finding(loaded.path, parsed.positions.of(base), "E0002",
                                            f"{logical_id}: Content: {_too_large(size)}"))
        elif isinstance(content, str):
            _load_embedded(loaded, text, parsed, logical_id, base, content)
        elif isinstance(content, dict) and not is_intrinsic(content):
            loaded.documents.append(
                Source(loaded.path, content, parsed.positions.under(base), logical_id, parsed.data)
            )
        else:
            mark = parsed.positions.of(base)
            loaded.findings.append(
                _finding(
                    loaded.path,
                    mark,
                    "W0005",
                    f"{logical_id}: Content is built with "
                    f"{next(iter(content)) if isinstance(content, dict) and content else type(content).__name__}"
                    ", which xacct cannot evaluate; the runbook was not checked",
                )
            )


def _content_size(content: Any) -> int:
    """The size of a template's runbook as SSM receives it: the string, or the mapping as the
    JSON CloudFormation sends (0 for what it cannot tell)."""
    if isinstance(content, str):
        return _size(content)
    if isinstance(content, (dict, list)):
        try:
            return _size(json.dumps(content, separators=(",", ":"), ensure_ascii=False, default=str))
        except (ValueError, RecursionError):  # a value JSON cannot write, or nesting past its reach
            return 0
    return 0


def _load_embedded(loaded: Loaded, text: str, parsed: Parsed, logical_id: str, base, content: str) -> None:
    """A runbook given as a string (DocumentFormat JSON or YAML) inside the template."""
    mark = parsed.positions.of(base)
    line_offset, column_offset, fixed = _string_origin(text, mark)
    try:
        inner = parse_any(loaded.path + ".json" if content.lstrip().startswith("{") else loaded.path, content)
    except ParseError as exc:
        where = fixed or Mark(exc.mark.line + line_offset, exc.mark.column + column_offset)
        loaded.findings.append(_finding(loaded.path, where, exc.rule_id, f"{logical_id}: Content: {exc.message}"))
        return
    _report_duplicates(loaded, inner, Mark(line_offset, column_offset), fixed)
    _report_out_of_range(loaded, inner, Mark(line_offset, column_offset), fixed, f"{logical_id}: Content: ")
    positions = shifted(inner.positions, line_offset, column_offset, fixed)
    loaded.documents.append(Source(loaded.path, inner.data, positions, logical_id, parsed.data))


def _string_origin(text: str, mark: Mark) -> tuple[int, int, Mark | None]:
    """How to move marks of a string's own text to the file: a block scalar (`|` or `>`) keeps its
    lines, starting on the line after the indicator and indented; anything else (a quoted string)
    maps every mark to the string's start."""
    lines = text.splitlines()
    header = lines[mark.line - 1][mark.column - 1 :] if mark.line - 1 < len(lines) else ""
    if header[:1] in ("|", ">"):
        for following in lines[mark.line :]:
            if following.strip():
                indent = len(following) - len(following.lstrip(" "))
                return mark.line, indent, None
    return 0, 0, mark

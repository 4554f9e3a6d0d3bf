"""The `{{ }}` reference language of Automation documents.

`{{ Name }}` is a parameter, `{{ step.Output }}` an output of a step, `{{ variable:Name }}` a
runbook variable, `{{ global:ACCOUNT_ID }}` and friends system variables, `{{ ssm:/name }}` a
Parameter Store value. Placeholders such as `{{ RESOURCE_ID }}` belong to the service that
starts the runbook (State Manager associations, maintenance windows), not to the runbook itself.
(User Guide: "Variables you can reference in runbooks"; "Running automations that use targets".)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from .positions import Path

# What stands between the braces is a name: a parameter, step.Output, variable:X, global:X or
# ssm:/path. Other text in double braces (`{{{}}}` in a CloudFormation template body, a template
# language in a script) is not a reference; SSM passes it on as it is, and AWS's own runbooks
# carry such text in steps that run.
REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_][\w.:/\-]*)\s*\}\}")
# Left by a build step that was never run, e.g. %%SCRIPT=remediate.py%% or %%ROLE=...%%.
BUILD_PLACEHOLDER = re.compile(r"%%[A-Za-z_][A-Za-z0-9_]*(=[^%\s]*)?%%")

SYSTEM_VARIABLES = {
    "global:ACCOUNT_ID": "String",
    "global:REGION": "String",
    "global:DATE": "String",
    "global:DATE_TIME": "String",
    "global:AWS_PARTITION": "String",
    "automation:EXECUTION_ID": "String",
    "automation:DOCUMENT_NAME": "String",
}
# Filled in by State Manager or Maintenance Windows for each target, when they start a runbook.
TARGET_PLACEHOLDERS = frozenset({"RESOURCE_ID", "TARGET_ID", "TARGET_TYPE", "WINDOW_ID", "WINDOW_TASK_ID",
                                 "WINDOW_TARGET_ID", "WINDOW_EXECUTION_ID", "TASK_EXECUTION_ID", "INVOCATION_ID",
                                 "LOGGING_S3_BUCKET_NAME", "LOGGING_S3_KEY_PREFIX", "LOGGING_S3_REGION"})


@dataclass(frozen=True)
class Reference:
    """One `{{ ... }}`; `text` is what stands between the braces, trimmed."""

    text: str
    whole: bool  # the reference is the entire string, so the value keeps its type

    @property
    def kind(self) -> str:
        t = self.text
        if t in SYSTEM_VARIABLES:
            return "system"
        if t.startswith(("global:", "automation:")):
            return "unknown-system"
        if t.startswith("variable:"):
            return "variable"
        if t.startswith(("ssm:", "ssm-secure:")):
            return "parameter-store"
        if "." in t:
            return "step-output"
        return "parameter"

    @property
    def step(self) -> str:
        return self.text.split(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.text.split(".", 1)[1] if "." in self.text else ""


def reference_matches(text: str) -> list[re.Match]:
    """The `{{ ... }}` of `text`. The search stops at the last `}}`: from each `{{` after it the
    lazy match would run to the end of the text in vain, and a long run of `{{` would cost the
    square of its length."""
    end = text.rfind("}}")
    if end < 0:
        return []
    return list(REFERENCE.finditer(text, 0, end + 2))


def has_reference(text: str) -> bool:
    end = text.rfind("}}")
    return end >= 0 and REFERENCE.search(text, 0, end + 2) is not None


def references_in(text: str) -> list[Reference]:
    matches = reference_matches(text)
    whole = len(matches) == 1 and matches[0].group(0) == text.strip()
    return [Reference(m.group(1).strip(), whole) for m in matches]


def strings_in(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """Every string (mapping keys excluded) inside a value, with its path."""
    stack = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, str):
            yield here, item
        elif isinstance(item, dict):
            stack.extend((here + (k,), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((here + (i,), v) for i, v in reversed(list(enumerate(item))))


def strings_containing(value: Any, path: Path, needle: str) -> list[tuple[Path, str]]:
    """The strings inside a value (mapping keys excluded) that contain `needle`, with their
    paths, in document order. A path is built only for a string that has the needle: most
    strings of a large runbook have none, and building every path was most of the work."""
    found: list[tuple[Path, str]] = []
    trail: list = []

    def walk(item: Any) -> None:
        if isinstance(item, str):
            if needle in item:
                found.append((path + tuple(trail), item))
            return
        if isinstance(item, dict):
            pairs = item.items()
        elif isinstance(item, list):
            pairs = enumerate(item)
        else:
            return
        for key, child in pairs:
            if isinstance(child, str) and needle not in child:
                continue
            trail.append(key)
            walk(child)
            trail.pop()

    walk(value)  # recursion is bounded: the parser refuses documents nested over 200 levels
    return found
"""Step outputs: each declared output's Selector (JSONPath) applied to the action's response and
converted to its declared Type, as SSM does ("aws:executeAwsApi" outputs; "Creating runbook
outputs")."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ..document.model import Step
from ..selectors import parse_selector
from .errors import StepFailed


def plain(value: Any) -> Any:
    """A response as JSON data: timestamps become ISO text, bytes are dropped to text."""
    return json.loads(json.dumps(value, default=_default))


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "read"):  # a streaming body: SSM does not support streaming APIs
        return None
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def convert(value: Any, kind: str, name: str) -> Any:
    bad = StepFailed(f"Output {name} of type {kind} cannot be set from the value {json.dumps(value)[:200]}.",
                     retriable=False)
    if kind == "String":
        # SSM writes any selected value into a String output (seed 002 selects `$` of an
        # aws:executeAutomation step as a String and runs); lists and maps become JSON text.
        if isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"))
        return _text(value)
    if kind == "Integer":
        if isinstance(value, bool):
            raise bad
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad from None
    if kind == "Boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise bad
    if kind == "StringList":
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
            raise bad
        return [_text(v) for v in value]
    if kind == "StringMap":
        if not isinstance(value, dict):
            raise bad
        return value
    if kind == "MapList":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise bad
        return value
    raise bad


def select(selector: str, response: Any) -> tuple[bool, Any]:
    """(found, value): one match gives its value, several (or a deep scan) a list."""
    path = parse_selector(selector)
    matches = [m.value for m in path.find(response)]
    if not matches:
        return False, None
    if len(matches) == 1 and ".." not in selector:
        return True, matches[0]
    return True, matches


def step_outputs(step: Step, response: Any, builtin: dict[str, Any]) -> dict[str, Any]:
    outputs = dict(builtin)
    for output in step.outputs:
        if not output.name or not output.selector or not output.type:
            continue
        found, value = select(output.selector, response)
        if not found:
            raise StepFailed(f"Output {output.name}: the selector {output.selector} matched nothing in the "
                             "response.", retriable=False)
        outputs[output.name] = convert(value, output.type, output.name)
    return outputs


def as_ssm_values(value: Any) -> list[str]:
    """How GetAutomationExecution shows an output: a list of strings."""
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v) for v in value]
    if isinstance(value, str):
        return [value]
    return [_text(value) if not isinstance(value, dict) else json.dumps(value)]

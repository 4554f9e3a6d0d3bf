"""Building documents for rule tables, and the shape of a case."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from xacct.document.validate import validate_text


@dataclass(frozen=True)
class Case:
    rule: str  # the rule ID the case is about
    name: str
    text: str  # the document
    fires: bool  # whether the rule must report it

    def __str__(self) -> str:
        return f"{self.rule}-{self.name}"


def runbook(steps: str, parameters: str = "", extra: str = "") -> str:
    """A runbook around the given YAML (steps indented as list items under mainSteps)."""
    text = 'schemaVersion: "0.3"\n'
    if parameters:
        text += "parameters:\n" + textwrap.indent(textwrap.dedent(parameters).strip("\n"), "  ") + "\n"
    if extra:
        text += textwrap.dedent(extra).strip("\n") + "\n"
    text += "mainSteps:\n" + textwrap.indent(textwrap.dedent(steps).strip("\n"), "  ") + "\n"
    return text


def api_step(name: str, service: str, api: str, params: str = "", action: str = "aws:executeAwsApi") -> str:
    body = f"- name: {name}\n  action: {action}\n  inputs:\n    Service: {service}\n    Api: {api}\n"
    if params:
        body += textwrap.indent(textwrap.dedent(params).strip("\n"), "    ") + "\n"
    return body


SLEEP = "- name: wait\n  action: aws:sleep\n  inputs:\n    Duration: PT1S\n"


def ids(text: str) -> list[str]:
    return [f.id for f in validate_text(textwrap.dedent(text), "case.yaml")]


def check(case: Case) -> None:
    found = ids(case.text)
    assert "E0000" not in found, found
    if case.rule != "E0001":
        assert "E0001" not in found, "the case itself does not parse"
    if case.fires:
        assert case.rule in found, f"{case.rule} should fire; got {found}"
    else:
        assert case.rule not in found, f"{case.rule} should not fire; got {found}"

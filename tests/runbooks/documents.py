"""Runbooks written for these tests (and bench/catalogue.py), under names of their own
(Example-...), never AWS's: a folder of N, half JSON and half YAML, each a short run."""

from __future__ import annotations

import json
from pathlib import Path

YAML_RUNBOOK = """\
# written as YAML, kept as written
schemaVersion: '0.3'
description: Example {index}, a short nap.
parameters:
  Seconds:
    type: String
    default: PT0S
    description: How long to nap.
mainSteps:
  - name: nap
    action: aws:sleep
    inputs:
      Duration: '{{{{ Seconds }}}}'
"""


def json_runbook(index: int) -> dict:
    return {"schemaVersion": "0.3", "description": f"Example {index}, which reads the caller's identity.",
            "parameters": {"Note": {"type": "String", "default": "none"}},
            "mainSteps": [{"name": "whoAmI", "action": "aws:executeAwsApi",
                           "inputs": {"Service": "sts", "Api": "GetCallerIdentity"},
                           "outputs": [{"Name": "Account", "Selector": "$.Account", "Type": "String"}]}],
            "outputs": ["whoAmI.Account"]}


def name_of(index: int) -> str:
    return f"Example-Thing{index:04d}"


def write_folder(folder: Path, count: int) -> list[str]:
    """`count` runbooks in `folder`: even ones JSON, odd ones YAML. Returns their names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(count):
        name = name_of(index)
        if index % 2 == 0:
            (folder / f"{name}.json").write_text(json.dumps(json_runbook(index), indent=2))
        else:
            (folder / f"{name}.yaml").write_text(YAML_RUNBOOK.format(index=index))
        names.append(name)
    return names

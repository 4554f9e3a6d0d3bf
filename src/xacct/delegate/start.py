"""StartAutomationExecution as `xacct run` asks for it in AWS mode: the runbook (a file made a
document first, runbook.py), its parameters, the target locations, Targets, TargetMaps and rate
control as given. The execution ID is SSM's."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Request:
    document_name: str
    given: dict
    document_version: str | None = None
    locations: list[dict] = field(default_factory=list)  # TargetLocations entries, as the API spells them
    control: dict = field(default_factory=dict)  # TargetParameterName, Targets, TargetMaps, MaxConcurrency, ...
    tags: list[dict] = field(default_factory=list)

    def as_params(self) -> dict:
        params: dict = {"DocumentName": self.document_name, "Parameters": self.given}
        if self.document_version:
            params["DocumentVersion"] = self.document_version
        if self.locations:
            params["TargetLocations"] = self.locations
        params.update(self.control)
        if self.tags:
            params["Tags"] = self.tags
        return params


def start(ssm, request: Request) -> str:
    """The execution ID SSM answers with; botocore's ClientError as SSM refuses."""
    return ssm.start_automation_execution(**request.as_params())["AutomationExecutionId"]

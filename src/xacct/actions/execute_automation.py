"""aws:executeAutomation: run another runbook as a child execution."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:executeAutomation",
    page="aws:executeAutomation – Run another automation",
    inputs=(
        Input("DocumentName", required=True),
        Input("DocumentVersion"),
        Input("RuntimeParameters", "StringMap"),
        Input("MaxConcurrency"),
        Input("MaxErrors"),
        Input("Tags", "MapList"),
        Input("TargetLocations", "MapList"),
        Input("TargetMaps", "MapList"),
        Input("TargetParameterName"),
        Input("Targets", "MapList"),
    ),
    # Output is a StringList even when the child has one output (the S2 pitfall).
    outputs={"Output": "StringList", "ExecutionId": "String", "Status": "String"},
    exclusive=(("Targets", "TargetMaps"),),
)

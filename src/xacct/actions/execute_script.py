"""aws:executeScript: run a Python (or PowerShell) script; its return value is `Payload`."""

from .spec import ActionSpec, Input

PYTHON_RUNTIMES = ("python3.10", "python3.11", "python3.12")
# No longer accepted by AWS (creation stopped in 2024, runs in 2025), still seen in old documents.
RETIRED_RUNTIMES = ("python3.6", "python3.7", "python3.8", "python3.9", "PowerShell Core 6.0", "PowerShell 7.0")
POWERSHELL_RUNTIMES = ("PowerShell 7.4",)

SPEC = ActionSpec(
    name="aws:executeScript",
    page="aws:executeScript – Run a script",
    inputs=(
        Input("Runtime", required=True),
        Input("Handler"),
        Input("Script"),
        Input("Attachment"),
        Input("InputPayload", "Any"),
    ),
    outputs={"Payload": "StringMap"},
    one_of=(("Script", "Attachment"),),
    max_timeout_seconds=600,
    default_timeout_seconds=600,
    phase="Poll action status for completion",
)


def run(call):
    from ..engine.call import StepResult
    from ..engine.scripts import run_script

    response = run_script(call)
    return StepResult(response=response, outputs={"Payload": response["Payload"]})

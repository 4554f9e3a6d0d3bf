from ...actions.execute_script import POWERSHELL_RUNTIMES, PYTHON_RUNTIMES, RETIRED_RUNTIMES
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule


class ScriptRuntime(Rule):
    """aws:executeScript runs a runtime the page lists: a Python script names its Handler, a
    PowerShell script is inline, and an Attachment is declared under `files`
    ("aws:executeScript – Run a script"). A runtime AWS calls deprecated (python3.6, python3.7)
    is a warning (W2012): runbooks AWS publishes still name them and run."""

    id = "E2012"
    summary = "scripts use a supported runtime and entry point"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html"
    warning_id = "W2012"
    warning_summary = "scripts use a runtime AWS still supports"

    def check(self, doc: Document):
        for step in doc.all_steps():
            if step.action != "aws:executeScript":
                continue
            inputs = step.inputs
            runtime = inputs.get("Runtime")
            where = step.path + ("inputs",)
            if not isinstance(runtime, str) or is_dynamic(runtime):
                continue
            if runtime in RETIRED_RUNTIMES:
                yield Issue(where + ("Runtime",), f"runtime {runtime} is deprecated: its Python no longer gets "
                                                  f"fixes; use {PYTHON_RUNTIMES[1]}", doubtful=True)
            elif runtime in PYTHON_RUNTIMES:
                if "Handler" not in inputs:
                    yield Issue(where, f"a {runtime} script needs a Handler", at_key=True)
            elif runtime in POWERSHELL_RUNTIMES:
                if "Handler" in inputs:
                    yield Issue(where + ("Handler",), "PowerShell scripts take no Handler", at_key=True)
            else:
                known = ", ".join(PYTHON_RUNTIMES + POWERSHELL_RUNTIMES)
                yield Issue(where + ("Runtime",), f"unknown runtime '{runtime}' (known: {known})")
            attachment = inputs.get("Attachment")
            if isinstance(attachment, str) and not is_dynamic(attachment) and attachment not in doc.files:
                yield Issue(where + ("Attachment",), f"attachment '{attachment}' is not declared under files")

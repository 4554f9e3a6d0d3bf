from ...actions.execute_script import POWERSHELL_RUNTIMES, PYTHON_RUNTIMES, RETIRED_RUNTIMES
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule


# AWS announced in 2024 (a notice on the action's page, kept in some translations such as
# https://docs.aws.amazon.com/ja_jp/systems-manager/latest/userguide/automation-action-executeScript.html)
# that runbooks with aws:executeScript steps on these runtimes could no longer be created or
# updated from 2024-12-04, nor run from 2025-02-18. The English page carries no such notice now
# and AWS's own published runbooks still use python3.6 and python3.7, which SSM runs: not a
# certain failure, so a warning that says what was announced.
ANNOUNCED_RUNTIMES = ("python3.6", "python3.7", "python3.8")


class ScriptRuntime(Rule):
    """aws:executeScript runs a runtime the page lists: a Python script names its Handler, a
    PowerShell script is inline, and an Attachment is declared under `files`
    ("aws:executeScript – Run a script"); a runtime SSM does not know is an error. Retired
    runtimes are warnings (W2012): python3.6 to python3.8 were announced to stop running from
    2025-02-18, yet AWS's own runbooks still use them; python3.9, PowerShell Core 6.0 and
    PowerShell 7.0 have no announced date."""

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
            if runtime in ANNOUNCED_RUNTIMES:
                yield Issue(where + ("Runtime",), f"runtime {runtime} is retired: AWS announced that SSM would "
                                                  f"stop creating, updating and running such steps (from "
                                                  f"2024-12-04 and 2025-02-18); use {PYTHON_RUNTIMES[1]}",
                            doubtful=True)
            elif runtime in RETIRED_RUNTIMES:
                yield Issue(where + ("Runtime",), f"runtime {runtime} is deprecated; use {PYTHON_RUNTIMES[1]}",
                            doubtful=True)
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

from ..model import Document
from ..references import BUILD_PLACEHOLDER, strings_containing
from .base import Issue, Rule


class BuildPlaceholder(Rule):
    """`%%SCRIPT=file.py%%` and similar placeholders are filled by a build step before the
    runbook is deployed; left in, SSM takes them as text. In the Script of an aws:executeScript
    step that text is not Python (nor PowerShell), so the step certainly fails; elsewhere it is a
    value that may or may not be used, which is a warning (W4002)."""

    id = "E4002"
    summary = "no unresolved build placeholders in scripts"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html"
    blocks_creation = False
    warning_id = "W4002"
    warning_summary = "no unresolved build placeholders"

    def check(self, doc: Document):
        scripts = {step.path + ("inputs", "Script") for step in doc.all_steps() if step.action == "aws:executeScript"}
        for path, text in strings_containing(doc.content, (), "%%"):
            for match in BUILD_PLACEHOLDER.finditer(text):
                yield Issue(path, f"unresolved build placeholder {match.group(0)}: run the build that fills it "
                                  "before deploying or running this runbook", doubtful=path not in scripts)

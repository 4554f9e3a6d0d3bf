from ..model import Document
from .base import Issue, Rule

# "Data elements and parameters" (AWS Systems Manager User Guide), schema version 0.3.
SHAPES = {
    "schemaVersion": (str, float),
    "description": str,
    "assumeRole": str,
    "parameters": dict,
    "variables": dict,
    "mainSteps": list,
    "outputs": list,
    "files": dict,
    # A change template (document type Automation.ChangeTemplate) adds these ("Working with change
    # templates": https://docs.aws.amazon.com/systems-manager/latest/userguide/change-templates.html).
    "templateInformation": str,
    "executableRunBooks": list,
    "emergencyChange": bool,
    "autoApprovable": bool,
}
CHANGE_TEMPLATE_ELEMENTS = ("templateInformation", "executableRunBooks", "emergencyChange", "autoApprovable")
NAMES = {str: "a string", float: "a string", dict: "a mapping", list: "a list", bool: "true or false"}


class TopLevel(Rule):
    """The document is a mapping; its elements have the documented shapes; mainSteps is there
    and holds at least one step."""

    id = "E0012"
    summary = "top-level elements have the right shape"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html"

    def check(self, doc: Document):
        content = doc.content
        if not isinstance(content, dict):
            yield Issue((), "a runbook is a mapping with schemaVersion, mainSteps and more")
            return
        if "mainSteps" not in content:
            yield Issue((), "missing mainSteps: a runbook needs at least one step")
        elif isinstance(content["mainSteps"], list) and not content["mainSteps"]:
            yield Issue(("mainSteps",), "mainSteps is empty: a runbook needs at least one step")
        for key, shape in SHAPES.items():
            if key in content and content[key] is not None and not isinstance(content[key], shape):
                expected = NAMES[shape if isinstance(shape, type) else shape[0]]
                yield Issue((key,), f"{key} must be {expected}, not {type(content[key]).__name__}")
            elif key in content and content[key] is None and key != "description":
                yield Issue((key,), f"{key} is empty")
        outputs = content.get("outputs")
        for i, output in enumerate(outputs if isinstance(outputs, list) else []):
            if not isinstance(output, str):
                yield Issue(("outputs", i), "each document output is a string 'stepName.outputName'")

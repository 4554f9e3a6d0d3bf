from ...actions import ACTIONS
from ..model import Document
from ...selectors import selector_error
from ..values import is_dynamic
from .base import Issue, Rule


class Selector(Rule):
    """Output selectors and PropertySelector inputs are valid JSONPath; an aws:executeScript
    output selects from what the script returned, under $.Payload (or the whole `$`)."""

    id = "E2011"
    summary = "selectors are valid JSONPath"
    blocks_creation = False

    def check(self, doc: Document):
        for step in doc.all_steps():
            for output in step.outputs:
                if not isinstance(output.selector, str) or is_dynamic(output.selector):
                    continue
                error = selector_error(output.selector)
                if error:
                    yield Issue(output.path + ("Selector",), f"output '{output.name}': {error}")
                elif step.action == "aws:executeScript" and output.selector.startswith("$.") and not output.selector.startswith("$.Payload"):
                    yield Issue(output.path + ("Selector",),
                                f"output '{output.name}' of a script selects from $.Payload, the script's return value")
            spec = ACTIONS.get(step.action or "")
            selector = step.inputs.get("PropertySelector")
            if spec and spec.calls_any_api and isinstance(selector, str) and not is_dynamic(selector):
                error = selector_error(selector)
                if error:
                    yield Issue(step.path + ("inputs", "PropertySelector"), f"PropertySelector: {error}")

from functools import lru_cache

from ...actions import ACTIONS
from ...selectors import selector_error
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule

# Each expression is compiled once: selectors.parse_selector caches the valid ones, and this
# caches the verdict on the invalid ones too, which a large runbook repeats step after step.
_selector_error = lru_cache(maxsize=4096)(selector_error)


class Selector(Rule):
    """Output selectors and PropertySelector inputs are valid JSONPath; an aws:executeScript
    output selects from what the script returned, under $.Payload (or the whole `$`). A warning:
    AWS does not document that a selector that selects nothing fails the step."""

    id = "W2011"
    summary = "selectors are valid JSONPath"
    blocks_creation = False

    def check(self, doc: Document):
        for step in doc.all_steps():
            for output in step.outputs:
                if not isinstance(output.selector, str) or is_dynamic(output.selector):
                    continue
                error = _selector_error(output.selector)
                if error:
                    yield Issue(output.path + ("Selector",), f"output '{output.name}': {error}")
                elif step.action == "aws:executeScript" and output.selector.startswith("$.") and not output.selector.startswith("$.Payload"):
                    yield Issue(output.path + ("Selector",),
                                f"output '{output.name}' of a script selects from $.Payload, the script's return value")
            spec = ACTIONS.get(step.action or "")
            selector = step.inputs.get("PropertySelector")
            if spec and spec.calls_any_api and isinstance(selector, str) and not is_dynamic(selector):
                error = _selector_error(selector)
                if error:
                    yield Issue(step.path + ("inputs", "PropertySelector"), f"PropertySelector: {error}")

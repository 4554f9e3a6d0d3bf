from ...actions import VALUE_TYPES
from ..model import Document
from .base import Issue, Rule


class StepOutputs(Rule):
    """Step outputs are a list of {Name, Selector, Type}; Type is String, Integer, Boolean,
    StringList, StringMap or MapList; names are unique within the step ("Working with inputs and
    outputs"). An output without Type, or with a property the page does not list, is a warning
    (W2010): runbooks AWS publishes have such outputs."""

    id = "E2010"
    summary = "step outputs are well formed"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-outputs-inputs.html"
    warning_id = "W2010"
    warning_summary = "step outputs declare a Type and nothing else"

    def check(self, doc: Document):
        for step in doc.all_steps():
            raw = doc.raw_at(step.path)
            if not isinstance(raw, dict) or "outputs" not in raw:
                continue
            outputs = raw["outputs"]
            if not isinstance(outputs, list):
                yield Issue(step.property_path("outputs"), "outputs is a list of {Name, Selector, Type}")
                continue
            seen = set()
            for i, output in enumerate(outputs):
                where = step.path + ("outputs", i)
                if not isinstance(output, dict):
                    yield Issue(where, "an output is a mapping with Name, Selector and Type")
                    continue
                for key in ("Name", "Selector", "Type"):
                    if key not in output:
                        yield Issue(where, f"output has no {key}", doubtful=key == "Type")
                for key in output:
                    if key not in ("Name", "Selector", "Type"):
                        yield Issue(where + (key,), f"unknown output property '{key}'", at_key=True, doubtful=True)
                kind = output.get("Type")
                if kind is not None and kind not in VALUE_TYPES:
                    yield Issue(where + ("Type",), f"output type '{kind}' is not one of {', '.join(VALUE_TYPES)}")
                name = output.get("Name")
                if not isinstance(name, str):
                    if name is not None:
                        yield Issue(where + ("Name",), "an output Name is a string")
                    continue
                if name in seen:
                    yield Issue(where + ("Name",), f"output name '{name}' is used twice in step '{step.name}'")
                seen.add(name)

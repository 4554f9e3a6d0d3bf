from ..flow import END, flows
from ..model import Document
from .base import Issue, Rule


class UnreachableStep(Rule):
    """Every step can be reached from the first one, along the order of steps, nextStep,
    branches, onFailure or onCancel."""

    id = "W3003"
    summary = "no unreachable steps"

    def check(self, doc: Document):
        for flow in flows(doc):
            named = [s for s in flow.steps if s.name]
            if not named:
                continue
            seen, todo = set(), [named[0].name]
            while todo:
                name = todo.pop()
                if name in seen or name == END:
                    continue
                seen.add(name)
                todo.extend(flow.success.get(name, []) + flow.other.get(name, []))
            for step in named:
                if step.name not in seen:
                    yield Issue(step.property_path("name"), f"step '{step.name}' can never run: no step leads to it")

from ..flow import END, flows
from ..model import Document
from .base import Issue, Rule


class UnreachableStep(Rule):
    """Every step can be reached from the first one, along the order of steps, nextStep,
    branches, onFailure or onCancel, or by a jump out of a loop's steps."""

    id = "W3003"
    summary = "no unreachable steps"

    def check(self, doc: Document):
        all_flows = flows(doc)
        # A jump out of a loop's steps reaches a step of a list around the loop.
        leaving: set[str] = set()
        for flow in all_flows:
            own = {s.name for s in flow.steps}
            leaving.update(jump.target for _, jump in flow.jumps if jump.target not in own)
        for flow in all_flows:
            named = [s for s in flow.steps if s.name]
            if not named:
                continue
            seen, todo = set(), [named[0].name] + [s.name for s in named if s.name in leaving]
            while todo:
                name = todo.pop()
                if name in seen or name == END:
                    continue
                seen.add(name)
                todo.extend(flow.success.get(name, []) + flow.other.get(name, []))
            for step in named:
                if step.name not in seen:
                    yield Issue(step.property_path("name"), f"step '{step.name}' can never run: no step leads to it")

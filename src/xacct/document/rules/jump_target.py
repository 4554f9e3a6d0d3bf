from ..flow import flows
from ..hints import Hints
from ..model import Document
from .base import Issue, Rule


class JumpTarget(Rule):
    """nextStep, onFailure step:X, onCancel step:X and branch NextStep/Default name a step of
    the same step list."""

    id = "E3001"
    summary = "jumps go to existing steps"

    def check(self, doc: Document):
        everywhere = {s.name for s in doc.all_steps()}
        hints = Hints()
        for flow in flows(doc):
            names = [s.name for s in flow.steps if s.name]
            known = set(names)
            for step, jump in flow.jumps:
                if jump.target in known:
                    continue
                if jump.target in everywhere:
                    yield Issue(jump.path, f"{jump.kind} of '{step.name}' goes to '{jump.target}', which is in "
                                           "another step list (a loop's steps jump only among themselves)")
                    continue
                close = hints.close(jump.target, names)
                hint = f"; did you mean '{close}'?" if close else ""
                yield Issue(jump.path, f"{jump.kind} of '{step.name}' goes to '{jump.target}', which is not a step{hint}")

import difflib

from ..flow import flow_of, scopes
from ..model import Document
from .base import Issue, Rule


class JumpTarget(Rule):
    """nextStep, onFailure step:X, onCancel step:X and branch NextStep/Default name a step of
    the same step list."""

    id = "E3001"
    summary = "jumps go to existing steps"

    def check(self, doc: Document):
        everywhere = {s.name for s in doc.all_steps()}
        for steps in scopes(doc):
            names = [s.name for s in steps if s.name]
            for step, jump in flow_of(steps).jumps:
                if jump.target in names:
                    continue
                if jump.target in everywhere:
                    yield Issue(jump.path, f"{jump.kind} of '{step.name}' goes to '{jump.target}', which is in "
                                           "another step list (a loop's steps jump only among themselves)")
                    continue
                close = difflib.get_close_matches(jump.target, names, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield Issue(jump.path, f"{jump.kind} of '{step.name}' goes to '{jump.target}', which is not a step{hint}")

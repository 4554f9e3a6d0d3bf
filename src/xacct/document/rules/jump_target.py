from ..flow import enclosing_names, flows
from ..hints import Hints
from ..model import Document
from .base import Issue, Rule


class JumpTarget(Rule):
    """nextStep, onFailure step:X, onCancel step:X and branch NextStep/Default name a step of
    the same step list, or, from a loop's steps, a step around the loop (the loop ends and the
    automation goes on there). SSM cannot move to a step that is not there, nor into a loop's
    steps from outside: the loop runs them ("aws:loop – Iterate over steps in an automation")."""

    id = "E3001"
    summary = "jumps go to existing steps"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-loop.html"

    def check(self, doc: Document):
        everywhere = {s.name for s in doc.all_steps()}
        hints = Hints()
        for flow, around in zip(flows(doc), enclosing_names(doc)):
            names = [s.name for s in flow.steps if s.name]
            known = set(names) | around
            for step, jump in flow.jumps:
                if jump.target in known:
                    continue
                if jump.target in everywhere:
                    yield Issue(jump.path, f"{jump.kind} of '{step.name}' goes to '{jump.target}', which is in "
                                           "the steps of a loop it is not in (a loop runs its own steps)")
                    continue
                close = hints.close(jump.target, names)
                hint = f"; did you mean '{close}'?" if close else ""
                yield Issue(jump.path, f"{jump.kind} of '{step.name}' goes to '{jump.target}', which is not a step{hint}")

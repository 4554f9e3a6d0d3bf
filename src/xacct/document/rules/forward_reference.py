from ..model import Document
from ..symbols import step_references, symbols_of
from .base import Issue, Rule


class ForwardReference(Rule):
    """A step refers to outputs of steps that come before it; an output of a later step (or of
    the step itself) exists only if a jump ran that step first."""

    id = "W4003"
    summary = "references point backwards"

    def check(self, doc: Document):
        symbols = symbols_of(doc)
        for step, path, ref in step_references(doc):
            if step is None or ref.kind != "step-output" or ref.step not in symbols.order:
                continue
            if ref.step == step.parent:
                continue  # a loop's CurrentIteration inside its own steps
            if symbols.order[ref.step] >= symbols.order.get(step.name or "", -1):
                yield Issue(path, f"'{step.name}' uses {{{{{ref.text}}}}}, an output of a step that has not run yet")

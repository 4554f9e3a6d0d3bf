from ...actions.loop import MAX_ITERATIONS
from ..conditions import condition_problems
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule


class LoopInputs(Rule):
    """aws:loop repeats at most 100 times, over Iterators or while a LoopCondition holds, and
    holds at least one step ("aws:loop – Iterate over steps in an automation")."""

    id = "E2014"
    summary = "loops are bounded and well formed"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-loop.html"

    def check(self, doc: Document):
        for step in doc.all_steps():
            if step.action != "aws:loop":
                continue
            inputs = step.inputs
            where = step.path + ("inputs",)
            limit = inputs.get("MaxIterations")
            if limit is not None and not is_dynamic(limit):
                if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_ITERATIONS:
                    yield Issue(where + ("MaxIterations",), f"MaxIterations is 1 to {MAX_ITERATIONS}, not {limit!r}")
            iterators = inputs.get("Iterators")
            if isinstance(iterators, list) and len(iterators) > MAX_ITERATIONS:
                yield Issue(where + ("Iterators",), f"a loop iterates over at most {MAX_ITERATIONS} items")
            if "Iterators" not in inputs and "LoopCondition" not in inputs:
                yield Issue(where, "a loop needs Iterators (for each) or LoopCondition (do while)", at_key=True)
            if "LoopCondition" in inputs:
                for path, message in condition_problems(
                    inputs["LoopCondition"], where + ("LoopCondition",), top=True, needs_next_step=False
                ):
                    yield Issue(path, message)
            if isinstance(inputs.get("Steps"), list) and not inputs["Steps"]:
                yield Issue(where + ("Steps",), "a loop holds at least one step")

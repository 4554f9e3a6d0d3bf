"""aws:loop: repeat nested steps for each item, or while a condition holds (100 times at most)."""

from .spec import ActionSpec, Input

MAX_ITERATIONS = 100

SPEC = ActionSpec(
    name="aws:loop",
    page="aws:loop – Iterate over steps in an automation",
    inputs=(
        Input("Steps", "MapList", required=True),
        Input("Iterators", "StringList"),
        Input("IteratorDataType", allowed=("Boolean", "Integer", "String", "StringMap")),
        Input("LoopCondition", "StringMap"),
        Input("MaxIterations", "Integer"),
    ),
    outputs={"CurrentIteration": "Integer", "CurrentIteratorValue": "String"},
    exclusive=(("Iterators", "LoopCondition"),),
    allows_on_cancel=False,
)


def run(call):
    """Run the nested steps for each iterator value, or while the condition holds, at most
    MaxIterations times. A failed nested step fails the loop (the loop inherits its onFailure).
    A jump from a nested step to a step around the loop (nextStep, a branch, onFailure) ends
    the loop, and the automation goes on at that step."""
    from ..engine.call import StepResult
    from ..engine.conditions import holds
    from ..engine.errors import StepFailed
    from ..engine.interpolate import interpolate
    from ..engine.runner import run_steps

    ex = call.execution
    step = call.step
    inputs = call.inputs
    limit = int(inputs.get("MaxIterations", MAX_ITERATIONS) or MAX_ITERATIONS)
    iterators = inputs.get("Iterators")
    kind = inputs.get("IteratorDataType", "String")
    iteration = 0
    values: dict = {}
    while iteration < limit:
        if iterators is not None:
            if iteration >= len(iterators):
                break
            values = {"CurrentIteration": iteration + 1, "CurrentIteratorValue": _typed(iterators[iteration], kind)}
        else:
            values = {"CurrentIteration": iteration + 1}
        ex.loop_values[step.name] = values
        call.check()
        leaving: dict = {}
        status, failure = run_steps(ex, list(step.steps), leaving)
        iteration += 1
        if "to" in leaving:
            ex.loop_values.pop(step.name, None)
            return StepResult(outputs=_outputs(iteration, values), next_step=leaving["to"])
        if status != "Success":
            raise StepFailed(f"Iteration {iteration} of loop {step.name} ended {status}: {failure}",
                             retriable=False)
        if iterators is None:
            condition = interpolate(step.inputs.get("LoopCondition"), ex.lookup)
            if not holds(condition):
                break
    ex.loop_values.pop(step.name, None)
    return StepResult(outputs=_outputs(iteration, values))


def _outputs(iteration: int, values: dict) -> dict:
    outputs = {"CurrentIteration": iteration}
    if "CurrentIteratorValue" in values:
        outputs["CurrentIteratorValue"] = values["CurrentIteratorValue"]
    return outputs


def _typed(value, kind):
    if kind == "Integer":
        return int(value)
    if kind == "Boolean":
        return str(value).lower() == "true"
    if kind == "StringMap" and isinstance(value, str):
        import json

        return json.loads(value)
    return value

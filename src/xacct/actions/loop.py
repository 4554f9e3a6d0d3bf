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

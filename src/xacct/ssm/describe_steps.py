"""DescribeAutomationStepExecutions: the steps of one execution, in the order they ran (or the
reverse), filtered by StepExecutionFilter keys."""

from __future__ import annotations

from .context import Context
from .errors import SsmError
from .get import automation_execution
from .paging import page
from .shapes import answer, check_request
from .times import moment

OPERATION = "DescribeAutomationStepExecutions"
# StepExecutionFilter key -> the StepExecution member it tests
MEMBERS = {"StepExecutionStatus": "StepStatus", "StepExecutionId": "StepExecutionId", "StepName": "StepName",
           "Action": "Action"}


def handle(params: dict, ctx: Context) -> dict:
    params = check_request(OPERATION, params)
    steps = automation_execution(params["AutomationExecutionId"], ctx)["StepExecutions"]
    for entry in params.get("Filters") or []:
        steps = [s for s in steps if _holds(entry["Key"], entry["Values"], s)]
    if params.get("ReverseOrder"):
        steps = list(reversed(steps))
    chunk, token = page(steps, params)
    return answer(OPERATION, {"StepExecutions": chunk, **({"NextToken": token} if token else {})})


def _holds(key: str, values: list[str], step: dict) -> bool:
    if not values:
        raise SsmError("InvalidFilterValue", f"The filter {key} needs at least one value.")
    if key in MEMBERS:
        return step.get(MEMBERS[key]) in values
    if key in ("StartTimeBefore", "StartTimeAfter"):
        if not step.get("ExecutionStartTime"):
            return False
        began = moment(step["ExecutionStartTime"], key)
        moments = [moment(v, key) for v in values]
        return any(began < m for m in moments) if key == "StartTimeBefore" else any(began > m for m in moments)
    # ParentStepExecutionId, ParentStepIteration, ParentStepIteratorValue: steps inside aws:loop
    return False

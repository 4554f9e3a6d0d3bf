"""Checks of the conditions of aws:branch Choices and aws:loop LoopCondition ("Using
conditional statements in runbooks"): a Variable and one comparison, or And/Or over a list of
conditions, or Not over one."""

from __future__ import annotations

from typing import Any, Iterator

from ..actions.branch import BOOLEAN_OPERATORS, COMPARISONS, LOGICAL_OPERATORS, NUMERIC_OPERATORS
from .positions import Path
from .values import is_dynamic

OPERATORS = COMPARISONS + LOGICAL_OPERATORS


def _operand_error(operator: str, operand: Any) -> str | None:
    if is_dynamic(operand):
        return None
    if operator in NUMERIC_OPERATORS:
        if isinstance(operand, bool) or not isinstance(operand, (int, float, str)):
            return "a number"
        if isinstance(operand, str):
            try:
                float(operand)
            except ValueError:
                return "a number"
    elif operator in BOOLEAN_OPERATORS:
        if not (isinstance(operand, bool) or (isinstance(operand, str) and operand.lower() in ("true", "false"))):
            return "true or false"
    elif not isinstance(operand, (str, int, float, bool)):
        return "a string"
    return None


def condition_problems(cond: Any, path: Path, *, top: bool, needs_next_step: bool) -> Iterator[tuple[Path, str]]:
    if not isinstance(cond, dict):
        yield path, "a condition is a mapping with Variable and an operator, or And, Or or Not"
        return
    operators = [k for k in cond if k in OPERATORS]
    unknown = [k for k in cond if k not in OPERATORS and k not in ("Variable", "NextStep")]
    for key in unknown:
        yield path + (key,), f"unknown operator '{key}' (known: {', '.join(OPERATORS)})"
    if top and needs_next_step and "NextStep" not in cond:
        yield path, "a choice needs NextStep"
    if not top and "NextStep" in cond:
        yield path + ("NextStep",), "NextStep belongs to the choice, not to a condition inside And, Or or Not"
    if len(operators) != 1:
        if not unknown:
            yield path, f"a condition has exactly one operator, not {len(operators)}"
        return
    operator = operators[0]
    operand = cond[operator]
    if operator in ("And", "Or"):
        if not isinstance(operand, list) or not operand:
            yield path + (operator,), f"{operator} takes a list of conditions"
            return
        for i, inner in enumerate(operand):
            yield from condition_problems(inner, path + (operator, i), top=False, needs_next_step=False)
    elif operator == "Not":
        yield from condition_problems(operand, path + (operator,), top=False, needs_next_step=False)
    else:
        if "Variable" not in cond:
            yield path, f"{operator} compares a Variable, and there is none"
        expected = _operand_error(operator, operand)
        if expected:
            yield path + (operator,), f"{operator} compares with {expected}, not {operand!r}"

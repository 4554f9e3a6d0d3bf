"""The control flow of a list of steps, as SSM moves through it: the next step in order unless
`nextStep`, `isEnd` or an aws:branch decides otherwise; `onFailure` and `onCancel` add jumps.
The steps of an aws:loop form a list of their own."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Document, Step
from .positions import Path

END = "<end>"


@dataclass
class Jump:
    target: str
    path: Path  # where the jump is written
    kind: str  # nextStep, onFailure, onCancel, Choices, Default


@dataclass
class Flow:
    steps: list[Step]
    success: dict[str, list[str]] = field(default_factory=dict)  # step -> next steps on success
    other: dict[str, list[str]] = field(default_factory=dict)  # step -> steps after failure/cancel
    jumps: list[tuple[Step, Jump]] = field(default_factory=list)


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def step_jumps(step: Step) -> list[Jump]:
    jumps = []
    if isinstance(step.next_step, str):
        jumps.append(Jump(step.next_step, step.property_path("nextStep"), "nextStep"))
    for kind, value in (("onFailure", step.on_failure), ("onCancel", step.on_cancel)):
        if isinstance(value, str) and value.startswith("step:"):
            jumps.append(Jump(value[len("step:"):], step.property_path(kind), kind))
    if step.action == "aws:branch":
        choices = step.inputs.get("Choices")
        for i, choice in enumerate(choices if isinstance(choices, list) else []):
            if isinstance(choice, dict) and isinstance(choice.get("NextStep"), str):
                jumps.append(Jump(choice["NextStep"], step.path + ("inputs", "Choices", i, "NextStep"), "Choices"))
        if isinstance(step.inputs.get("Default"), str):
            jumps.append(Jump(step.inputs["Default"], step.path + ("inputs", "Default"), "Default"))
    return jumps


def flow_of(steps: list[Step] | tuple[Step, ...]) -> Flow:
    flow = Flow(list(steps))
    names = [s.name for s in steps]
    for i, step in enumerate(steps):
        key = step.name or f"#{i}"
        following = names[i + 1] if i + 1 < len(names) and names[i + 1] else END
        jumps = step_jumps(step)
        flow.jumps.extend((step, j) for j in jumps)
        success: list[str] = []
        if step.action == "aws:branch":
            success = [j.target for j in jumps if j.kind in ("Choices", "Default")]
            if not any(j.kind == "Default" for j in jumps):
                success.append(END if _is_true(step.is_end) else following)
        elif isinstance(step.next_step, str):
            success = [step.next_step]
        elif _is_true(step.is_end):
            success = [END]
        else:
            success = [following]
        other = [j.target for j in jumps if j.kind in ("onFailure", "onCancel")]
        if step.on_failure == "Continue":
            other.append(following)
        flow.success[key] = success
        flow.other[key] = other
    return flow


def scopes(doc: Document) -> list[list[Step]]:
    """The main steps, then the steps of each loop, each a list in which jumps are resolved."""
    result = [list(doc.steps)]
    for step in doc.all_steps():
        if step.steps:
            result.append(list(step.steps))
    return result


def enclosing_names(doc: Document) -> list[set[str]]:
    """For each scope (in the order of `scopes`), the names of the steps of the scopes around it:
    a step in a loop may jump to them, which ends the loop and goes on at the target (as a jump
    out of a loop does in SSM); nothing jumps into a loop's steps from outside."""
    return doc.derived(_enclosing_names)


def _enclosing_names(doc: Document) -> list[set[str]]:
    all_scopes = scopes(doc)
    result: list[set[str]] = [set()]
    scope_of: dict[int, int] = {id(step): 0 for step in doc.steps}
    for step in doc.all_steps():
        if not step.steps:
            continue
        outer = scope_of.get(id(step), 0)
        around = result[outer] | {s.name for s in all_scopes[outer] if s.name}
        index = len(result)
        result.append(around)
        for inner in step.steps:
            scope_of[id(inner)] = index
    return result


def flows(doc: Document) -> list[Flow]:
    """The flow of each scope (see `scopes`), made once per document for the rules that read it."""
    return doc.derived(_flows)


def _flows(doc: Document) -> list[Flow]:
    return [flow_of(steps) for steps in scopes(doc)]

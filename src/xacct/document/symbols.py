"""What a document's `{{ }}` references can name, and the type of each: parameters, variables,
step outputs (declared ones and each action's built-in ones) and system variables."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..actions import ACTIONS
from .model import Document, Step
from .positions import Path
from .references import SYSTEM_VARIABLES, Reference, references_in, strings_containing
from .types import value_type


@dataclass
class Symbols:
    doc: Document
    order: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        for i, step in enumerate(self.doc.all_steps()):
            if step.name and step.name not in self.order:
                self.order[step.name] = i

    @cached_property
    def steps(self) -> dict[str, Step]:
        result: dict[str, Step] = {}
        for step in self.doc.all_steps():
            if step.name:
                result.setdefault(step.name, step)
        return result

    def outputs_of(self, step: Step) -> dict[str, str | None]:
        spec = ACTIONS.get(step.action or "")
        outputs: dict[str, str | None] = dict(spec.outputs) if spec else {}
        for output in step.outputs:
            if output.name:
                outputs[output.name] = output.type
        return outputs

    def type_of(self, ref: Reference) -> str | None:
        """The type of the value a reference stands for, or None when unknown or unresolved."""
        kind = ref.kind
        if kind == "system" or kind == "parameter-store":
            return SYSTEM_VARIABLES.get(ref.text, "String")
        if kind == "parameter":
            param = self.doc.parameters.get(ref.text)
            return value_type(param.type) if param else None
        if kind == "variable":
            variable = self.doc.variables.get(ref.text[len("variable:"):])
            return variable.type if variable else None
        if kind == "step-output":
            step = self.steps.get(ref.step)
            return self.outputs_of(step).get(ref.attribute) if step else None
        return None


def symbols_of(doc: Document) -> Symbols:
    """The document's symbols, made once and shared by the rules that resolve references."""
    return doc.derived(Symbols)


def whole_references(doc: Document) -> list[tuple[Step, Path, Reference, str | None, str | None]]:
    """References that are a whole input value, with the type they have and the type needed
    where they stand (either may be None when unknown)."""
    return doc.derived(_whole_references)


def _whole_references(doc: Document) -> list[tuple[Step, Path, Reference, str | None, str | None]]:
    from .expected import expected_type

    symbols = symbols_of(doc)
    result = []
    for step, path, ref in step_references(doc):
        if step is None or not ref.whole:
            continue
        inner = path[len(step.path) + 1:]
        result.append((step, path, ref, symbols.type_of(ref), expected_type(step, inner)))
    return result


def step_references(doc: Document) -> list[tuple[Step | None, Path, Reference]]:
    """Every `{{ }}` of the document with the step it stands in (None for document level),
    extracted once per document.

    Script bodies are skipped: scripts receive values through InputPayload, and their own
    braces (Python dicts, f-strings) are code, not references."""
    return doc.derived(_step_references)


def _step_references(doc: Document) -> list[tuple[Step | None, Path, Reference]]:
    result: list[tuple[Step | None, Path, Reference]] = []
    if isinstance(doc.assume_role, str):
        result.extend((None, ("assumeRole",), ref) for ref in references_in(doc.assume_role))
    for step in doc.all_steps():
        inputs = step.inputs
        skipped = "Script" if step.action == "aws:executeScript" else "Steps" if step.action == "aws:loop" else None
        if skipped in inputs:  # nested steps are visited as steps of their own
            inputs = {key: value for key, value in inputs.items() if key != skipped}
        for path, text in strings_containing(inputs, step.path + ("inputs",), "{{"):
            for ref in references_in(text):
                result.append((step, path, ref))
    return result

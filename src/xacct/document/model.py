"""The typed model of an Automation document (schemaVersion 0.3).

Built from loaded data without ever failing: a field whose value has the wrong shape is kept as
None (or empty) here and reported by the structure rules, which read the raw content. Every
element keeps its path so a finding can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from .loader import Source
from .positions import Path

STEP_PROPERTIES = (
    "name",
    "action",
    "inputs",
    "outputs",
    "description",
    "maxAttempts",
    "timeoutSeconds",
    "onFailure",
    "onCancel",
    "isCritical",
    "isEnd",
    "nextStep",
)


T = TypeVar("T")


@dataclass(frozen=True)
class Parameter:
    name: str
    path: Path
    type: str | None
    description: str | None = None
    has_default: bool = False
    default: Any = None
    allowed_values: list | None = None
    allowed_pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_chars: int | None = None
    max_chars: int | None = None


@dataclass(frozen=True)
class Variable:
    name: str
    path: Path
    type: str | None
    default: Any = None


@dataclass(frozen=True)
class StepOutput:
    name: str | None
    selector: str | None
    type: str | None
    path: Path


@dataclass(frozen=True)
class Step:
    name: str | None
    action: str | None
    path: Path
    inputs: dict = field(default_factory=dict)
    outputs: tuple[StepOutput, ...] = ()
    description: str | None = None
    max_attempts: Any = None
    timeout_seconds: Any = None
    on_failure: Any = None
    on_cancel: Any = None
    is_critical: Any = None
    is_end: Any = None
    next_step: Any = None
    steps: tuple["Step", ...] = ()  # the nested steps of aws:loop
    parent: str | None = None  # the loop step that holds this one

    def property_path(self, name: str) -> Path:
        return self.path + (name,)


@dataclass(frozen=True)
class Document:
    source: Source
    content: Any
    schema_version: Any = None
    description: str | None = None
    assume_role: Any = None
    parameters: dict[str, Parameter] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    outputs: tuple[tuple[str, Path], ...] = ()
    files: dict = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    def derived(self, compute: Callable[["Document"], T]) -> T:
        """`compute(self)`, computed once per document. The rules run one after another over the
        same document, and several need the same facts (its references, its flow); computed
        by each rule again, they made validation grow with the square of the number of steps."""
        try:
            return self._derived[compute]
        except KeyError:
            value = self._derived[compute] = compute(self)
            return value

    def raw_at(self, path: Path) -> Any:
        """The loaded value at `path` (a path taken from this document's own elements)."""
        value = self.content
        for key in path:
            value = value[key]
        return value

    def all_steps(self) -> list[Step]:
        """Main steps and, after each loop step, the steps nested in it, in document order."""
        return list(self.derived(_all_steps))


def _all_steps(doc: Document) -> tuple[Step, ...]:
    result: list[Step] = []
    stack = [iter(doc.steps)]  # without recursion: loops may nest as deep as the parser allows
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            continue
        result.append(step)
        if step.steps:
            stack.append(iter(step.steps))
    return tuple(result)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _parameter(name: str, raw: Any, path: Path) -> Parameter:
    if not isinstance(raw, dict):
        return Parameter(name, path, None)
    return Parameter(
        name,
        path,
        _str(raw.get("type")),
        _str(raw.get("description")),
        "default" in raw,
        raw.get("default"),
        raw.get("allowedValues") if isinstance(raw.get("allowedValues"), list) else None,
        _str(raw.get("allowedPattern")),
        _int(raw.get("minItems")),
        _int(raw.get("maxItems")),
        _int(raw.get("minChars")),
        _int(raw.get("maxChars")),
    )


def _outputs(raw: Any, path: Path) -> tuple[StepOutput, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        StepOutput(_str(item.get("Name")), _str(item.get("Selector")), _str(item.get("Type")), path + (i,))
        for i, item in enumerate(raw)
        if isinstance(item, dict)
    )


def _step(raw: Any, path: Path, parent: str | None) -> Step:
    if not isinstance(raw, dict):
        return Step(None, None, path, parent=parent)
    name = _str(raw.get("name"))
    inputs = raw.get("inputs") if isinstance(raw.get("inputs"), dict) else {}
    nested: tuple[Step, ...] = ()
    if raw.get("action") == "aws:loop" and isinstance(inputs.get("Steps"), list):
        nested = _steps(inputs["Steps"], path + ("inputs", "Steps"), name)
    return Step(
        name=name,
        action=_str(raw.get("action")),
        path=path,
        inputs=inputs,
        outputs=_outputs(raw.get("outputs"), path + ("outputs",)),
        description=_str(raw.get("description")),
        max_attempts=raw.get("maxAttempts"),
        timeout_seconds=raw.get("timeoutSeconds"),
        on_failure=raw.get("onFailure"),
        on_cancel=raw.get("onCancel"),
        is_critical=raw.get("isCritical"),
        is_end=raw.get("isEnd"),
        next_step=raw.get("nextStep"),
        steps=nested,
        parent=parent,
    )


def _steps(raw: list, path: Path, parent: str | None) -> tuple[Step, ...]:
    return tuple(_step(item, path + (i,), parent) for i, item in enumerate(raw))


def build_document(source: Source) -> Document:
    content = source.content
    if not isinstance(content, dict):
        return Document(source, content)
    raw_params = content.get("parameters")
    parameters = (
        {str(k): _parameter(str(k), v, ("parameters", k)) for k, v in raw_params.items()}
        if isinstance(raw_params, dict)
        else {}
    )
    raw_vars = content.get("variables")
    variables = (
        {
            str(k): Variable(str(k), ("variables", k), _str(v.get("type")) if isinstance(v, dict) else None,
                             v.get("default") if isinstance(v, dict) else None)
            for k, v in raw_vars.items()
        }
        if isinstance(raw_vars, dict)
        else {}
    )
    raw_outputs = content.get("outputs")
    outputs = (
        tuple((o, ("outputs", i)) for i, o in enumerate(raw_outputs) if isinstance(o, str))
        if isinstance(raw_outputs, list)
        else ()
    )
    raw_steps = content.get("mainSteps")
    return Document(
        source=source,
        content=content,
        schema_version=content.get("schemaVersion"),
        description=_str(content.get("description")),
        assume_role=content.get("assumeRole"),
        parameters=parameters,
        variables=variables,
        outputs=outputs,
        files=content.get("files") if isinstance(content.get("files"), dict) else {},
        steps=_steps(raw_steps, ("mainSteps",), None) if isinstance(raw_steps, list) else (),
    )

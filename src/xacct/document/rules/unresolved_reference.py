from typing import Callable

from ..hints import Hints
from ..model import Document
from ..references import TARGET_PLACEHOLDERS, references_in
from ..symbols import Symbols, step_references, symbols_of
from .base import Issue, Rule


# Outputs of a step listed in a message; a step may declare thousands.
SHOWN = 20


class UnresolvedReference(Rule):
    """Every `{{ }}` names a parameter, a variable, an output of a step, or a system variable;
    Parameter Store references (`{{ssm:...}}`) stand only in parameter defaults; document outputs
    name outputs of steps ("Variables you can reference in runbooks"). A system variable in a
    default (`{{automation:EXECUTION_ID}}`) is a warning (W4001): AWS's own runbooks write it there
    and run, though the page documents only Parameter Store references in defaults."""

    id = "E4001"
    summary = "references resolve"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html"
    warning_id = "W4001"
    warning_summary = "defaults reference only Parameter Store values"

    def check(self, doc: Document):
        symbols = symbols_of(doc)
        hints, parameters = Hints(), list(doc.parameters)  # listed once, not for each reference
        for step, path, ref in step_references(doc):
            message = self._problem(symbols, ref, lambda text: hints.close(text, parameters))
            if message:
                yield Issue(path, message)
        for text, path in doc.outputs:
            name, _, attribute = text.partition(".")
            step = symbols.steps.get(name)
            if step is None:
                yield Issue(path, f"document output '{text}' names no step")
            elif step.action and attribute not in symbols.outputs_of(step):
                yield Issue(path, f"step '{name}' has no output '{attribute}'")
        for param in doc.parameters.values():
            if isinstance(param.default, str):
                for ref in references_in(param.default):
                    if ref.kind == "system":
                        yield Issue(param.path + ("default",), f"a default references {{{{{ref.text}}}}}; SSM documents "
                                                               "only {{ssm:NAME}} there", doubtful=True)
                    elif ref.kind != "parameter-store":
                        yield Issue(param.path + ("default",), f"a default may not reference {{{{{ref.text}}}}}; "
                                                               "only {{ssm:NAME}} is resolved there")

    def _problem(self, symbols: Symbols, ref, close_parameter: Callable[[str], str | None]) -> str | None:
        doc = symbols.doc
        kind = ref.kind
        if kind == "system":
            return None
        if kind == "unknown-system":
            return f"unknown system variable {{{{{ref.text}}}}}"
        if kind == "parameter-store":
            return f"{{{{{ref.text}}}}}: Parameter Store values are resolved in parameter defaults, not in steps"
        if kind == "variable":
            name = ref.text[len("variable:"):]
            return None if name in doc.variables else f"{{{{{ref.text}}}}} names no declared variable"
        if kind == "parameter":
            if ref.text in doc.parameters:
                return None
            if ref.text in TARGET_PLACEHOLDERS:
                return None  # E4004 speaks of these
            close = close_parameter(ref.text)
            hint = f"; did you mean {{{{{close}}}}}?" if close else ""
            return f"{{{{{ref.text}}}}} names no parameter{hint}"
        step = symbols.steps.get(ref.step)
        if step is None:
            return f"{{{{{ref.text}}}}} names no step '{ref.step}'"
        outputs = symbols.outputs_of(step)
        if step.action and ref.attribute not in outputs:
            names = sorted(outputs)
            known = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
            known = known or "none"
            return f"step '{ref.step}' has no output '{ref.attribute}' (its outputs: {known})"
        return None

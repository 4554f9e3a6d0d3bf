import difflib

from ..model import Document
from ..types import PARAMETER_TYPES
from .base import Issue, Rule


class ParameterType(Rule):
    """Every parameter declares one of the documented types."""

    id = "E1001"
    summary = "parameters have a known type"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html"

    def check(self, doc: Document):
        for param in doc.parameters.values():
            raw = doc.raw_at(param.path)
            if not isinstance(raw, dict):
                yield Issue(param.path, f"parameter '{param.name}' must be a mapping with at least a type")
            elif "type" not in raw:
                yield Issue(param.path, f"parameter '{param.name}' has no type", at_key=True)
            elif raw["type"] not in PARAMETER_TYPES:
                close = difflib.get_close_matches(str(raw["type"]), PARAMETER_TYPES, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield Issue(param.path + ("type",), f"parameter '{param.name}' has unknown type '{raw['type']}'{hint}")
        for variable in doc.variables.values():
            raw = doc.raw_at(variable.path)
            if not isinstance(raw, dict) or raw.get("type") not in PARAMETER_TYPES[:6]:
                yield Issue(variable.path, f"variable '{variable.name}' needs a type among String, StringList, "
                                           "Integer, Boolean, MapList and StringMap")

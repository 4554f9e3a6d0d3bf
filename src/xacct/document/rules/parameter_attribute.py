import difflib

from ..model import Document
from .base import Issue, Rule

ATTRIBUTES = (
    "type", "description", "default", "allowedValues", "allowedPattern", "displayType",
    "minItems", "maxItems", "minChars", "maxChars", "interpolationType",
)
VARIABLE_ATTRIBUTES = ("type", "default", "description")


class ParameterAttribute(Rule):
    """Parameters and variables carry only the documented attributes ("Data elements and
    parameters"). A warning: AWS does not document that SSM refuses others."""

    id = "W1002"
    summary = "no unknown parameter attributes"

    def check(self, doc: Document):
        for section, known in (("parameters", ATTRIBUTES), ("variables", VARIABLE_ATTRIBUTES)):
            raw_section = doc.content.get(section) if isinstance(doc.content, dict) else None
            if not isinstance(raw_section, dict):
                continue
            for name, raw in raw_section.items():
                if not isinstance(raw, dict):
                    continue
                for key in raw:
                    if key not in known:
                        close = difflib.get_close_matches(str(key), known, n=1)
                        hint = f"; did you mean '{close[0]}'?" if close else ""
                        yield Issue((section, name, key), f"'{name}' has unknown attribute '{key}'{hint}", at_key=True)

from ..model import Document
from ..patterns import Patterns
from ..types import value_type
from .base import Issue, Rule

LIST_TYPES = ("StringList", "MapList")


class ParameterConstraints(Rule):
    """Constraints are well formed: allowedValues is a list, the item and length limits are whole
    numbers that fit the type and each other ("Data elements and parameters"). An allowedPattern
    is a Java regular expression, read through a translation (java_regex.py); one that does not
    compile even so is a warning (W1003), since xacct's reading of Java's syntax may fall short."""

    id = "E1003"
    summary = "parameter constraints are well formed"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html"
    warning_id = "W1003"
    warning_summary = "allowedPattern is a regular expression Java can compile"

    def check(self, doc: Document):
        for p in doc.parameters.values():
            raw = doc.raw_at(p.path)
            if not isinstance(raw, dict):
                continue
            kind = value_type(p.type)
            if "allowedPattern" in raw:
                pattern = raw["allowedPattern"]
                if not isinstance(pattern, str):
                    yield Issue(p.path + ("allowedPattern",), "allowedPattern must be a string")
                else:
                    error = doc.derived(Patterns.of).compile(pattern).error
                    if error:
                        yield Issue(p.path + ("allowedPattern",), f"allowedPattern is not a valid regular expression: {error}",
                                    doubtful=True)
            if "allowedValues" in raw and not isinstance(raw["allowedValues"], list):
                yield Issue(p.path + ("allowedValues",), "allowedValues must be a list")
            for low, high, fits_types in (("minItems", "maxItems", LIST_TYPES), ("minChars", "maxChars", ("String",))):
                for key in (low, high):
                    if key not in raw:
                        continue
                    value = raw[key]
                    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                        yield Issue(p.path + (key,), f"{key} must be a whole number of 0 or more")
                    elif kind and kind not in fits_types:
                        yield Issue(p.path + (key,), f"{key} does not apply to a parameter of type {p.type}")
                lo, hi = raw.get(low), raw.get(high)
                if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
                    yield Issue(p.path + (low,), f"{low} ({lo}) is greater than {high} ({hi})")
            if "displayType" in raw and raw["displayType"] not in ("textfield", "textarea"):
                yield Issue(p.path + ("displayType",), "displayType is 'textfield' or 'textarea'")

"""Fill `{{ }}` references in step inputs with values, keeping types.

A string that is one whole reference becomes the referenced value itself (a list stays a list);
inside a list, a reference to a StringList stands for its items; a reference inside a longer
string is written into it as text ("Variables you can reference in runbooks").
"""

from __future__ import annotations

import json
from typing import Any, Callable

from ..document.references import REFERENCE

Lookup = Callable[[str], Any]


class UnresolvedReference(Exception):
    def __init__(self, text: str, why: str):
        super().__init__(f"{{{{{text}}}}}: {why}")
        self.text = text


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def interpolate(value: Any, lookup: Lookup) -> Any:
    if isinstance(value, str):
        matches = list(REFERENCE.finditer(value))
        if not matches:
            return value
        if len(matches) == 1 and matches[0].group(0) == value.strip():
            return lookup(matches[0].group(1).strip())
        return REFERENCE.sub(lambda m: as_text(lookup(m.group(1).strip())), value)
    if isinstance(value, list):
        result = []
        for item in value:
            whole = isinstance(item, str) and REFERENCE.fullmatch(item.strip()) is not None
            filled = interpolate(item, lookup)
            if whole and isinstance(filled, list) and not any(isinstance(x, dict) for x in filled):
                result.extend(filled)
            else:
                result.append(filled)
        return result
    if isinstance(value, dict):
        return {key: interpolate(item, lookup) for key, item in value.items()}
    return value

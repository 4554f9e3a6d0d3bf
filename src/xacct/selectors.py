"""Output selectors: JSONPath as SSM documents use it (`$`, `$.A.B`, `$.A[0]`, `$..A`).

jsonpath-ng builds its LALR tables each time a parser is made (tens of milliseconds), so one
parser is made lazily and shared; PLY parsers keep state while parsing, hence the lock.
"""

from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()
_parser = None


@lru_cache(maxsize=4096)
def parse_selector(selector: str):
    """The compiled JSONPath of `selector`; raises ValueError with a one-line reason."""
    global _parser
    with _lock:
        if _parser is None:
            from jsonpath_ng.ext.parser import ExtendedJsonPathParser

            _parser = ExtendedJsonPathParser()
        try:
            return _parser.parse(selector)
        except Exception as exc:  # jsonpath-ng raises its own errors and plain Exception
            raise ValueError(" ".join(str(exc).split()) or type(exc).__name__) from None


def selector_error(selector: str) -> str | None:
    """Why `selector` is not a JSONPath an output can use, or None when it is one."""
    try:
        parse_selector(selector)
    except ValueError as exc:
        return f"not a valid JSONPath: {exc}"
    return None

"""Reading the JSON of request files and policy documents so that any input gives an answer:
a size limit checked before parsing, bytes that are not UTF-8 named by their offset, nesting too
deep for Python's recursive `json` reported instead of a RecursionError, integers longer than
Python converts (4,300 digits) kept as Decimal rather than raising, and NaN/Infinity refused
(they are not JSON, RFC 8259, and IAM refuses them)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

MAX_BYTES = 1024 * 1024  # a request with every policy it needs is a few KB; IAM's largest policy is 32 KB
TOO_LARGE = f"larger than {MAX_BYTES // (1024 * 1024)} MiB, more than any request and its policies need"


class JsonTextError(ValueError):
    """The text cannot be read as JSON; the message says where."""


def decode(data: bytes) -> str:
    """UTF-8 bytes as text (JSON's encoding, RFC 8259 section 8.1)."""
    if len(data) > MAX_BYTES:
        raise JsonTextError(TOO_LARGE)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonTextError(f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                            f"({exc.reason})") from None


def _integer(digits: str) -> int | Decimal:
    try:
        return int(digits)
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        return Decimal(digits)


def _not_a_number(name: str) -> Any:
    raise JsonTextError(f"{name} is not a JSON number")


def loads(text: str | bytes) -> Any:
    """The JSON value of `text`, or JsonTextError with the line and column."""
    if isinstance(text, (bytes, bytearray)):
        text = decode(bytes(text))
    elif len(text) > MAX_BYTES:
        raise JsonTextError(TOO_LARGE)
    try:
        try:
            # parse_int only when needed: a hook is a Python call per number, and a file of
            # numbers (a context list of 400,000) would take three times as long to read
            return json.loads(text, parse_constant=_not_a_number)
        except (json.JSONDecodeError, JsonTextError):
            raise
        except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
            return json.loads(text, parse_int=_integer, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise JsonTextError(f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise JsonTextError("not readable: lists and objects nested too deeply") from None

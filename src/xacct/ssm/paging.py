"""NextToken and MaxResults as SSM pages lists: an opaque token that names where the next page
starts; a token that was not handed out answers InvalidNextToken."""

from __future__ import annotations

import base64
import binascii
import json

from .errors import SsmError


def page(items: list, params: dict, *, default: int = 50) -> tuple[list, str | None]:
    size = params.get("MaxResults") or default
    start = _offset(params.get("NextToken"))
    chunk = items[start:start + size]
    following = start + size
    token = base64.urlsafe_b64encode(json.dumps({"offset": following}).encode()).decode() \
        if following < len(items) else None
    return chunk, token


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise SsmError("InvalidNextToken", "The specified token isn't valid.") from None
    if not isinstance(offset, int) or offset < 0:
        raise SsmError("InvalidNextToken", "The specified token isn't valid.")
    return offset

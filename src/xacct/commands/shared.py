"""What several commands read the same way: comma-separated lists and the shapes of account and
OU IDs. Commands import these names from here, not from each other."""

from __future__ import annotations

from ..engine.org_units import ACCOUNT, OU

__all__ = ["ACCOUNT", "OU", "split_list"]


def split_list(text: str | None) -> list[str]:
    """`a, b,c` as ["a", "b", "c"]; empty items are dropped."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]

"""What several commands read the same way: comma-separated lists and the shapes of account and
OU IDs. Commands import these names from here, not from each other."""

from __future__ import annotations

import re

# The shapes engine.org_units checks too; written here so that reading a command's options does
# not import the engine (`xacct --help` stays fast). tests/unit/test_command_shared.py keeps the
# two the same.
ACCOUNT = re.compile(r"\d{12}")
OU = re.compile(r"ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}")


def split_list(text: str | None) -> list[str]:
    """`a, b,c` as ["a", "b", "c"]; empty items are dropped."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]

"""What a validation rule is: an ID, a summary, and a check over a document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Iterable

from ..model import Document
from ..positions import Path


@dataclass(frozen=True)
class Issue:
    """A rule's complaint: the path it concerns and what is wrong. `at_key` points the finding at
    the mapping key instead of its value (an unknown key, say)."""

    path: Path
    message: str
    at_key: bool = False


class Rule:
    """One check. The first letter of `id` is the severity: E for error, W for warning.

    IDs are never reused: E0xxx structure, E1xxx parameters, E2xxx steps and inputs, E3xxx flow,
    E4xxx references, E5xxx types, E6xxx aws:executeAwsApi and the other API-calling actions."""

    id: ClassVar[str]
    summary: ClassVar[str]
    # Whether SSM refuses such a document when it is created (CreateDocument): then xacct will not
    # run it either. Problems SSM only meets while running (a type mismatch, a bad API parameter)
    # let the run go ahead, so it fails where SSM's would.
    blocks_creation: ClassVar[bool] = True

    def check(self, doc: Document) -> Iterable[Issue]:
        raise NotImplementedError

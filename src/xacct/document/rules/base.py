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
    # True when AWS does not document that SSM refuses this or that the step certainly fails: the
    # finding is reported under the rule's warning ID instead of its error ID.
    doubtful: bool = False


class Rule:
    """One check. The first letter of `id` is the severity: E for error, W for warning.

    IDs are never reused: E0xxx structure, E1xxx parameters, E2xxx steps and inputs, E3xxx flow,
    E4xxx references, E5xxx types, E6xxx aws:executeAwsApi and the other API-calling actions.

    An error is a claim about AWS: SSM refuses to create the document, or the step certainly fails
    when it runs, as the page in `source` documents. A rule whose check covers both certain and
    doubtful cases reports the doubtful ones (`Issue.doubtful`) under `warning_id`, the same
    number with a W (docs/decisions/0015-severity-is-a-claim-about-aws.md)."""

    id: ClassVar[str]
    summary: ClassVar[str]
    # The AWS page that documents the behaviour behind the rule's errors.
    source: ClassVar[str] = ""
    warning_id: ClassVar[str | None] = None
    warning_summary: ClassVar[str] = ""
    # Whether SSM refuses such a document when it is created (CreateDocument): then xacct will not
    # run it either. Problems SSM only meets while running (a type mismatch, a bad API parameter)
    # let the run go ahead, so it fails where SSM's would.
    blocks_creation: ClassVar[bool] = True

    def check(self, doc: Document) -> Iterable[Issue]:
        raise NotImplementedError

    def id_of(self, issue: Issue) -> str:
        """The ID an issue is reported under: the warning ID when it is doubtful."""
        return self.warning_id if issue.doubtful and self.warning_id else self.id

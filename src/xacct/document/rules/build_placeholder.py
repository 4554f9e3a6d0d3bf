from ..model import Document
from ..references import BUILD_PLACEHOLDER, strings_in
from .base import Issue, Rule


class BuildPlaceholder(Rule):
    """`%%SCRIPT=file.py%%` and similar placeholders are filled by a build step before the
    runbook is deployed; left in, SSM would run them as text."""

    id = "E4002"
    summary = "no unresolved build placeholders"
    blocks_creation = False

    def check(self, doc: Document):
        for path, text in strings_in(doc.content, ()):
            for match in BUILD_PLACEHOLDER.finditer(text):
                yield Issue(path, f"unresolved build placeholder {match.group(0)}: run the build that fills it "
                                  "before deploying or running this runbook")

from ..model import Document
from .base import Issue, Rule


class SchemaVersionNumber(Rule):
    """`schemaVersion: 0.3` without quotes is a number in YAML; SSM's own documents quote it."""

    id = "W0011"
    summary = "schemaVersion is written as a string"

    def check(self, doc: Document):
        if isinstance(doc.content, dict):
            version = doc.content.get("schemaVersion")
            if version == 0.3 and not isinstance(version, str):
                yield Issue(("schemaVersion",), "write schemaVersion as the string '0.3' (quoted)")

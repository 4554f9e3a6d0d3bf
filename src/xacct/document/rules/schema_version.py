from ..model import Document
from .base import Issue, Rule


class SchemaVersion(Rule):
    """Automation runbooks are documents of schema version 0.3; 2.2 and 1.2 are Command
    documents and 1.0 Session documents, which xacct does not run."""

    id = "E0010"
    summary = "schemaVersion is '0.3'"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html"

    def check(self, doc: Document):
        if not isinstance(doc.content, dict):
            return
        version = doc.content.get("schemaVersion")
        if version is None:
            yield Issue((), "missing schemaVersion: an Automation runbook declares schemaVersion: '0.3'")
        elif version == 0.3 and not isinstance(version, str):
            return  # a bare 0.3 is a YAML number; W0011 speaks of it
        elif str(version) != "0.3":
            yield Issue(
                ("schemaVersion",),
                f"schemaVersion '{version}' is not an Automation runbook (Automation uses '0.3')",
            )

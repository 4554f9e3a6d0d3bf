from ..model import Document
from ..symbols import whole_references
from .base import Issue, Rule


class ReferenceListType(Rule):
    """A single value where a list is needed: SSM passes it as it is, and the API call then
    fails; wrap the reference in a list (`InstanceIds: ['{{ InstanceId }}']`)."""

    id = "W5002"
    summary = "no single value where a list is needed"

    def check(self, doc: Document):
        for step, path, ref, have, want in whole_references(doc):
            if have in ("String", "Integer", "Boolean") and want in ("StringList", "MapList"):
                where = ".".join(str(p) for p in path[len(step.path) + 1:])
                yield Issue(path, f"{where} needs a {want}, but {{{{{ref.text}}}}} is a {have}; "
                                  f"write it as a list: ['{{{{{ref.text}}}}}']")

from ..model import Document
from ..symbols import whole_references
from .base import Issue, Rule

SCALARS = ("String", "Integer", "Boolean")
COLLECTIONS = ("StringList", "StringMap", "MapList")


class ReferenceType(Rule):
    """A reference that is a whole value keeps its type, and SSM does not convert a list or a
    map into a string: `ImageId: '{{createImage.Output}}'` fails when the output is the StringList
    aws:executeAutomation gives ("Variables you can reference in runbooks": types must match).
    Inside a list, a StringList reference stands for its items."""

    id = "E5001"
    summary = "no list or map where a single value is needed"
    blocks_creation = False

    def check(self, doc: Document):
        for step, path, ref, have, want in whole_references(doc):
            if have not in COLLECTIONS or want not in SCALARS:
                continue
            if have == "StringList" and isinstance(path[-1], int):
                continue  # a list item that is a StringList stands for its items
            where = ".".join(str(p) for p in path[len(step.path) + 1:])
            yield Issue(path, f"{where} needs a {want}, but {{{{{ref.text}}}}} is a {have}"
                              + (" (aws:executeAutomation gives its Output as a StringList; select one item "
                                 "with an aws:executeScript step)" if ref.attribute == "Output" else ""))

from ..expected import expected_type
from ..model import Document
from ..symbols import Symbols, step_references
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

    def check(self, doc: Document):
        symbols = Symbols(doc)
        for step, path, ref in step_references(doc):
            if step is None or not ref.whole:
                continue
            have = symbols.type_of(ref)
            if have not in COLLECTIONS:
                continue
            inner = path[len(step.path) + 1:]
            if have == "StringList" and isinstance(inner[-1], int):
                continue  # a list item that is a StringList stands for its items
            want = expected_type(step, inner)
            if want in SCALARS:
                where = ".".join(str(p) for p in inner)
                yield Issue(path, f"{where} needs a {want}, but {{{{{ref.text}}}}} is a {have}"
                                  + (" (aws:executeAutomation gives its Output as a StringList; select one item "
                                     "with an aws:executeScript step)" if ref.attribute == "Output" else ""))

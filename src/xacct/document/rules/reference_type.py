from ...actions import ACTIONS
from ..model import Document
from ..symbols import whole_references
from .base import Issue, Rule

SCALARS = ("String", "Integer", "Boolean")
COLLECTIONS = ("StringList", "StringMap", "MapList")


class ReferenceType(Rule):
    """A reference that is a whole value keeps its type, and SSM does not convert a list or a
    map into a string: `ImageId: '{{createImage.Output}}'` fails when the output is the StringList
    aws:executeAutomation gives ("Variables you can reference in runbooks": types must match).
    Inside a list, a StringList reference stands for its items. An API call made by
    aws:executeAwsApi (or the other actions that take Service and Api) fails botocore's type check
    ("Invalid type for parameter"). A built-in action (aws:createImage, say) takes a one-item
    StringList as its item, so there a StringList is a warning (W5001): it works only when the
    list has exactly one item."""

    id = "E5001"
    summary = "no list or map where a single value is needed"
    source = "https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-variables.html"
    blocks_creation = False
    warning_id = "W5001"
    warning_summary = "a StringList given to a built-in action's String input has one item"

    def check(self, doc: Document):
        for step, path, ref, have, want in whole_references(doc):
            if have not in COLLECTIONS or want not in SCALARS:
                continue
            if have == "StringList" and isinstance(path[-1], int):
                continue  # a list item that is a StringList stands for its items
            where = ".".join(str(p) for p in path[len(step.path) + 1:])
            spec = ACTIONS.get(step.action or "")
            built_in = spec is not None and not spec.calls_any_api
            if built_in and have == "StringList":
                yield Issue(path, f"{where} needs a {want}; {step.action} takes {{{{{ref.text}}}}}, a StringList, "
                                  "as its item only when it has exactly one", doubtful=True)
                continue
            yield Issue(path, f"{where} needs a {want}, but {{{{{ref.text}}}}} is a {have}"
                              + (" (aws:executeAutomation gives its Output as a StringList; select one item "
                                 "with an aws:executeScript step)" if ref.attribute == "Output" else ""))

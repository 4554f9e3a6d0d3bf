"""How an Automation action is declared: its inputs and its built-in outputs, as data.

The validator reads these declarations to check documents; the engine's handler for the same
action lives in the same file and reads them to coerce inputs. Sources are the pages of the
*Systems Manager Automation actions reference* in the AWS Systems Manager User Guide, cited in
each action's file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The value types of SSM documents (parameters, outputs, inputs). "Any" is for inputs whose page
# allows several shapes (aws:executeScript InputPayload, aws:updateVariable Value).
VALUE_TYPES = ("String", "Integer", "Boolean", "StringList", "StringMap", "MapList")


@dataclass(frozen=True)
class Input:
    name: str
    type: str = "String"
    required: bool = False
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionSpec:
    """One Automation action.

    `api` names the AWS operation whose parameters the action also accepts as inputs ("This action
    supports most CreateImage parameters"), as (botocore service, operation). `calls_any_api` marks
    the actions that take `Service` and `Api` and pass every other input to that operation.
    `one_of` lists groups of inputs of which at least one must be given; `exclusive` groups of
    which at most one may be given.
    """

    name: str
    page: str
    inputs: tuple[Input, ...]
    outputs: dict[str, str] = field(default_factory=dict)
    api: tuple[str, str] | None = None
    calls_any_api: bool = False
    one_of: tuple[tuple[str, ...], ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()
    allows_on_cancel: bool = True
    max_timeout_seconds: int | None = None
    default_timeout_seconds: int | None = None  # when the step sets no timeoutSeconds
    # How SSM names the stage a failing step was in: "Step fails when it is <phase>. ..."
    phase: str = "Execute/Cancelling action"

    def input(self, name: str) -> Input | None:
        for item in self.inputs:
            if item.name == name:
                return item
        return None

    def with_single_items(self, inputs: dict) -> dict:
        """`inputs` with each one-item list given to a String input taken as its item, as SSM's
        built-in actions take it: AWS's own AMI-update runbooks pass aws:runInstances'
        InstanceIds (a StringList) to aws:createImage's InstanceId, and they run. Actions that
        call any API (Service and Api) pass their inputs on as they are, where botocore's type
        check refuses a list for a string."""
        if self.calls_any_api:
            return inputs
        result = dict(inputs)
        for item in self.inputs:
            value = result.get(item.name)
            if item.type == "String" and isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
                result[item.name] = value[0]
        return result

"""The Automation actions xacct knows, one module each, and the registry of them.

Every documented action of the *Systems Manager Automation actions reference* is here. Actions
that appear in real documents but are internal to AWS and undocumented are listed apart, so that
a check can say so instead of calling them unknown.
"""

from __future__ import annotations

from importlib import import_module

from .spec import VALUE_TYPES, ActionSpec, Input

# One module per action, named after it; each holds the action's SPEC.
_MODULES = (
    "approve",
    "assert_aws_resource_property",
    "branch",
    "change_instance_state",
    "copy_image",
    "create_image",
    "create_stack",
    "create_tags",
    "delete_image",
    "delete_stack",
    "execute_automation",
    "execute_aws_api",
    "execute_script",
    "execute_state_machine",
    "invoke_lambda_function",
    "invoke_webhook",
    "loop",
    "pause",
    "run_command",
    "run_instances",
    "sleep",
    "update_variable",
    "wait_for_aws_resource_property",
)

_LOADED = {module.SPEC.name: module for module in (import_module(f".{name}", __name__) for name in _MODULES)}
ACTIONS: dict[str, ActionSpec] = {name: module.SPEC for name, module in _LOADED.items()}


def handler_for(action: str):
    """The function that runs `action` (`run(call) -> StepResult`), or None."""
    module = _LOADED.get(action)
    return getattr(module, "run", None)


# Seen in AWS-owned documents, absent from the actions reference: they only run inside AWS.
INTERNAL_ACTIONS = frozenset(
    {"aws:shareSQLMedia", "aws:putServerUpgradeMetrics", "aws:installDistributorPackageOnAzure"}
)

# "onCancel ... doesn't support moving to" these actions (Properties shared by all actions).
ON_CANCEL_FORBIDDEN = frozenset(
    {
        "aws:approve",
        "aws:copyImage",
        "aws:createImage",
        "aws:createStack",
        "aws:createTags",
        "aws:loop",
        "aws:pause",
        "aws:runInstances",
        "aws:sleep",
    }
)

__all__ = ["handler_for", "ACTIONS", "INTERNAL_ACTIONS", "ON_CANCEL_FORBIDDEN", "VALUE_TYPES", "ActionSpec", "Input"]

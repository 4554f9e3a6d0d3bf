"""The validation rules, one per module, listed here explicitly (no discovery by import)."""

from __future__ import annotations

from .api_operation import ApiOperation
from .api_parameters import ApiParameters
from .api_service import ApiService
from .base import Issue, Rule
from .branch_choices import BranchChoices
from .build_placeholder import BuildPlaceholder
from .cancel_target import CancelTarget
from .duplicate_step_name import DuplicateStepName
from .endless_flow import EndlessFlow
from .exclusive_inputs import ExclusiveInputs
from .forward_reference import ForwardReference
from .input_value import InputValue
from .jump_target import JumpTarget
from .known_action import KnownAction
from .loop_inputs import LoopInputs
from .parameter_attribute import ParameterAttribute
from .parameter_constraints import ParameterConstraints
from .parameter_default import ParameterDefault
from .parameter_type import ParameterType
from .pattern_time import PatternTime
from .reference_list_type import ReferenceListType
from .reference_type import ReferenceType
from .required_input import RequiredInput
from .schema_version import SchemaVersion
from .schema_version_number import SchemaVersionNumber
from .script_runtime import ScriptRuntime
from .selector import Selector
from .sleep_time import SleepTime
from .step_name import StepName
from .step_outputs import StepOutputs
from .step_property import StepProperty
from .step_property_value import StepPropertyValue
from .target_placeholder import TargetPlaceholder
from .top_level import TopLevel
from .unknown_input import UnknownInput
from .unknown_top_level_key import UnknownTopLevelKey
from .unreachable_step import UnreachableStep
from .unresolved_reference import UnresolvedReference
from .update_variable import UpdateVariable

RULES: tuple[Rule, ...] = (
    SchemaVersion(),
    SchemaVersionNumber(),
    TopLevel(),
    UnknownTopLevelKey(),
    ParameterType(),
    ParameterAttribute(),
    ParameterConstraints(),
    ParameterDefault(),
    PatternTime(),
    StepName(),
    DuplicateStepName(),
    KnownAction(),
    StepProperty(),
    StepPropertyValue(),
    RequiredInput(),
    UnknownInput(),
    ExclusiveInputs(),
    InputValue(),
    StepOutputs(),
    Selector(),
    ScriptRuntime(),
    BranchChoices(),
    LoopInputs(),
    SleepTime(),
    UpdateVariable(),
    JumpTarget(),
    CancelTarget(),
    UnreachableStep(),
    EndlessFlow(),
    UnresolvedReference(),
    BuildPlaceholder(),
    ForwardReference(),
    TargetPlaceholder(),
    ReferenceType(),
    ReferenceListType(),
    ApiService(),
    ApiOperation(),
    ApiParameters(),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULES_BY_ID.update({rule.warning_id: rule for rule in RULES if rule.warning_id})

# Findings made while loading a file, before any rule runs; listed so IDs stay unique and documented.
LOAD_FINDINGS = {
    "E0001": "the file is valid YAML or JSON text",
    "E0002": "the file is of a size a runbook can have",
    "W0003": "no key appears twice in a mapping (the last one wins; AWS does not document that SSM refuses it)",
    "E0004": "the file is within xacct's limits: nesting depth, values once aliases are expanded, "
             "characters of a number",
    "W0005": "a template's runbook content is literal, so it can be checked",
}

USER_GUIDE = "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
# The AWS pages behind the load errors: SSM reads YAML or JSON of at most 64 KB ("Quotas": Maximum
# size of a document), and runs only what it can read.
LOAD_SOURCES = {
    "E0001": USER_GUIDE + "documents-syntax-data-elements-parameters.html",
    "E0002": "https://docs.aws.amazon.com/general/latest/gr/ssm.html",
}


def _check_unique() -> None:
    ids = [rule.id for rule in RULES] + [rule.warning_id for rule in RULES if rule.warning_id] + list(LOAD_FINDINGS)
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"rule IDs used twice: {sorted(duplicates)}")


_check_unique()

__all__ = ["RULES", "RULES_BY_ID", "LOAD_FINDINGS", "LOAD_SOURCES", "Issue", "Rule"]

"""The only place that moves an execution from step to step, as SSM does: retries
(maxAttempts), time limits enforced while a step runs (timeoutSeconds), onFailure, onCancel,
isCritical, isEnd and nextStep ("Properties shared by all actions", AWS Systems Manager User
Guide). Handlers only do their action; this module records every event and picks the next step.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from ..actions import ACTIONS, handler_for
from ..cloud import Cloud
from ..credentials import Credentials
from ..document.model import Document, Step
from ..document.values import whole_number
from ..store import Store
from . import status as S
from .call import StepCall, StepResult
from .errors import ExecutionRejected, StepFailed, StepInterrupted
from .execution import Execution, Options
from .interpolate import UnresolvedReference, interpolate
from .outputs import as_ssm_values, step_outputs
from .watchdog import WATCHDOG
from .parameters import INVALID as INVALID_PARAMETERS
from .parameters import resolve_parameters

ASSUME_ROLE_FAILED = "The defined assume role is unable to be assumed."
NO_OUTPUT = "No output available yet because the step is not successfully executed"

# The executions this process runs, by ID: how store listeners, which hear only IDs, reach an
# execution's account, Region and credentials (step_logs writes each one's log with its own).
LIVE: "weakref.WeakValueDictionary[str, Execution]" = weakref.WeakValueDictionary()

TROUBLESHOOTING = "Please refer to Automation Service Troubleshooting Guide for more diagnosis details."
CANCEL_PATH_SECONDS = 120  # "the cancel workflow runs for at most two minutes"


@dataclass
class Outcome:
    status: str
    failure: str | None = None
    next_step: str | None = None


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def is_critical(step: Step) -> bool:
    """Default true, but false when onFailure is Continue (unless the step says otherwise)."""
    if step.is_critical is not None:
        return _is_true(step.is_critical)
    return step.on_failure != "Continue"


def failure_text(step: Step, detail: str) -> str:
    """A step's FailureMessage as SSM words it: "Step fails when it is <phase>. <detail>. ..."."""
    spec = ACTIONS.get(step.action or "")
    phase = spec.phase if spec else "Execute/Cancelling action"
    return f"Step fails when it is {phase}. {detail.rstrip().rstrip('.')}. {TROUBLESHOOTING}"


def timeout_text(step: Step) -> str:
    spec = ACTIONS.get(step.action or "")
    phase = spec.phase if spec else "Execute/Cancelling action"
    return f"Step timed out while step is {phase}. {TROUBLESHOOTING}"


def encode_inputs(inputs: dict) -> dict[str, str]:
    """StepExecution.Inputs: each value as compact JSON, keys in alphabetical order."""
    return {key: json.dumps(inputs[key], separators=(",", ":"), default=str) for key in sorted(inputs, key=str)}


def _step_record(step: Step, following: str | None) -> dict:
    """The properties GetAutomationExecution lists for a step: those the runbook sets."""
    record: dict[str, Any] = {"StepName": step.name, "Action": step.action}
    for key, value in (("TimeoutSeconds", step.timeout_seconds), ("OnFailure", step.on_failure),
                       ("MaxAttempts", step.max_attempts), ("NextStep", step.next_step)):
        if value is not None:
            record[key] = value
    if step.is_end is not None:
        record["IsEnd"] = _is_true(step.is_end)
    if step.is_critical is not None:
        record["IsCritical"] = _is_true(step.is_critical)
    after = step.next_step if isinstance(step.next_step, str) else (None if _is_true(step.is_end) else following)
    if after and step.action != "aws:branch":
        record["ValidNextSteps"] = [after]
    return record


def start(document: Document, *, name: str, cloud: Cloud, store: Store, region: str,
          given: dict[str, Any] | None = None, caller: Credentials | None = None,
          parent: Execution | None = None, options: Options | None = None,
          record: dict[str, Any] | None = None) -> Execution:
    """Check parameters, take the assume role, and record the start; raises ExecutionRejected
    (before anything is recorded) when the parameters do not fit the runbook. `record` adds
    members to what GetAutomationExecution shows (a rate-control child's Target)."""
    caller = cloud.identity(caller or cloud.caller_credentials(), region)
    parameters = resolve_parameters(document, given or {}, _parameter_store(cloud, region, caller))
    execution = Execution(document=document, name=name, cloud=cloud, store=store, region=region,
                          credentials=caller, caller=caller, parameters=parameters,
                          options=options or (parent.options if parent else Options()), parent=parent)
    execution.variables = {n: v.default for n, v in document.variables.items()}
    LIVE[execution.id] = execution
    role = interpolate(document.assume_role, execution.lookup) if isinstance(document.assume_role, str) else None
    store.create_execution(
        execution.id, document_name=name, parent_id=parent.id if parent else None,
        account=caller.account, region=region,
        data={"DocumentName": name, "Parameters": {k: as_ssm_values(v) for k, v in parameters.items()},
              "ExecutedBy": caller.arn, "Region": region, "Mode": "Auto",
              "ParentAutomationExecutionId": parent.id if parent else None,
              "AssumeRole": role or None, **(record or {}),
              "Steps": [_step_record(s, document.steps[i + 1].name if i + 1 < len(document.steps) else None)
                        for i, s in enumerate(document.steps)]},
    )
    if parent:
        parent.children.append(execution)
        store.append(parent.id, "ChildStarted", None, {"ChildExecutionId": execution.id, "DocumentName": name})
    if role:
        source = f"arn:{cloud.partition}:ssm:{region}:{caller.account}:automation-execution/{execution.id}"
        try:
            execution.credentials = cloud.assume_role_as_service("ssm.amazonaws.com", role, execution.id, caller,
                                                                 region, source)
        except Exception as exc:
            store.append(execution.id, "ExecutionFinished", data={
                "AutomationExecutionStatus": S.FAILED, "FailureMessage": ASSUME_ROLE_FAILED,
                "Cause": _error_text(exc)}, status=S.FAILED, ended=True)
            raise ExecutionRejected(INVALID_PARAMETERS, ASSUME_ROLE_FAILED, execution.id) from None
    return execution


def _parameter_store(cloud: Cloud, region: str, caller: Credentials):
    def get(name: str) -> str:
        client = cloud.client("ssm", region, caller)
        return client.get_parameter(Name=name, WithDecryption=False)["Parameter"]["Value"]

    return get


def _error_text(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def run(execution: Execution) -> str:
    """Run every step to the end; return the final AutomationExecutionStatus."""
    store = execution.store
    store.append(execution.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.IN_PROGRESS},
                 status=S.IN_PROGRESS)
    final, failure = run_steps(execution, list(execution.document.steps))
    return finish(execution, final, failure)


def run_steps(execution: Execution, steps: list[Step], leaving: dict | None = None) -> tuple[str, str | None]:
    """Run a list of steps (the main steps, or a loop's); return (status, failure message).

    A loop passes `leaving`: a jump from its steps to a step that is not among them (a step
    around the loop) ends the list there, and the target is left in `leaving["to"]` for the loop
    to go on at, as SSM does ("aws:loop – Iterate over steps in an automation")."""
    by_name = {s.name: i for i, s in enumerate(steps) if s.name}
    index: int | None = 0
    final, failure = S.SUCCESS, None

    def goto(name: str | None) -> int | None:
        if name is not None and name not in by_name and leaving is not None:
            leaving["to"] = name
        return by_name.get(name) if name is not None else None

    while index is not None and index < len(steps):
        step = steps[index]
        if execution.cancelled():
            return S.CANCELLED, None
        outcome = run_step(execution, step)
        if outcome.status == S.CANCELLED:
            run_cancel_path(execution, step, by_name, steps)
            return S.CANCELLED, None
        following = index + 1 if index + 1 < len(steps) else None
        if outcome.status == S.SUCCESS:
            if outcome.next_step:
                index = goto(outcome.next_step)
            elif isinstance(step.next_step, str):
                index = goto(step.next_step)
            elif _is_true(step.is_end):
                index = None
            else:
                index = following
            continue
        if is_critical(step) and final == S.SUCCESS:
            final, failure = outcome.status, outcome.failure
        on_failure = step.on_failure if isinstance(step.on_failure, str) else "Abort"
        if on_failure.startswith("step:"):
            index = goto(on_failure[len("step:"):])
        elif on_failure == "Continue" and not _is_true(step.is_end):
            index = goto(step.next_step) if isinstance(step.next_step, str) else following
        else:
            index = None
    return final, failure


def run_cancel_path(execution: Execution, step: Step, by_name: dict, steps: list[Step]) -> None:
    target = step.on_cancel if isinstance(step.on_cancel, str) else "Abort"
    if not target.startswith("step:") or target[5:] not in by_name:
        return
    execution.store.append(execution.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.CANCELLING},
                           status=S.CANCELLING)
    # The cancel path itself must run, so it does not see the cancel that started it.
    path = dataclasses.replace(execution, cancel=threading.Event(), parent=None)
    path_step = steps[by_name[target[5:]]]
    run_step(path, path_step, limit=CANCEL_PATH_SECONDS)


def finish(execution: Execution, final: str, failure: str | None) -> str:
    doc_outputs = {}
    for text, _ in execution.document.outputs:
        step, _, attribute = text.partition(".")
        if attribute in execution.outputs.get(step, {}):
            doc_outputs[text] = as_ssm_values(execution.outputs[step][attribute])
        else:
            doc_outputs[text] = [NO_OUTPUT]
    execution.store.append(execution.id, "ExecutionFinished",
                           data={"AutomationExecutionStatus": final, "Outputs": doc_outputs, "FailureMessage": failure},
                           status=final, ended=True)
    return final


def run_step(execution: Execution, step: Step, *, limit: float | None = None) -> Outcome:
    store = execution.store
    spec = ACTIONS.get(step.action or "")
    handler = handler_for(step.action or "")
    # A loop's nested steps and its condition resolve their references at each iteration.
    deferred = ("Steps", "LoopCondition") if step.action == "aws:loop" else ()
    try:
        inputs = interpolate({k: v for k, v in step.inputs.items() if k not in deferred}, execution.lookup)
        inputs.update({k: step.inputs[k] for k in deferred if k in step.inputs})
    except UnresolvedReference as exc:
        return _step_failed(execution, step, {}, failure_text(step, f"Unable to resolve {exc}"))
    if spec is not None:
        inputs = spec.with_single_items(inputs)
    store.append(execution.id, "StepStarted", step.name,
                 {"Inputs": encode_inputs(inputs), "Action": step.action})
    if spec is None or handler is None:
        from ..actions import INTERNAL_ACTIONS

        why = (f"{step.action} is an undocumented action internal to AWS; it runs only inside AWS"
               if step.action in INTERNAL_ACTIONS else f"{step.action} is not a documented Automation action")
        return _step_failed(execution, step, inputs, failure_text(step, why))
    # "600" as well as 600: runbooks AWS publishes write timeoutSeconds as a string, and they run.
    timeout = whole_number(step.timeout_seconds) or spec.default_timeout_seconds
    if limit is not None:
        timeout = min(timeout, limit) if timeout else limit
    deadline = time.monotonic() + timeout if timeout else None
    attempts = whole_number(step.max_attempts) or 1
    failure = ""
    for attempt in range(1, attempts + 1):
        call = StepCall(step, inputs, execution, deadline)
        result, error = _call(handler, call, execution)
        if error is None:
            try:
                outputs = step_outputs(step, result.response, result.outputs)
            except StepFailed as exc:
                return _step_failed(execution, step, inputs, failure_text(step, exc.message), recorded=True)
            execution.outputs[step.name] = outputs
            store.append(execution.id, "StepFinished", step.name,
                         {"StepStatus": S.SUCCESS, "Outputs": {k: as_ssm_values(v) for k, v in outputs.items()},
                          **({"ValidNextSteps": [result.next_step]} if result.next_step else {}),
                          **result.details})
            return Outcome(S.SUCCESS, next_step=result.next_step)
        if isinstance(error, StepInterrupted):
            status = S.TIMED_OUT if error.reason == "timeout" else S.CANCELLED
            message = timeout_text(step) if status == S.TIMED_OUT else None
            store.append(execution.id, "StepFinished", step.name,
                         {"StepStatus": status, **({"FailureMessage": message} if message else {})})
            return Outcome(status, message)
        failure = failure_text(step, error.message)
        if _is_denial(error):
            explanation = execution.cloud.explain_denial(execution.credentials)
            if explanation:
                from .denial_cause import with_api_cause

                error.details = {**error.details, "xacct:Explanation": with_api_cause(explanation, error.details)}
        store.append(execution.id, "StepAttemptFailed", step.name, {"Attempt": attempt, "FailureMessage": failure})
        if not error.retriable:
            break
    return _step_failed(execution, step, inputs, failure, recorded=True, details=error.details)


DENIAL_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}


def _is_denial(error: StepFailed) -> bool:
    if error.details.get("Error", {}).get("Code") in DENIAL_CODES:
        return True
    # an aws:executeScript script's call refused: botocore's text, "An error occurred (Code)"
    return any(f"An error occurred ({code})" in (error.message or "") for code in DENIAL_CODES)


def _step_failed(execution: Execution, step: Step, inputs: dict, message: str, *, recorded: bool = False,
                 details: dict | None = None) -> Outcome:
    if not recorded:
        execution.store.append(execution.id, "StepStarted", step.name,
                               {"Inputs": encode_inputs(inputs), "Action": step.action})
    execution.store.append(execution.id, "StepFinished", step.name,
                           {"StepStatus": S.FAILED, "FailureMessage": message, **(details or {})})
    return Outcome(S.FAILED, message)


def _call(handler, call: StepCall, execution: Execution) -> tuple[StepResult | None, Exception | None]:
    """Run the handler on this thread while the watchdog may stop it (deadline or cancel)."""
    WATCHDOG.watch(call, execution)
    try:
        result, error = handler(call) or StepResult(), None
    except (StepFailed, StepInterrupted) as exc:
        result, error = None, exc
    except Exception as exc:  # an AWS error or a bug in the action: the step fails, the run goes on
        result, error = None, StepFailed(_error_text(exc))
    finally:
        WATCHDOG.forget(call)
    if call.interrupt.is_set():  # stopped while it ran: the stop decides, whatever the handler returned
        return None, StepInterrupted(call.reason)
    return result, error

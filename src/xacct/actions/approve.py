"""aws:approve: pause until enough approvers approve, or one rejects."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:approve",
    page="aws:approve – Pause an automation for manual approval",
    inputs=(
        Input("Approvers", "StringList", required=True),
        Input("MinRequiredApprovals", "Integer"),
        Input("Message"),
        Input("NotificationArn"),
    ),
    outputs={"ApprovalStatus": "String", "ApproverDecisions": "MapList"},
    max_timeout_seconds=2_592_000,
    default_timeout_seconds=604_800,
)


def _matches(approver: str, allowed: list[str]) -> bool:
    """An approver (name or ARN) against the list: IAM user names, user ARNs, role ARNs and
    assumed-role ARNs, as the action page lists them."""
    for entry in allowed:
        if approver == entry or approver.rsplit("/", 1)[-1] == entry:
            return True
        if ":assumed-role/" in approver and entry.endswith(":role/" + approver.split("/")[1]):
            return True
    return False


def run(call):
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed
    from ..engine.signals import wait_for_signals

    inputs = call.inputs
    ex = call.execution
    approvers = [str(a) for a in inputs["Approvers"]]
    needed = int(inputs.get("MinRequiredApprovals", 1) or 1)
    if inputs.get("NotificationArn"):
        call.client("sns").publish(TopicArn=inputs["NotificationArn"], Subject="Automation approval",
                                   Message=f"{inputs.get('Message', '')}\nExecution {ex.id} waits for approval.")
    decisions: list[dict] = []
    if ex.options.auto_approve:
        who = ex.options.approver or (approvers[0] if approvers else ex.caller.arn)
        decisions = [{"Approver": who, "Decision": "Approved", "Comment": "--auto-approve"}] * needed
        return StepResult(outputs={"ApprovalStatus": "Approved", "ApproverDecisions": decisions[:1]})
    approved: dict[str, dict] = {}
    for batch in wait_for_signals(call, ["Approve", "Reject"], f"approval by {needed} of {', '.join(approvers)}"):
        for signal in batch:
            who = signal.get("Approver") or ex.caller.arn or "unknown"
            if not _matches(who, approvers):
                ex.store.append(ex.id, "SignalIgnored", call.step.name,
                                {"Approver": who, "Reason": "not among the step's Approvers"})
                continue
            decision = {"Approver": who, "Decision": "Approved" if signal["type"] == "Approve" else "Rejected",
                        "Comment": signal.get("Comment", "")}
            decisions.append(decision)
            if signal["type"] == "Reject":
                raise StepFailed(f"The approval request was rejected by {who}", retriable=False,
                                 details={"ApprovalStatus": "Rejected", "ApproverDecisions": decisions})
            approved[who] = decision
        if len(approved) >= needed:
            return StepResult(outputs={"ApprovalStatus": "Approved", "ApproverDecisions": decisions})

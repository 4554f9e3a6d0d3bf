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

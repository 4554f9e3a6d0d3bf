"""Status names as botocore's SSM model spells them (AutomationExecutionStatus), and which of
them end a step or an execution ("Understanding automation statuses", AWS Systems Manager User
Guide)."""

PENDING = "Pending"
IN_PROGRESS = "InProgress"
WAITING = "Waiting"
SUCCESS = "Success"
TIMED_OUT = "TimedOut"
CANCELLING = "Cancelling"
CANCELLED = "Cancelled"
FAILED = "Failed"

STEP_STATUSES = (PENDING, IN_PROGRESS, WAITING, SUCCESS, TIMED_OUT, CANCELLING, CANCELLED, FAILED)
TERMINAL = frozenset({SUCCESS, TIMED_OUT, CANCELLED, FAILED, "CompletedWithSuccess", "CompletedWithFailure",
                      "Rejected", "Exited"})

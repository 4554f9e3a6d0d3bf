"""AWS mode: SSM runs the runbook; xacct starts it, follows it, gathers every step of every
target into the central store, and explains each failure.

    runbook.publish / runbook.share   a runbook file made an SSM document (shared only when asked)
    start.start                       StartAutomationExecution
    follow.follow                     the parent, round by round, each target gathered as it ends
    gather.Gatherer                   a target's executions, read in its account through a read role
    explain                           AWS's text, cause, fix, and the doctor finding that foresees it
    record                            delegated executions as events; their GetAutomationExecution fold
    calls.Calls                       pacing under a budget, throttling retried with jitter, counting
"""

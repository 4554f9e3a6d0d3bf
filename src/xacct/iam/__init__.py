"""xacct.iam: AWS's policy evaluation logic, with explanations.

    decision = evaluate(Request(Caller(arn), action, resource), PolicySet(identity=[...]))
"""

from .evaluate import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, Decision, PolicySet, Request, evaluate
from .explain import denied_message, explain, render_text
from .policy import Policy, PolicyError, Statement, parse_policy
from .principals import Caller

__all__ = ["ALLOWED", "EXPLICIT_DENY", "IMPLICIT_DENY", "Caller", "Decision", "Policy", "PolicyError", "PolicySet",
           "Request", "Statement", "denied_message", "evaluate", "explain", "parse_policy", "render_text"]

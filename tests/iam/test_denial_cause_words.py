"""A step's denial cause in words for the layers the evaluator names (engine/denial_cause.py)."""

from xacct.engine.denial_cause import with_api_cause

KEY = "arn:aws:kms:sa-east-1:636100000001:key/5e1f0c2a-7b3d-4c8e-9f10-a1b2c3d4e5f6"
SLR = "arn:aws:iam::636100000001:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"


def cause(explanation, service, operation):
    return with_api_cause(explanation, {"Service": service, "Operation": operation})["cause"]


def test_a_key_policy_denial_is_named_as_such():
    told = cause({"decision": "implicitDeny", "layer": "kms", "action": "kms:Decrypt", "resource": KEY},
                 "kms", "Decrypt")
    assert told == f"the step calls the kms API Decrypt (kms:Decrypt) on {KEY}; the KMS key's policy does not allow " \
                   "it (nor does a grant)"


def test_an_scp_level_is_named_as_a_service_control_policy():
    told = cause({"decision": "implicitDeny", "layer": "scp", "missing": "scp level 2", "action": "ec2:CreateImage"},
                 "ec2", "CreateImage")
    assert told.endswith("; a service control policy does not allow it")


def test_a_protected_role_says_why_no_policy_could_help():
    reason = ("Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - this role is only "
              "modifiable by AWS")
    told = cause({"decision": "explicitDeny", "layer": "protected", "reason": reason, "action": "iam:PutRolePolicy",
                  "resource": SLR, "statements": []}, "iam", "PutRolePolicy")
    assert told.endswith("; " + reason)

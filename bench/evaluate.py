"""Decisions per second of xacct's policy evaluator on typical policies: an execution role with
the managed-policy-sized identity policy, a bucket policy, a boundary and two SCP levels.

    python bench/evaluate.py
"""

from __future__ import annotations

import time

from xacct.iam import Caller, PolicySet, Request, evaluate, parse_policy

A = "111111111111"


def policies() -> PolicySet:
    actions = [f"ec2:{verb}{noun}" for verb in ("Describe", "Create", "Delete", "Modify")
               for noun in ("Instances", "Images", "Snapshots", "Volumes", "Tags")]
    identity = parse_policy({"Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:PutEncryptionConfiguration"],
         "Resource": ["arn:aws:s3:::logs-*", "arn:aws:s3:::logs-*/*"]},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{A}:role/Automation*",
         "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}},
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
    ]}, "ExecutionRolePolicy")
    bucket = parse_policy({"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::logs-a/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "s3:*",
         "Resource": "arn:aws:s3:::logs-a/*"},
    ]}, "BucketPolicy")
    boundary = parse_policy({"Statement": [{"Effect": "Allow", "Action": ["ec2:*", "s3:*", "iam:PassRole"],
                                            "Resource": "*"}]}, "Boundary")
    full = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "FullAWSAccess")
    guard = parse_policy({"Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization",
                                         "Resource": "*"}]}, "Guard")
    return PolicySet(identity=[identity], resource=bucket, boundaries=[boundary], scps=[[full], [full, guard]])


def main() -> None:
    caller = Caller(f"arn:aws:sts::{A}:assumed-role/AutomationExecution/e1")
    requests = [Request(caller, "s3:GetObject", "arn:aws:s3:::logs-a/2026/11/x.gz", A),
                Request(caller, "ec2:CreateImage", f"arn:aws:ec2:us-east-1:{A}:instance/i-1", A),
                Request(caller, "s3:DeleteBucket", "arn:aws:s3:::logs-a", A),
                Request(caller, "kms:Decrypt", f"arn:aws:kms:us-east-1:{A}:key/k", A)]
    sets = policies()
    n = 20_000
    start = time.perf_counter()
    for i in range(n):
        evaluate(requests[i % len(requests)], sets)
    took = time.perf_counter() - start
    print(f"{n} decisions over 4 typical requests: {n / took:,.0f} decisions/s ({took / n * 1e6:.1f} us each)")


if __name__ == "__main__":
    main()


def gate_ratio(rounds: int = 300) -> None:
    """The gate's cost: the same calls by a role session on a gated sandbox and on bare moto."""
    import json
    import statistics

    from xacct.sandbox.embedded import SandboxCloud

    bare, gated = SandboxCloud(), SandboxCloud(enforce=True)
    admin = bare.operator("444444444444")
    iam = bare.client("iam", "us-east-1", admin)
    iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444444444444:root"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="bench", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:List*", "ec2:Describe*", "ssm:Describe*"], "Resource": "*"}]}))
    iam.put_user_policy(UserName="xacct-operator", PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    bare.client("s3", "us-east-1", admin).create_bucket(Bucket="bench-gate")
    role = gated.assume_role("arn:aws:iam::444444444444:role/bench", "bench", admin, "us-east-1")
    calls = [("s3", "list_objects_v2", {"Bucket": "bench-gate"}), ("ec2", "describe_instances", {}),
             ("ssm", "describe_parameters", {})]

    def timed(cloud):
        clients = [(cloud.client(s, "us-east-1", role), op, kw) for s, op, kw in calls]
        for client, op, kw in clients:  # warm
            getattr(client, op)(**kw)
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            for client, op, kw in clients:
                getattr(client, op)(**kw)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    b, g = timed(bare), timed(gated)
    print(f"sandbox calls by a role session, median of {rounds} rounds of 3 calls:")
    print(f"  bare moto {b * 1000:.2f} ms, through the gate {g * 1000:.2f} ms, ratio {g / b:.2f}x (target at most 1.5x)")


if __name__ == "__main__":
    gate_ratio()

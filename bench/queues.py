"""SQS and SNS calls through the sandbox's gate, in process, against the same calls with the gate
off (enforce=False: moto alone), as a ratio: sqs SendMessage on the caller's own queue (its queue
policy read and judged), SendMessage on another account's queue (judged, then carried to that
account), and sns Publish on a topic with a policy.

    python bench/queues.py [CALLS]
"""

from __future__ import annotations

import json
import sys
import time

from xacct.sandbox.embedded import SandboxCloud

ACCOUNTS = {True: ("690000000001", "690000000002"), False: ("690000000011", "690000000012")}  # apart: moto's state is shared
REGION = "us-east-1"
V = "2012-10-17"


def _setup(enforce: bool):
    cloud = SandboxCloud(REGION, enforce=enforce)
    OWNER, OTHER = ACCOUNTS[enforce]
    owner, other = cloud.operator(OWNER), cloud.operator(OTHER)
    urls = {}
    for pick in ("own", "other"):  # a queue per measurement, each filled alike in both setups
        arn = f"arn:aws:sqs:{REGION}:{OWNER}:bench-{pick}"
        urls[pick] = cloud.client("sqs", REGION, owner).create_queue(QueueName=f"bench-{pick}", Attributes={
            "Policy": json.dumps({"Version": V, "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                 "Action": "sqs:SendMessage", "Resource": arn}]})})["QueueUrl"]
    topic = cloud.client("sns", REGION, owner).create_topic(Name="bench")["TopicArn"]
    return cloud, owner, other, urls, topic


def _per_call(work, calls: int, rounds: int = 3) -> float:
    """The best of `rounds` rounds, in ms per call."""
    work()  # the first call builds what later calls reuse
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        best = min(best, (time.perf_counter() - start) / calls * 1000)
    return best


def main(calls: int = 200) -> None:
    gated = _setup(True)
    bare = _setup(False)
    rows = []
    for label, pick in (("sqs SendMessage, own queue", "own"), ("sqs SendMessage, other account's queue", "other"),
                        ("sns Publish, own topic", "topic")):
        times = []
        for cloud, owner, other, urls, topic in (bare, gated):
            if pick == "topic":
                client = cloud.client("sns", REGION, owner)
                work = lambda client=client, topic=topic: client.publish(TopicArn=topic, Message="m")  # noqa: E731
            else:
                client = cloud.client("sqs", REGION, owner if pick == "own" or not cloud.enforce else other)
                work = lambda client=client, url=urls[pick]: client.send_message(QueueUrl=url, MessageBody="m")  # noqa: E731
            times.append(_per_call(work, calls))
        rows.append((label, times[1], times[0]))
    print(f"{'call':40} {'gate ms':>8} {'moto ms':>8} {'ratio':>6}")
    for label, gate_ms, moto_ms in rows:
        print(f"{label:40} {gate_ms:8.2f} {moto_ms:8.2f} {gate_ms / moto_ms:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

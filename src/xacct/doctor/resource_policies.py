"""The resource-based policies a runbook's calls meet: the bucket policy of an S3 bucket, the
key policy of a KMS key, the queue policy of an SQS queue and the topic policy of an SNS topic,
read where the resource lives, and the RCPs above its account. AWS
judges them with the caller's own policies ("Policy evaluation logic", IAM User Guide:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): across
accounts both sides must allow; a key policy must allow even within one account, directly or by
delegating to the account's IAM policies ("Key policies in AWS KMS":
https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).

Doctor judges only what it can name before the run: a bucket or a key written in the runbook or
given as a parameter (a queue by its URL, a topic by its ARN). `kms:Decrypt` without a KeyId and resources made by earlier steps are left to
the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..iam import Policy, parse_policy
from .judge import compact, with_statement
from .reader import Unreadable


@dataclass
class Found:
    """A resource's policy as doctor read it, and how to add a statement to it."""

    kind: str  # "resource" (a bucket policy) or "kms" (a key policy): the evaluator's resource_kind
    owner: str
    resource: str  # the ARN the request names (a key's own ARN, where the call named an alias)
    label: str  # "bucket policy of logs-archive", "key policy of arn:aws:kms:..."
    document: dict | None
    add: Callable[[dict], tuple[str, Callable[[], None]]]  # statement -> (AWS CLI command, apply)

    @property
    def policy(self) -> Policy | None:
        return parse_policy(self.document, self.label) if self.document else None

    def with_statement(self, statement: dict) -> Policy:
        return parse_policy(with_statement(self.document, statement), self.label)


def find(reader, resource: str, accounts: Iterable[str]) -> Found | None:
    """The policy of the bucket or key `resource` names; None for other resources or when it cannot
    be read (doctor never guesses)."""
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    try:
        if parts[2] == "s3" and parts[5]:
            return _bucket(reader, parts[5].split("/", 1)[0], resource, accounts)
        if parts[2] == "kms" and parts[5].startswith(("key/", "alias/")):
            return _key(reader, parts)
        if parts[2] == "sqs" and parts[5] and "*" not in resource:
            return _queue(reader, parts, resource)
        if parts[2] == "sns" and parts[5] and "*" not in resource:
            return _topic(reader, resource)
    except Unreadable:
        return None
    return None


def _bucket(reader, bucket: str, resource: str, accounts: Iterable[str]) -> Found | None:
    owner = reader.bucket_owner(bucket, accounts)
    if owner is None:
        return None
    document = reader.bucket_policy(owner, bucket)

    def add(statement: dict) -> tuple[str, Callable[[], None]]:
        content = compact(with_statement(document, statement))

        def apply() -> None:
            reader.reading("s3", owner).put_bucket_policy(Bucket=bucket, Policy=content)

        return f"aws s3api put-bucket-policy --bucket {bucket} --policy '{content}'", apply

    return Found("resource", owner, resource, f"bucket policy of {bucket}", document, add)


def _key(reader, parts: list[str]) -> Found | None:
    region, owner, rest = parts[3], parts[4], parts[5]
    key_id = rest[len("key/"):] if rest.startswith("key/") else rest  # key/ID, key/alias/N, alias/N
    found = reader.key_policy(owner, region, key_id)
    if found is None:
        return None
    arn, document = found

    def add(statement: dict) -> tuple[str, Callable[[], None]]:
        content = compact(with_statement(document, statement))

        def apply() -> None:  # the sandbox's operator stands outside the key policy it changes
            reader.reading("kms", owner, region).put_key_policy(KeyId=arn, PolicyName="default", Policy=content)

        return (f"aws kms put-key-policy --key-id {arn} --policy-name default --policy '{content}' "
                f"--region {region}"), apply

    return Found("kms", owner, arn, f"key policy of {arn}", document, add)


def _queue(reader, parts: list[str], resource: str) -> Found | None:
    region, owner, name = parts[3], parts[4], parts[5]
    exists, document = reader.queue_policy(owner, region, name)
    if not exists:
        return None

    def add(statement: dict) -> tuple[str, Callable[[], None]]:
        content = compact(with_statement(document, statement))
        url = reader.reading("sqs", owner, region).get_queue_url(QueueName=name)["QueueUrl"]

        def apply() -> None:
            reader.reading("sqs", owner, region).set_queue_attributes(QueueUrl=url, Attributes={"Policy": content})

        attributes = compact({"Policy": content})
        return (f"aws sqs set-queue-attributes --queue-url {url} --attributes '{attributes}' --region {region}",
                apply)

    return Found("resource", owner, resource, f"queue policy of {name}", document, add)


def _topic(reader, resource: str) -> Found | None:
    exists, document = reader.topic_policy(resource)
    if not exists:
        return None
    region, owner, name = resource.split(":")[3:6]

    def add(statement: dict) -> tuple[str, Callable[[], None]]:
        content = compact(with_statement(document, statement))

        def apply() -> None:
            reader.reading("sns", owner, region).set_topic_attributes(TopicArn=resource, AttributeName="Policy",
                                                                      AttributeValue=content)

        return (f"aws sns set-topic-attributes --topic-arn {resource} --attribute-name Policy "
                f"--attribute-value '{content}' --region {region}"), apply

    return Found("resource", owner, resource, f"topic policy of {name}", document, add)


def grant_statement(found: Found, principal_arn: str, action: str) -> dict:
    """The statement that lets the principal make the call: a key policy's Resource is the key
    itself, written "*" ("Key policies in AWS KMS")."""
    return {"Effect": "Allow", "Principal": {"AWS": principal_arn}, "Action": action,
            "Resource": "*" if found.kind == "kms" else found.resource}

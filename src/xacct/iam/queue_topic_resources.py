"""The queue or topic an SQS or SNS call is authorized on.

SQS names a queue by its URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME), and IAM authorizes
the call on the queue's ARN, arn:PARTITION:sqs:REGION:ACCOUNT:NAME ("Amazon SQS API permissions:
Actions and resource reference",
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html).
The batch calls have no action of their own: SendMessageBatch is authorized as sqs:SendMessage,
DeleteMessageBatch as sqs:DeleteMessage, ChangeMessageVisibilityBatch as
sqs:ChangeMessageVisibility ("Amazon SQS batch actions",
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).

SNS names a topic by its ARN (TopicArn; a subscription's ARN is its topic's ARN and one more
field; TagResource names any resource by ResourceArn); CreateTopic by Name. PublishBatch is
authorized as sns:Publish ("Actions, resources, and condition keys for Amazon SNS",
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html).
"""

from __future__ import annotations

from urllib.parse import urlparse

SQS_RENAMED = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
               "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}
SNS_RENAMED = {"PublishBatch": "Publish"}


def queue_of_url(url: str, region: str) -> tuple[str, str, str] | None:
    """(Region, account, name) of a queue URL; the Region is the host's (sqs.REGION.amazonaws.com)
    or, for a host that names none (a local endpoint), `region`. None for what is not a queue URL."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    parsed = urlparse(url)
    path = [part for part in parsed.path.split("/") if part]
    if len(path) != 2 or not (path[0].isdigit() and len(path[0]) == 12) or not path[1]:
        return None
    labels = (parsed.hostname or "").split(".")
    if len(labels) >= 3 and labels[0] == "sqs" and labels[1] != "amazonaws":
        region = labels[1]
    elif len(labels) >= 3 and labels[1] == "queue":  # the legacy REGION.queue.amazonaws.com
        region = labels[0]
    return region, path[0], path[1]


def queue_arn(params: dict, region: str, account: str, partition: str = "aws") -> str | None:
    """The ARN of the queue a call names by QueueUrl (or by QueueName, with GetQueueUrl's
    QueueOwnerAWSAccountId for another account's queue); None when it names none."""
    url = params.get("QueueUrl")
    if isinstance(url, str) and url:
        if url.startswith("arn:"):
            return url
        found = queue_of_url(url, region)
        if found is None:
            if "/" in url or "{{" in url:
                return None
            found = (region, account, url)  # SQS takes a bare queue name as QueueUrl too
        queue_region, owner, name = found
        return f"arn:{partition}:sqs:{queue_region}:{owner}:{name}"
    name = params.get("QueueName")
    if isinstance(name, str) and name:
        owner = params.get("QueueOwnerAWSAccountId")
        owner = owner if isinstance(owner, str) and owner else account
        return f"arn:{partition}:sqs:{region}:{owner}:{name}"
    return None


def topic_arn(params: dict, region: str, account: str, partition: str = "aws") -> str | None:
    """The ARN of the topic an SNS call names; None when it names none."""
    for name in ("TopicArn", "ResourceArn"):
        value = params.get(name)
        if isinstance(value, str) and value.startswith("arn:") and value.split(":")[2:3] == ["sns"]:
            return value
    subscription = params.get("SubscriptionArn")
    if isinstance(subscription, str) and subscription.startswith("arn:") and subscription.count(":") >= 6:
        return subscription.rsplit(":", 1)[0]
    new = params.get("Name")
    if isinstance(new, str) and new and not new.startswith("arn:"):
        return f"arn:{partition}:sns:{region}:{account}:{new}"
    return None


def _account(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4] else None


def _builder(service: str, renamed: dict, resource_arn):
    """A builder of a call's Authorization (see actions.BUILT_RESOURCES): the action by its IAM
    name, on the queue's or topic's ARN when the action takes resources, else on "*"."""

    def for_operation(operation: str):
        def build(params: dict, region: str, account: str, partition: str):
            from .actions import Authorization, takes_resources

            action = f"{service}:{renamed.get(operation, operation)}"
            arn = resource_arn(params, region, account, partition) if takes_resources(action) else None
            return Authorization(action, arn, _account(arn)) if arn else Authorization(action, "*", None)

        return build

    return for_operation


sqs = _builder("sqs", SQS_RENAMED, queue_arn)
sns = _builder("sns", SNS_RENAMED, topic_arn)

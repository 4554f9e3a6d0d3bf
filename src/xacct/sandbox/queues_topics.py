"""SQS queues and SNS topics in the sandbox: their resource-based policies (the queue's and the
topic's `Policy` attribute, read from moto), the calls on another account's queue, and how the two
services word a denial.

AWS judges a queue or topic policy with the caller's own policies as for any resource-based
policy: within one account either may allow, across accounts both must ("Cross-account policy
evaluation logic",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html;
"Overview of managing access in Amazon SQS",
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-overview-of-managing-access.html;
"Amazon SNS access control", https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
"""

from __future__ import annotations

from ..aws.sessions import create_client
from ..iam import Policy, parse_policy
from ..iam.queue_topic_resources import queue_of_url

# How each service answers a call no policy allows, whatever its protocol: SQS (JSON, compatible
# with its query protocol) says AccessDenied, SNS (query) AuthorizationError, both with HTTP 403
# ("Common errors", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html;
# SNS Publish, "Errors": AuthorizationError, https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
ERROR_CODES = {"sqs": "AccessDenied", "sns": "AuthorizationError"}


def _parts(arn: str) -> tuple[str, str, str] | None:
    """(Region, account, name) of a queue's or topic's ARN."""
    parts = arn.split(":")
    if len(parts) == 6 and parts[0] == "arn" and parts[2] in ("sqs", "sns") and parts[5]:
        return parts[3], parts[4], parts[5]
    return None


def _queue(account: str, region: str, name: str, arn: str):
    """The policy document of moto's queue (kept by name), whose Policy attribute is JSON text."""
    from moto.sqs.models import sqs_backends

    text = getattr(sqs_backends[account][region].queues.get(name), "policy", None)
    return _document(text) if text else None


def _topic(account: str, region: str, name: str, arn: str):
    """The policy document of moto's topic (kept by ARN), which SNS gives every topic by default."""
    from moto.sns.models import sns_backends

    return getattr(sns_backends[account][region].topics.get(arn), "_policy_json", None)


# service -> (how its policy document is read from moto, how an explanation names the policy)
_READERS = {"sqs": (_queue, "queue policy"), "sns": (_topic, "topic policy")}


def policy(service: str, arn: str) -> Policy | None:
    """The queue's or topic's policy (its Policy attribute); None for a queue without one, or for
    no such queue or topic."""
    found = _parts(arn)
    if found is None:
        return None
    region, account, name = found
    read, label = _READERS[service]
    try:
        document = read(account, region, name, arn)
    except KeyError:  # an account or Region moto has no backend for
        return None
    return parse_policy(document, f"{label} of {name}") if document else None


def _document(text):
    import json

    return json.loads(text) if isinstance(text, (str, bytes)) else text


def denied_action(service: str, action: str) -> str:
    """The action as the service's denial spells it: SQS in lower case ("... is not authorized to
    perform: sqs:sendmessage on resource: ..."), SNS with its prefix in capitals ("SNS:Publish"),
    as their answers show (aws/serverless-application-model#3633; aws-ia/terraform-aws-control_tower_account_factory#151)."""
    if service == "sqs":
        return action.lower()
    if service == "sns":
        return "SNS:" + action.split(":", 1)[-1]
    return action


def queue_owner(params: dict, region: str, caller_account: str) -> tuple[str, str] | None:
    """(account, Region) of another account's queue that a call names by URL; None for the
    caller's own queue or a call that names none. moto keeps queues per account, so such a call is
    carried to the queue's account once the gate has allowed it."""
    url = params.get("QueueUrl")
    found = queue_of_url(url, region) if isinstance(url, str) else None
    if found is None:
        owner = params.get("QueueOwnerAWSAccountId")
        if isinstance(owner, str) and owner and owner != caller_account and params.get("QueueName"):
            return owner, region
        return None
    queue_region, owner, _ = found
    return (owner, queue_region) if owner != caller_account else None


def carrier(session, region: str, owner_admin):
    """A client that makes SQS calls in the queue's own account (past the gate, which has already
    decided); the gate keeps one per account and Region, as building a client costs more than a call."""
    return create_client(session, "sqs", region_name=region, **owner_admin.as_client_kwargs())


def forward(client, operation: str, params: dict) -> dict:
    """Make the SQS call with the queue owner's `carrier`."""
    from botocore import xform_name

    answer = getattr(client, xform_name(operation))(**params)
    answer.pop("ResponseMetadata", None)
    return answer

"""EC2's wording of a denial, and the encoded authorization message it carries.

EC2 answers UnauthorizedOperation with "You are not authorized to perform this operation.", the
IAM sentence naming the principal, the action and the resource, and "Encoded authorization
failure message: ..." ("Decode an authorization failure message",
https://repost.aws/knowledge-center/ec2-not-auth-launch; "DecodeAuthorizationMessage",
https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html). The
encoded message holds what STS's DecodeAuthorizationMessage returns: whether the request was
allowed, whether an explicit deny decided, the statements that matched, and the request's
context (principal, action, resource, condition keys). AWS encrypts it; the sandbox compresses it
and writes it as URL-safe base64 behind a marker, so that the sandbox's own STS decodes it and
nothing else is needed to keep (it says no more than `xacct explain` would).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from .evaluate import EXPLICIT_DENY, Decision, Request

MARKER = "xacct1."  # the format's version: a message of another form is refused, not misread
NOT_AUTHORIZED = "You are not authorized to perform this operation."
INVALID_MESSAGE = "The specified authorization message is not valid."  # InvalidAuthorizationMessageException


def decoded(request: Request, decision: Decision) -> dict:
    """The DecodedMessage document of a denial."""
    conditions = [{"key": key, "values": {"items": [{"value": str(v)} for v in
                                                    (values if isinstance(values, list) else [values])]}}
                  for key, values in sorted(request.context.items())]
    return {
        "allowed": decision.allowed,
        "explicitDeny": decision.decision == EXPLICIT_DENY,
        "matchedStatements": {"items": [{"statementId": s.sid or "", "effect": s.effect,
                                         "policy": s.policy, "position": s.index + 1}
                                        for s in decision.statements]},
        "failures": {"items": []},
        "context": {"principal": {"arn": request.caller.arn}, "action": request.action,
                    "resource": request.resource, "conditions": {"items": conditions}},
    }


def encode(request: Request, decision: Decision) -> str:
    text = json.dumps(decoded(request, decision), separators=(",", ":")).encode()
    return MARKER + base64.urlsafe_b64encode(zlib.compress(text, 9)).decode().rstrip("=")


def decode(message: str) -> str:
    """The DecodedMessage text of an encoded message; ValueError when it is not one."""
    if not isinstance(message, str) or not message.startswith(MARKER):
        raise ValueError(INVALID_MESSAGE)
    body = message[len(MARKER):]
    try:
        text = zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), bufsize=1 << 16)
        document = json.loads(text)
    except (binascii.Error, ValueError, zlib.error):
        raise ValueError(INVALID_MESSAGE) from None
    return json.dumps(document, separators=(",", ":"))


def ec2_message(iam_sentence: str, request: Request, decision: Decision) -> str:
    """EC2's UnauthorizedOperation message around IAM's sentence."""
    return f"{NOT_AUTHORIZED} {iam_sentence}. Encoded authorization failure message: {encode(request, decision)}"

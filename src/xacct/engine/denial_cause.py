"""The cause of a step's AccessDenied in words a runbook author recognizes: the API the step called
and the IAM action that authorizes it, which often differ (S3's PutBucketEncryption is authorized
as s3:PutEncryptionConfiguration, and AWS's message names only the IAM action)."""

from __future__ import annotations

LAYER_WORDS = {"identity": "no identity-based policy of {principal} allows it",
               "boundary": "the permissions boundary of {principal} does not allow it",
               "session": "the session policy of {principal} does not allow it",
               "resource": "the resource's policy does not allow it",
               "kms": "the KMS key's policy does not allow it (nor does a grant)",
               "trust": "the role's trust policy does not allow it",
               "scp": "a service control policy does not allow it",
               "rcp": "a resource control policy does not allow it"}


def with_api_cause(explanation: dict, details: dict) -> dict:
    """`explanation` with a "cause" naming the API call of `details` (the Service and Operation
    aws:executeAwsApi and the other API actions record with an AWS error) and the IAM action;
    unchanged when it already has a cause or the call is not known."""
    service, operation, action = details.get("Service"), details.get("Operation"), explanation.get("action")
    if explanation.get("cause") or not (service and operation and action):
        return explanation
    renamed = action.split(":", 1)[-1] != operation
    api = f"the {service} API {operation}" + (f", which IAM authorizes as {action} (a different name)"
                                               if renamed else f" ({action})")
    principal = explanation.get("principal") or "the caller"
    layer = explanation.get("missing") or explanation.get("layer") or ""
    if explanation.get("layer") == "protected":  # no policy decided: AWS keeps the entity for itself
        why = explanation.get("reason") or "AWS does not let anyone change it"
    elif explanation.get("decision") == "explicitDeny" and explanation.get("statements"):
        why = f"{explanation['statements'][0].get('policy')} denies it explicitly"
        place = explanation.get("organizationLevel")
        if place:
            why = f"{place['kind']} {place['policy']} attached to {place['where']} denies it explicitly"
    elif explanation.get("organizationLevel"):  # an SCP or RCP level: by where it is attached, not its depth
        place = explanation["organizationLevel"]
        why = (f"no {place['kind']} attached to {place['where']} allows it "
               f"({', '.join(place['policies'])} attached there)")
    else:
        why = LAYER_WORDS.get(layer.split(" ")[0], f"the {layer} layer does not allow it").format(principal=principal)
    on = f" on {explanation['resource']}" if explanation.get("resource") else ""
    return {**explanation, "cause": f"the step calls {api}{on}; {why}"}

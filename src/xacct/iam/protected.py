"""What no policy decides: calls AWS answers for everyone, and entities AWS keeps for itself.

- `sts:GetCallerIdentity` needs no permission, and an explicit Deny does not stop it
  ("GetCallerIdentity", AWS STS API Reference:
  https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
- AWS managed policies (`arn:aws:iam::aws:policy/...`) are AWS's own: nobody can change or delete
  them ("AWS managed policies", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies).
- Service-linked roles (path `/aws-service-role/`) are protected: only the service that owns one
  changes its policies, trust or settings or deletes it; IAM answers UnmodifiableEntity ("Using
  service-linked roles", https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html).
  The operations are those whose botocore model lists UnmodifiableEntityException and which act
  on a role.
"""

from __future__ import annotations

from functools import lru_cache

ANSWERED_FOR_EVERYONE = frozenset({"sts:getcalleridentity"})
SERVICE_LINKED_PATH = "/aws-service-role/"
UNMODIFIABLE_ROLE_MESSAGE = "Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS"


def answered_for_everyone(action: str) -> bool:
    """`action` lowercased."""
    return action in ANSWERED_FOR_EVERYONE


@lru_cache(maxsize=1)
def unmodifiable_role_actions() -> frozenset[str]:
    """iam:PutRolePolicy, iam:DeleteRole, ...: IAM operations on a role that answer
    UnmodifiableEntity for a service-linked role, lowercased."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("iam")
    found = set()
    for name in model.operation_names:
        operation = model.operation_model(name)
        members = operation.input_shape.members if operation.input_shape else {}
        if "RoleName" in members and any(e.name == "UnmodifiableEntityException" for e in operation.error_shapes):
            found.add(f"iam:{name}".lower())
    return frozenset(found)


def is_aws_managed_policy(resource: str) -> bool:
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[4] == "aws" \
        and parts[5].startswith("policy/")


def is_service_linked_role(resource: str) -> bool:
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role" + SERVICE_LINKED_PATH)


def protection(action: str, resource: str) -> str | None:
    """Why AWS refuses `action` (lowercased) on `resource` whatever the policies say, or None."""
    if not action.startswith("iam:"):
        return None
    verb = action[4:]
    if is_aws_managed_policy(resource) and not verb.startswith(("get", "list")):
        return f"{resource} is an AWS managed policy, which only AWS can change"
    if is_service_linked_role(resource) and action in unmodifiable_role_actions():
        return UNMODIFIABLE_ROLE_MESSAGE.format(name=resource.rsplit("/", 1)[-1])
    return None

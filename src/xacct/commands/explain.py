"""`xacct explain`: why AWS would allow or deny one request, and what would change it."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.option("--request", "request_file", type=click.Path(dir_okay=False),
              help="A JSON file with the request and the policies that apply to it.")
@click.option("--world", "world_path", type=click.Path(dir_okay=False),
              help="Ask about a principal and resource of this world file instead.")
@click.option("--principal", help="With --world: the user or role ARN that makes the request.")
@click.option("--action", help="With --world: the IAM action, such as s3:PutEncryptionConfiguration.")
@click.option("--resource", default="*", help="With --world: the resource ARN.")
@click.option("--context", "context_items", multiple=True, metavar="KEY=VALUE",
              help="With --world: a condition key of the request (repeat for more).")
@click.option("--session-policy", "session_policy_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="With --world and a role: the session is limited by this policy (JSON), as "
                   "`aws sts assume-role --policy` limits it.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(request_file, world_path, principal, action, resource, context_items, session_policy_file, output):
    """Evaluate one request offline, with AWS's policy evaluation logic, and say why it is
    allowed or denied: the layer that decided, the statement (policy, Sid, position), the text
    AWS would answer with, near misses, and the fix. Exit status 0 when allowed, 1 when denied,
    2 for a bad request file or an action IAM does not have (the closest one is named).

    The file has keys principal, action, resource, resourceAccount, context, identityPolicies,
    resourcePolicy, permissionsBoundaries, sessionPolicy, scps and rcps (levels of the
    organization, root first, each a list of policies) and managementAccount. With --world, the
    policies are those of a world file's accounts: name the principal, the action and the
    resource instead (a KMS key by its key ARN or its alias ARN).

    \b
    Examples:
      xacct explain --request assume-role.json --output json
      xacct explain --world s4-mfa.yaml --principal arn:aws:iam::111111111111:user/user-kawahara \\
        --action sts:AssumeRole --resource arn:aws:iam::222222222222:role/role-kawahara
      xacct explain --world w.yaml --principal arn:aws:iam::111111111111:role/ops --action s3:PutObject \\
        --resource arn:aws:s3:::logs/k --session-policy read-only.json
    """
    from ..iam.request_file import RequestFileError, load_request

    if world_path:
        if request_file or not principal or not action:
            raise click.UsageError("--world takes --principal and --action (and --resource), not --request")
        from ..iam.action_names import unknown_action

        unknown = unknown_action(action)
        if unknown:
            raise click.BadParameter(unknown, param_hint="--action")
        session_policy = _session_policy(session_policy_file, principal) if session_policy_file else None
        request, decision = _ask_world(world_path, principal, action, resource, context_items, session_policy)
        _show(request, decision, output)
        return
    if session_policy_file:
        raise click.UsageError("--session-policy goes with --world (a request file has its own sessionPolicy)")
    if not request_file:
        raise click.UsageError("give --request FILE, or --world with --principal and --action")
    from ..iam.json_text import MAX_BYTES

    try:
        with open(request_file, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # enough to know it is too large, without reading it all
    except OSError as exc:
        _echo(f"xacct: cannot read {request_file}: {exc.strerror}", err=True)
        sys.exit(2)
    try:
        request, policies = load_request(data)
    except RequestFileError as exc:
        _echo(f"xacct: {request_file}: {exc}", err=True)
        sys.exit(2)
    from ..iam import evaluate

    _show(request, evaluate(request, policies, once=True), output)  # one decision: nothing to compile for


def _echo(text: str, err: bool = False) -> None:
    """click.echo, for text that may hold what a request file put there: a lone surrogate (JSON's
    "\\ud800") cannot be encoded for the terminal, so it is shown as its escape instead."""
    click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"), err=err)


def _show(request, decision, output):
    from ..iam import explain as explain_decision, render_text

    if output == "json":
        _echo(json.dumps(explain_decision(request, decision), indent=2))
    else:
        _echo(render_text(request, decision))
    sys.exit(0 if decision.allowed else 1)


def _session_policy(path: str, principal: str):
    """The session policy of --session-policy, checked as STS checks AssumeRole's Policy."""
    from ..sandbox.session_policies import MalformedSessionPolicy, inline

    if ":role/" not in principal and ":assumed-role/" not in principal:
        raise click.BadParameter("session policies limit role sessions: name a role with --principal",
                                 param_hint="--session-policy")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_SESSION_POLICY_CHARS + 1)
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="--session-policy") from None
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path} is not UTF-8 text", param_hint="--session-policy") from None
    if len(text) > MAX_SESSION_POLICY_CHARS:
        raise click.BadParameter(f"{path}: a session policy is at most {MAX_SESSION_POLICY_CHARS} characters "
                                 "(AssumeRole's Policy)", param_hint="--session-policy")
    try:
        found = inline({"Policy": text})
    except MalformedSessionPolicy as exc:
        raise click.BadParameter(f"{path}: MalformedPolicyDocument: {exc}", param_hint="--session-policy") from None
    if found is None:
        raise click.BadParameter(f"{path} is empty", param_hint="--session-policy")
    return found[0]


# AssumeRole's Policy: at most 2,048 characters (STS API Reference, AssumeRole)
MAX_SESSION_POLICY_CHARS = 2048


def _ask_world(world_path, principal, action, resource, context_items, session_policy=None):
    from ..sandbox.embedded import SandboxCloud
    from .run import build_world_or_exit

    context = {}
    for item in context_items:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--context")
        context.setdefault(key, []).append(value)
    if not principal.startswith("arn:") or principal.count(":") < 5:
        raise click.BadParameter("a user or role ARN", param_hint="--principal")
    cloud = SandboxCloud(enforce=True)
    build_world_or_exit(world_path, cloud)
    return cloud.gate.decide(principal, action, resource, context, session_policy)

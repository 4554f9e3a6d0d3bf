"""`xacct explain`: why AWS would allow or deny one request, and what would change it."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.option("--request", "request_file", type=click.Path(dir_okay=False), required=True,
              help="A JSON file with the request and the policies that apply to it.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(request_file, output):
    """Evaluate one request offline, with AWS's policy evaluation logic, and say why it is
    allowed or denied: the layer that decided, the statement (policy, Sid, position), the text
    AWS would answer with, near misses, and the fix. Exit status 0 when allowed, 1 when denied,
    2 for a bad request file.

    The file has keys principal, action, resource, resourceAccount, context, identityPolicies,
    resourcePolicy, permissionsBoundaries, sessionPolicy, scps and rcps (levels of the
    organization, root first, each a list of policies).

    \\b
    Example:
      xacct explain --request assume-role.json --output json
    """
    from ..iam import evaluate, explain as explain_decision, render_text
    from ..iam.request_file import RequestFileError, load_request

    try:
        with open(request_file, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        click.echo(f"xacct: cannot read {request_file}: {exc.strerror}", err=True)
        sys.exit(2)
    try:
        request, policies = load_request(text)
    except RequestFileError as exc:
        click.echo(f"xacct: {request_file}: {exc}", err=True)
        sys.exit(2)
    decision = evaluate(request, policies)
    if output == "json":
        click.echo(json.dumps(explain_decision(request, decision), indent=2))
    else:
        click.echo(render_text(request, decision))
    sys.exit(0 if decision.allowed else 1)

"""`xacct sandbox`: the embedded sandbox, served to real clients."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .runbook_folders import runbooks_option, use_runbooks

@click.group()
def sandbox():
    """Work with the embedded sandbox: several AWS accounts in which IAM is enforced.

    \b
    Example:
      xacct sandbox serve --world s4-mfa.yaml
    """


@sandbox.command()
@click.option("--world", "world_path", type=click.Path(dir_okay=False), required=True,
              help="The world file: accounts, IAM, resources, organization.")
@click.option("--port", type=int, default=0, help="The port on 127.0.0.1 (default: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--profiles", "profiles_dir", type=click.Path(file_okay=False),
              help="Where to write the AWS config and credentials files (default: a folder under ~/.xacct).")
@click.option("--ready-file", type=click.Path(dir_okay=False), hidden=True,
              help="Write the endpoint here once serving (for scripts and tests).")
@runbooks_option()
@click.pass_context
def serve(ctx, world_path, port, host, profiles_dir, ready_file, runbooks_dirs):
    """Build WORLD into the sandbox and serve it on 127.0.0.1 through the IAM gate, so that the
    AWS CLI and any SDK reach it with its own profiles. Writes an AWS config and credentials
    file with a profile per world user (named ALIAS-USER) whose endpoint is the sandbox.

    \b
    Example:
      xacct sandbox serve --world s4-mfa.yaml --profiles ./sandbox-profiles
      AWS_CONFIG_FILE=./sandbox-profiles/config AWS_SHARED_CREDENTIALS_FILE=./sandbox-profiles/credentials \\
        aws sts get-caller-identity --profile hoge-user-kawahara
    """
    from ..sandbox.embedded import SandboxCloud
    from ..sandbox.profiles import write_profiles
    from ..sandbox.server import SandboxServer
    from .run import build_world_or_exit

    from ..cli import open_store

    registry = use_runbooks(runbooks_dirs)
    documents = len(registry.names())  # read now, so that the first request is answered at once
    cloud = SandboxCloud(enforce=True)
    built = build_world_or_exit(world_path, cloud)
    # executions started over HTTP are recorded where `xacct executions` reads them
    cloud.serve_automation(open_store(ctx))
    server = SandboxServer(cloud.gate, host, port)
    endpoint = server.start()
    server.warm()  # the first request of each common service is then answered at once
    folder = Path(profiles_dir) if profiles_dir else Path.home() / ".xacct" / "sandbox"
    config, credentials = write_profiles(folder, endpoint, built.users, built.aliases, cloud.default_region)
    click.echo(f"Serving {len(built.accounts)} accounts on {endpoint}, with {documents} AWS-owned documents")
    if registry.skipped:
        click.echo(f"  {len(registry.skipped)} files are not documents (xacct runbooks list --skipped shows why)")
    click.echo(f"  export AWS_CONFIG_FILE={config} AWS_SHARED_CREDENTIALS_FILE={credentials}")
    for (account, user), serial in sorted(built.mfa_serials.items()):
        click.echo(f"  MFA device of {user} in {account}: {serial}")
    click.echo("Ctrl-C stops it.")
    if ready_file:
        Path(ready_file).write_text(endpoint)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        server.stop()

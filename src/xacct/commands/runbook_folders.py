"""`--runbooks DIR` (and XACCT_RUNBOOKS), shared by run, doctor, validate, sandbox serve and
runbooks: folders of SSM documents served as AWS-owned ones next to the pulled catalogue."""

from __future__ import annotations

import sys

import click

HELP = ("A folder of SSM documents (.json/.yaml, named by file or metadata) to serve as AWS-owned, "
        "before the pulled catalogue and xacct's own; repeat for more (default: $XACCT_RUNBOOKS, "
        "folders separated by ':').")


# runbooks.registry.ENVIRONMENT, written here so that declaring the option does not import the
# catalogue (`xacct --help` stays fast); tests/unit/test_command_shared.py keeps the two the same
ENVIRONMENT = "XACCT_RUNBOOKS"


def runbooks_option(*, from_environment: bool = True, help_text: str = HELP):
    """The option; click.Path splits the environment variable at os.pathsep, as PATH is split."""
    return click.option("--runbooks", "runbooks_dirs", multiple=True, type=click.Path(file_okay=False),
                        envvar=ENVIRONMENT if from_environment else None, metavar="DIR", help=help_text)


def use_runbooks(folders, *, pulled: bool = True):
    """Make these folders and the pulled catalogue the sandbox's AWS-owned documents in this
    process; a folder that is not one ends the command with exit status 2."""
    from ..runbooks import FolderError, activate

    try:
        return activate(tuple(folders or ()), pulled=pulled)
    except FolderError as exc:
        click.echo(f"xacct: --runbooks: {exc}", err=True)
        sys.exit(2)

"""What AWS, SSM or the sandbox refuse before anything runs (an unknown runbook, a role that
cannot be assumed, a missing profile) ends a command with one line on stderr and exit status 2;
anything else is a bug in xacct and keeps its traceback."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click


@contextmanager
def exit_2_on_refusal():
    from ..engine import ExecutionRejected

    try:
        yield
    except ExecutionRejected as exc:
        click.echo(f"xacct: {exc.code}: {exc.message}", err=True)
        sys.exit(2)
    except click.ClickException:
        raise
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, (BotoCoreError, ClientError, RuntimeError)):
            click.echo(f"xacct: {' '.join(str(exc).split())}", err=True)
            sys.exit(2)
        raise

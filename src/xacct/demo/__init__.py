"""`xacct demo`: the stories S0 to S4, told on the embedded sandbox. Each chapter (one module
each) shows the failure as AWS shows it, xacct's explanation, the fix, and the success."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click


def run_demo() -> int:
    from ..sandbox.embedded import SandboxCloud
    from ..store import Store
    from . import s0, s1, s2, s3, s4

    click.secho("xacct demo, on the embedded sandbox\n", bold=True)
    with tempfile.TemporaryDirectory(prefix="xacct-demo-") as tmp:
        store = Store(Path(tmp) / "demo.db")
        ok = s0.chapter(store)
        ok = s1.chapter(store) and ok
        ok = s2.chapter(SandboxCloud(), store) and ok
        ok = s3.chapter(store) and ok
        ok = s4.chapter(store) and ok
        store.close()
    click.echo()
    click.secho("demo finished" if ok else "demo did not go as expected", fg="green" if ok else "red")
    return 0 if ok else 1

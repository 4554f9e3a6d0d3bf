"""`xacct sandbox serve --runbooks DIR` in a process of its own, with a catalogue of its own."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ACCOUNT = "612000000001"  # this package's accounts: 612...
WORLD = f"""\
world: 1
accounts:
  "{ACCOUNT}":
    alias: rbk
    iam:
      users:
        ops:
          accessKey: true
          policies:
            everything:
              Version: "2012-10-17"
              Statement:
                - {{Effect: Allow, Action: "*", Resource: "*"}}
"""
PROFILE = "rbk-ops"


def client_environment(folder: Path, data: Path) -> dict:
    """The environment of a client of the served sandbox: its profiles, and `data` as the
    catalogue's home (HOME too, as the AWS CLI caches under ~/.aws)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "XACCT_", "XDG_"))}
    return {**keep, "HOME": str(folder), "XDG_DATA_HOME": str(data), "AWS_CONFIG_FILE": str(folder / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials")}


@contextmanager
def served_runbooks(runbooks: Path, folder: Path):
    """Yield (env, endpoint, server's first line)."""
    world, ready, log = folder / "world.yaml", folder / "ready", folder / "server.log"
    world.write_text(WORLD)
    env = client_environment(folder, folder / "server-data")
    with open(log, "w") as sink:
        server = subprocess.Popen([sys.executable, "-m", "xacct", "sandbox", "serve", "--world", str(world),
                                   "--runbooks", str(runbooks), "--profiles", str(folder), "--ready-file", str(ready)],
                                  stdout=sink, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            for _ in range(1200):
                if ready.exists():
                    break
                if server.poll() is not None:
                    raise AssertionError(log.read_text())
                time.sleep(0.05)
            else:
                raise AssertionError("the sandbox did not start serving within a minute")
            yield env, ready.read_text(), log.read_text().splitlines()[0]
        finally:
            server.terminate()
            server.wait(timeout=10)

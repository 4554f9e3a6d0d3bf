"""`xacct sandbox serve` on a world, for tests that reach the sandbox as clients do: through the
AWS config and credentials files it writes, in an environment of their own."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served_world(world: Path, folder: Path):
    """Yield (env, endpoint): an environment whose AWS profiles reach the served world. HOME is
    the folder, as the AWS CLI caches role credentials under ~/.aws/cli/cache and another
    sandbox's credentials mean nothing to this one."""
    ready = folder / "ready"
    server = subprocess.Popen([sys.executable, "-m", "xacct", "sandbox", "serve", "--world", str(world),
                               "--profiles", str(folder), "--ready-file", str(ready)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(1200):
            if ready.exists():
                break
            if server.poll() is not None:
                raise AssertionError(server.communicate()[1])
            time.sleep(0.05)
        else:
            raise AssertionError("the sandbox did not start serving within a minute")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "XACCT_"))}, "HOME": str(folder),
               "AWS_CONFIG_FILE": str(folder / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials")}
        yield env, ready.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)


def profile_keys(folder: Path, profile: str) -> tuple[str, str]:
    """(access key id, secret access key) of a profile in the credentials file the sandbox wrote."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(folder / "credentials")
    return parser[profile]["aws_access_key_id"], parser[profile]["aws_secret_access_key"]


@contextmanager
def served_world_logged(world: Path, folder: Path):
    """As served_world, with the server's stderr in a file: yield (env, endpoint, log path), for
    tests that read what the server printed (its log must hold no traceback)."""
    ready, log = folder / "ready", folder / "server.log"
    with open(log, "w") as sink:
        server = subprocess.Popen([sys.executable, "-m", "xacct", "sandbox", "serve", "--world", str(world),
                                   "--profiles", str(folder), "--ready-file", str(ready)],
                                  stdout=subprocess.DEVNULL, stderr=sink, text=True)
        try:
            for _ in range(1200):
                if ready.exists():
                    break
                if server.poll() is not None:
                    raise AssertionError(log.read_text())
                time.sleep(0.05)
            else:
                raise AssertionError("the sandbox did not start serving within a minute")
            env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "XACCT_"))},
                   "HOME": str(folder), "AWS_CONFIG_FILE": str(folder / "config"),
                   "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials")}
            yield env, ready.read_text(), log
        finally:
            server.terminate()
            server.wait(timeout=10)

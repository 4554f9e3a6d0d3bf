"""`xacct sandbox serve` on a world, for tests that reach the sandbox as clients do: through the
AWS config and credentials files it writes, in an environment of their own."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def client_environment(folder: Path, **extra: str) -> dict:
    """The environment of a client whose AWS files are the ones the sandbox wrote in `folder`:
    nothing of this machine's AWS or xacct settings. HOME is the folder, as the AWS CLI caches
    role credentials under ~/.aws/cli/cache and another sandbox's credentials mean nothing here."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "XACCT_"))}
    return {**keep, "HOME": str(folder), "AWS_CONFIG_FILE": str(folder / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials"), **extra}


@contextmanager
def serving(world: Path, folder: Path, *options: str, env: dict | None = None):
    """`xacct sandbox serve --world WORLD` with its profiles in `folder`, what it prints in
    folder/server.out and its log (stderr) in folder/server.log; yield the endpoint once it
    serves, stop it after."""
    ready, out, log = folder / "ready", folder / "server.out", folder / "server.log"
    with open(out, "w") as printed, open(log, "w") as logged:
        server = subprocess.Popen([sys.executable, "-m", "xacct", "sandbox", "serve", "--world", str(world),
                                   "--profiles", str(folder), "--ready-file", str(ready), *options],
                                  stdout=printed, stderr=logged, text=True, env=env)
        try:
            for _ in range(1200):
                if ready.exists():
                    break
                if server.poll() is not None:
                    raise AssertionError(out.read_text() + log.read_text())
                time.sleep(0.05)
            else:
                raise AssertionError("the sandbox did not start serving within a minute")
            yield ready.read_text()
        finally:
            server.terminate()
            server.wait(timeout=10)


@contextmanager
def served_world(world: Path, folder: Path):
    """Yield (env, endpoint): an environment whose AWS profiles reach the served world."""
    with serving(world, folder) as endpoint:
        yield client_environment(folder), endpoint


@contextmanager
def served_world_logged(world: Path, folder: Path):
    """As served_world, and the path of the server's log: yield (env, endpoint, log path), for
    tests that read what the server printed (its log must hold no traceback)."""
    with serving(world, folder) as endpoint:
        yield client_environment(folder), endpoint, folder / "server.log"


def profile_keys(folder: Path, profile: str) -> tuple[str, str]:
    """(access key id, secret access key) of a profile in the credentials file the sandbox wrote."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(folder / "credentials")
    return parser[profile]["aws_access_key_id"], parser[profile]["aws_secret_access_key"]

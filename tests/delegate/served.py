"""The delegate tests' sandbox, served as if it were AWS, and xacct run against it as a user would:
a subprocess with the AWS config and credentials files the sandbox wrote, its own store."""

import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.served import client_environment, serving

HERE = Path(__file__).parent
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the MFA device of ops in world.yaml


@dataclass
class Served:
    folder: Path
    env: dict
    endpoint: str

    @property
    def store(self) -> Path:
        return self.folder / "client.db"

    def xacct(self, *args, stdin=None, timeout=120, new_session=False):
        """`xacct --store client.db ARGS` as the user runs it, in the folder with the runbooks."""
        return subprocess.run([sys.executable, "-m", "xacct", "--store", str(self.store), *args], cwd=self.folder,
                              env=self.env, capture_output=True, text=True, input=stdin, timeout=timeout,
                              start_new_session=new_session)

    def popen(self, *args):
        return subprocess.Popen([sys.executable, "-m", "xacct", "--store", str(self.store), *args], cwd=self.folder,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def show(self, execution_id: str) -> dict:
        shown = self.xacct("executions", "show", execution_id, "--output", "json")
        assert shown.returncode == 0, shown.stderr
        return json.loads(shown.stdout)


def copy_files(folder: Path, world_text: str | None = None) -> None:
    for name in ("deploy.yaml", "encrypt.yaml", "hold.yaml"):
        shutil.copy(HERE / name, folder / name)
    (folder / "world.yaml").write_text(world_text or (HERE / "world.yaml").read_text())


def client_env(folder: Path) -> dict:
    """The environment of a user whose AWS files are the sandbox's, running this checkout's xacct."""
    env = client_environment(folder)
    env["PYTHONPATH"] = str(Path(__file__).parents[2] / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


@contextmanager
def served_subprocess(folder: Path):
    """`xacct sandbox serve` on world.yaml, recording into its own store (server.db)."""
    copy_files(folder)
    server_env = {**os.environ, "XACCT_STORE": str(folder / "server.db")}
    with serving(folder / "world.yaml", folder, env=server_env) as endpoint:
        yield Served(folder, client_env(folder), endpoint)


def boto_ssm(served: Served, region: str, profile: str = "central-ops"):
    """An SSM client of the profile, reading the sandbox's AWS files (not this machine's)."""
    import botocore.session

    session = botocore.session.Session(profile=profile)
    session.set_config_variable("config_file", served.env["AWS_CONFIG_FILE"])
    session.set_config_variable("credentials_file", served.env["AWS_SHARED_CREDENTIALS_FILE"])
    return session.create_client("ssm", region_name=region)

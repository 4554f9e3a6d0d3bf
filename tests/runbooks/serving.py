"""`xacct sandbox serve --runbooks DIR` in a process of its own, with a catalogue of its own."""

from contextlib import contextmanager
from pathlib import Path

from tests import served

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
    """The environment of a client of the served sandbox, with `data` as the catalogue's home."""
    env = served.client_environment(folder, XDG_DATA_HOME=str(data))
    return {k: v for k, v in env.items() if not (k.startswith("XDG_") and k != "XDG_DATA_HOME")}


@contextmanager
def served_runbooks(runbooks: Path, folder: Path):
    """Yield (env, endpoint, server's first line)."""
    world = folder / "world.yaml"
    world.write_text(WORLD)
    with served.serving(world, folder, "--runbooks", str(runbooks),
                        env=client_environment(folder, folder / "server-data")) as endpoint:
        yield (client_environment(folder, folder / "server-data"), endpoint,
               (folder / "server.out").read_text().splitlines()[0])

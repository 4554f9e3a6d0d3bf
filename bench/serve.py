"""The served sandbox (`xacct sandbox serve`) over HTTP, measured from a client process:

(a) start-up: how long the world takes to build and serve, and then how long the first signed
    request of each of a few services waits once the server says it serves (target: the first
    within 1 s on a 2-core machine);
(b) per call: sts get-caller-identity, s3 list-objects-v2, ssm describe-parameters and
    ec2 describe-instances against the served sandbox (SigV4 checked, parameters validated, IAM
    decided) and against bare `moto_server` for the same calls, as a ratio.

    python bench/serve.py [ROUNDS]
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORLD = """world: 1
accounts:
  "123456789012":
    alias: bench
    iam:
      users:
        admin:
          accessKey: true
          policies:
            all: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
    regions:
      us-east-1:
        buckets:
          bench-data: {}
"""
CALLS = [("sts", "get_caller_identity", {}), ("s3", "list_objects_v2", {"Bucket": "bench-data"}),
         ("ssm", "describe_parameters", {}), ("ec2", "describe_instances", {})]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clients(endpoint: str, key: str, secret: str) -> tuple[dict, object]:
    """boto3 clients for the calls, and their credentials (made before the server serves, so
    that building clients is not counted as the server's time; the keys are set once known)."""
    import boto3
    import botocore.session
    from botocore.config import Config

    core = botocore.session.Session()
    core.set_credentials(key, secret)
    session = boto3.Session(botocore_session=core, region_name="us-east-1")
    config = Config(retries={"max_attempts": 1})
    made = {service: session.client(service, endpoint_url=endpoint, config=config) for service, _, _ in CALLS}
    return made, core.get_credentials()


def keys(folder: Path) -> tuple[str, str]:
    import configparser

    parser = configparser.ConfigParser()
    parser.read(folder / "credentials")
    return parser["bench-admin"]["aws_access_key_id"], parser["bench-admin"]["aws_secret_access_key"]


def start_served(folder: Path, port: int) -> tuple[subprocess.Popen, float, float]:
    """The server process, the seconds it took to say it serves, and when it did (perf_counter)."""
    world, ready = folder / "bench.yaml", folder / "ready"
    world.write_text(WORLD)
    env = {**os.environ, "HOME": str(folder)}
    began = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "xacct", "sandbox", "serve", "--world", str(world), "--port",
                               str(port), "--profiles", str(folder), "--ready-file", str(ready)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not ready.exists():
        if server.poll() is not None:
            raise SystemExit("xacct sandbox serve stopped before serving")
        time.sleep(0.002)
    serving = time.perf_counter()
    return server, serving - began, serving


def start_moto(port: int) -> subprocess.Popen:
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
    server = subprocess.Popen([moto, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise SystemExit("moto_server did not start")


def per_call(served: dict, bare: dict, rounds: int) -> dict[str, tuple[float, float]]:
    times = {api: ([], []) for _, api, _ in CALLS}
    for _ in range(rounds):  # interleaved, so both see the same machine
        for service, api, params in CALLS:
            for side, group in ((0, served), (1, bare)):
                start = time.perf_counter()
                getattr(group[service], api)(**params)
                times[api][side].append(time.perf_counter() - start)
    return {api: (statistics.median(a), statistics.median(b)) for api, (a, b) in times.items()}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port, moto_port = free_port(), free_port()
        served, credentials = clients(f"http://127.0.0.1:{port}", "unknown", "unknown")
        server, to_serve, serving = start_served(folder, port)
        moto = None
        try:
            credentials.access_key, credentials.secret_key = keys(folder)
            print(f"world built and served in {to_serve:.2f} s")
            for service, api, params in CALLS:  # the first signed request of each service
                start = time.perf_counter()
                getattr(served[service], api)(**params)
                print(f"  first {service} {api}: {time.perf_counter() - start:.3f} s "
                      f"({time.perf_counter() - serving:.2f} s after the server said it serves)")
            moto = start_moto(moto_port)  # only now, so that it took no CPU from the served start-up
            bare, _ = clients(f"http://127.0.0.1:{moto_port}", "AKIAIOSFODNN7EXAMPLE", "bench")
            bare["s3"].create_bucket(Bucket="bench-data")
            for service, api, params in CALLS:  # moto's first touch of each service, not measured
                getattr(bare[service], api)(**params)
            print(f"per call, median of {rounds} (served sandbox / bare moto_server):")
            for api, (mine, theirs) in per_call(served, bare, rounds).items():
                print(f"  {api:22} {mine * 1000:7.1f} ms {theirs * 1000:7.1f} ms  {mine / theirs:.2f}x")
        finally:
            for process in (server, moto):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=10)


if __name__ == "__main__":
    main()

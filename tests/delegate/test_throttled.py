"""A throttled SSM API: the served sandbox answers 20% of GetAutomationExecution and the Describe
calls with ThrottlingException ("Rate exceeded"), as SSM does under load. xacct follows the run to
its end and gathers every target all the same, and says how many answers were throttled.

The sandbox is served in this process (accounts 82xxxxxxxxxx, this module's own), so that the
fault can be put in front of its Automation API."""

import random
import re
import threading

import pytest

from tests.delegate.served import HERE, Served, client_env, copy_files

THROTTLED_OPERATIONS = {"GetAutomationExecution", "DescribeAutomationExecutions", "DescribeAutomationStepExecutions"}


class Throttle:
    """Wraps the gate's own answers: `rate` of the throttled operations answer ThrottlingException."""

    def __init__(self, serve, rate: float, seed: int) -> None:
        self.serve, self.rate, self.random = serve, rate, random.Random(seed)
        self.lock = threading.Lock()
        self.calls = self.injected = 0

    def __call__(self, service, operation, params, key, region):
        from xacct.sandbox.gate import AccessRefused

        if service == "ssm" and operation in THROTTLED_OPERATIONS:
            with self.lock:
                self.calls += 1
                throttle = self.random.random() < self.rate
                self.injected += throttle
            if throttle:
                raise AccessRefused("ThrottlingException", "Rate exceeded", status=400)
        return self.serve(service, operation, params, key, region)


@pytest.fixture(scope="module")
def throttled(tmp_path_factory):
    from xacct.sandbox.embedded import SandboxCloud
    from xacct.sandbox.profiles import write_profiles
    from xacct.sandbox.server import SandboxServer
    from xacct.sandbox.world import build_world, load_world
    from xacct.store import Store

    folder = tmp_path_factory.mktemp("throttled")
    copy_files(folder, (HERE / "world.yaml").read_text().replace("8100000000", "8200000000"))
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(str(folder / "world.yaml")), cloud, cloud.default_region)
    store = Store(folder / "server.db")
    cloud.serve_automation(store)
    throttle = Throttle(cloud.gate.serve, 0.2, seed=12)
    cloud.gate.serve = throttle
    server = SandboxServer(cloud.gate)
    endpoint = server.start()
    write_profiles(folder, endpoint, built.users, built.aliases, cloud.default_region)
    try:
        yield Served(folder, client_env(folder), endpoint), throttle
    finally:
        server.stop()
        store.close()


def test_a_run_is_followed_to_its_end_through_throttling(throttled):
    served, throttle = throttled
    ran = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", "ap-northeast-1",
                       "--accounts", "820000000002,820000000003", "--regions", "ap-northeast-1,us-east-1",
                       "--max-concurrency", "2", "--share", "--poll-seconds", "0.1")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert throttle.calls >= 10 and throttle.injected >= 1
    reported = re.search(r"API calls to follow and gather: (\d+) \((\d+) throttled and retried\)", ran.stdout)
    assert reported, ran.stdout
    assert int(reported.group(2)) == throttle.injected  # every throttled answer was xacct's, and retried
    execution_id = re.search(r"^Execution ([0-9a-f-]{36}) of ", ran.stdout, re.M).group(1)
    tree = served.show(execution_id)
    assert len(tree["ChildExecutions"]) == 4
    assert all(s["StepStatus"] == "Success" for c in tree["ChildExecutions"] for s in c["StepExecutions"])

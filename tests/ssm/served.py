"""A sandbox serving SSM's Automation API over HTTP in this process, with runbooks of a test's own
in one account, and the waiting that tests of running executions share."""

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass

import boto3


@dataclass
class Served:
    endpoint: str
    cloud: object
    store: object
    operator: object  # the account's administrator credentials

    def ssm(self, region: str, keys: tuple[str, str] | None = None):
        key, secret = keys or (self.operator.access_key_id, self.operator.secret_access_key)
        return boto3.client("ssm", region_name=region, endpoint_url=self.endpoint, aws_access_key_id=key,
                            aws_secret_access_key=secret)


@contextmanager
def served_automation(folder, account: str, region: str, runbooks: dict[str, dict]):
    from xacct.sandbox.embedded import SandboxCloud
    from xacct.sandbox.server import SandboxServer
    from xacct.store import Store

    cloud = SandboxCloud(region)
    store = Store(folder / "executions.db")
    cloud.serve_automation(store)
    server = SandboxServer(cloud.gate)
    endpoint = server.start()
    operator = cloud.operator(account)
    admin = cloud.client("ssm", region, operator)
    for name, body in runbooks.items():
        admin.create_document(Name=name, DocumentType="Automation", DocumentFormat="JSON", Content=json.dumps(body))
    try:
        yield Served(endpoint, cloud, store, operator)
    finally:
        server.stop()


def wait_until(ssm, execution_id, holds, what: str) -> dict:
    """GetAutomationExecution until `holds` is true of it (20 s at most)."""
    for _ in range(400):
        execution = ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]
        if holds(execution):
            return execution
        time.sleep(0.05)
    raise AssertionError(f"{execution_id}: {what} never held; {execution['AutomationExecutionStatus']}, "
                         f"{[(s['StepName'], s['StepStatus']) for s in execution['StepExecutions']]}")

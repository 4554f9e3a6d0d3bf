"""aws:invokeLambdaFunction (the function's code really runs, as its role), aws:executeStateMachine,
aws:invokeWebhook (to a server on 127.0.0.1), aws:copyImage, and aws:executeScript's limits."""

import io
import json
import threading
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from .helpers import run_text, step

CODE = """
import boto3
def handler(event, context):
    print("invoked with", event)
    return {"twice": event["n"] * 2, "as": boto3.client("sts").get_caller_identity()["Arn"]}
def broken(event, context):
    raise RuntimeError("no luck")
"""


@pytest.fixture(scope="module")
def functions(sandbox):
    me = sandbox.caller_credentials()
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = sandbox.client("iam", "us-east-1", me).create_role(
        RoleName=f"fn-{uuid.uuid4().hex[:6]}", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("index.py", CODE)
    lam = sandbox.client("lambda", "us-east-1", me)
    names = {}
    for handler in ("handler", "broken"):
        name = f"fn-{handler}-{uuid.uuid4().hex[:6]}"
        lam.create_function(FunctionName=name, Runtime="python3.11", Role=role, Handler=f"index.{handler}",
                            Code={"ZipFile": archive.getvalue()}, Timeout=10)
        names[handler] = name
    return names, role


def test_invoke_lambda_runs_the_function(functions, sandbox, store):
    names, role = functions
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: call
        action: aws:invokeLambdaFunction
        inputs: {{FunctionName: {names['handler']}, InputPayload: {{n: 21}}, LogType: Tail}}
        outputs: [{{Name: Twice, Selector: $.Payload, Type: String}}]
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    payload = json.loads(execution.outputs["call"]["Payload"])
    assert payload["twice"] == 42
    assert payload["as"].startswith(f"arn:aws:sts::111111111111:assumed-role/{role.split('/')[-1]}/")
    assert execution.outputs["call"]["StatusCode"] == 200


def test_a_failing_function_is_reported_as_lambda_reports_it(functions, sandbox, store):
    names, _ = functions
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: call
        action: aws:invokeLambdaFunction
        inputs: {{FunctionName: {names['broken']}}}
    """
    status, _, execution = run_text(text, sandbox, store)
    assert status == "Success"  # the invocation worked; the function's error is an output, as in Lambda
    assert execution.outputs["call"]["FunctionError"] == "Unhandled"
    assert json.loads(execution.outputs["call"]["Payload"])["errorMessage"] == "no luck"


def test_execute_state_machine(sandbox, store):
    me = sandbox.caller_credentials()
    sfn = sandbox.client("stepfunctions", "us-east-1", me)
    machine = sfn.create_state_machine(
        name=f"sm-{uuid.uuid4().hex[:6]}", roleArn="arn:aws:iam::111111111111:role/sfn",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}),
    )["stateMachineArn"]
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: machine
        action: aws:executeStateMachine
        timeoutSeconds: 30
        inputs: {{stateMachineArn: "{machine}", input: '{{"x": 1}}'}}
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    assert execution.outputs["machine"]["status"] == "SUCCEEDED"


class _Hook(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (the name http.server calls)
        _Hook.received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"thanks")

    def log_message(self, *args):
        pass


def test_invoke_webhook_posts_to_the_integration(sandbox, store):
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ssm = sandbox.client("ssm", "us-east-1", sandbox.caller_credentials())
        from xacct.actions.invoke_webhook import INTEGRATION_PREFIX

        ssm.put_parameter(Name=INTEGRATION_PREFIX + "ops-hook", Type="SecureString", Overwrite=True,
                          Value=json.dumps({"url": f"http://127.0.0.1:{server.server_address[1]}/hook"}))
        text = """
        schemaVersion: "0.3"
        mainSteps:
          - name: tell
            action: aws:invokeWebhook
            inputs: {IntegrationName: ops-hook, Body: '{"text": "{{ automation:EXECUTION_ID }} done"}'}
        """
        status, result, execution = run_text(text, sandbox, store)
        assert status == "Success", result.get("FailureMessage")
        assert execution.outputs["tell"] == {"Response": "thanks", "ResponseCode": 200}
        assert _Hook.received[-1] == json.dumps({"text": f"{execution.id} done"})
    finally:
        server.shutdown()


def test_copy_image(sandbox, store):
    ec2 = sandbox.client("ec2", "us-east-1", sandbox.caller_credentials())
    source = ec2.register_image(Name=f"src-{uuid.uuid4().hex[:6]}", RootDeviceName="/dev/xvda",
                                BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: copy
        action: aws:copyImage
        inputs: {{SourceRegion: us-east-1, SourceImageId: {source}, ImageName: copied}}
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    assert execution.outputs["copy"]["ImageId"] != source and execution.outputs["copy"]["ImageState"] == "available"


def test_script_from_an_attachment(tmp_path, sandbox, store):
    from xacct.engine import run, start_runbook

    with zipfile.ZipFile(tmp_path / "code.zip", "w") as z:
        z.writestr("tools.py", "def greet(events, context):\n    return {'hi': events['name']}\n")
    (tmp_path / "runbook.yaml").write_text("""schemaVersion: "0.3"
files:
  code.zip:
    checksums: {sha256: "0"}
mainSteps:
  - name: greet
    action: aws:executeScript
    inputs: {Runtime: python3.11, Handler: tools.greet, Attachment: code.zip, InputPayload: {name: xacct}}
    outputs: [{Name: Hi, Selector: $.Payload.hi, Type: String}]
""")
    execution = start_runbook(str(tmp_path / "runbook.yaml"), cloud=sandbox, store=store)
    assert run(execution) == "Success"
    assert execution.outputs["greet"]["Hi"] == "xacct"


def test_powershell_is_refused_clearly(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: ps
        action: aws:executeScript
        inputs: {Runtime: PowerShell 7.4, Script: Write-Host hi}
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Failed"
    assert "runs Python scripts only" in step(result, "ps")["FailureMessage"]


def test_a_hung_script_is_killed_at_its_timeout(sandbox, store):
    import time

    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: hang
        action: aws:executeScript
        timeoutSeconds: 1
        inputs: {Runtime: python3.11, Handler: h, Script: "import time\\ndef h(e, c):\\n    time.sleep(60)"}
    """
    began = time.monotonic()
    status, result, _ = run_text(text, sandbox, store)
    assert status == "TimedOut" and time.monotonic() - began < 10
    assert step(result, "hang")["FailureMessage"] == (
        "Step timed out while step is Poll action status for completion. Please refer to Automation Service "
        "Troubleshooting Guide for more diagnosis details.")


def test_a_script_invokes_a_function_over_the_sandbox_endpoint(functions, sandbox, store):
    """Scripts reach the sandbox over HTTP; a Lambda function they invoke really runs there too."""
    names, _ = functions
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: call
        action: aws:executeScript
        inputs:
          Runtime: python3.11
          Handler: h
          Script: |
            import json, boto3
            def h(events, context):
                answer = boto3.client("lambda").invoke(FunctionName="{names['handler']}", Payload=json.dumps({{"n": 4}}))
                return json.loads(answer["Payload"].read())
        outputs: [{{Name: Twice, Selector: $.Payload.twice, Type: Integer}}]
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    assert execution.outputs["call"]["Twice"] == 8

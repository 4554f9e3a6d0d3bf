"""Lambda Invoke in the sandbox: the function's Python code really runs, in its own process, with
its execution role's credentials, its environment variables and its timeout. moto stores the
function but can run it only in Docker, which xacct does not need.

Other runtimes are refused with a clear error rather than answered with a made-up result.
"""

from __future__ import annotations

import base64
import io
import json
import re
import tempfile
import threading
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from .responses import json_error, response

INVOKE_PATH = re.compile(r"/2015-03-31/functions/(?P<name>[^/]+)/invocations")


def _function(account: str, region: str, name: str, qualifier: str | None):
    # moto keeps functions in its "simple" Lambda backend when Docker is off (embedded.py)
    from moto.awslambda_simple.models import lambda_simple_backends

    return lambda_simple_backends[account][region].get_function(name, qualifier)


def handle_invoke(cloud, request, account: str, region: str):
    """Answer a Lambda Invoke request made with credentials of `account`."""
    url = urlparse(request.url)
    match = INVOKE_PATH.search(url.path)
    if not match:
        return None
    name = unquote(match.group("name"))
    qualifier = parse_qs(url.query).get("Qualifier", [None])[0]
    invocation = request.headers.get("X-Amz-Invocation-Type", b"RequestResponse") or b"RequestResponse"
    invocation = invocation.decode() if isinstance(invocation, bytes) else invocation
    log_type = request.headers.get("X-Amz-Log-Type", b"None")
    log_type = log_type.decode() if isinstance(log_type, bytes) else log_type
    try:
        function = _function(account, region, name, qualifier)
    except Exception:
        return json_error(request, 404, "ResourceNotFoundException",
                          f"Function not found: arn:aws:lambda:{region}:{account}:function:{name}")
    runtime = function.run_time or ""
    if not runtime.startswith("python"):
        return json_error(request, 400, "InvalidRuntimeException",
                          f"The sandbox runs Python functions only; {name} uses {runtime or 'no runtime'}.")
    if invocation == "DryRun":
        return response(request, 204)
    body = request.body or b"{}"
    event = json.loads(body.decode() if isinstance(body, bytes) else body or "{}")
    if invocation == "Event":
        threading.Thread(target=_run, args=(cloud, function, event, region), daemon=True).start()
        return response(request, 202)
    outcome = _run(cloud, function, event, region)
    headers = {"X-Amz-Executed-Version": "$LATEST", "Content-Type": "application/json"}
    if log_type == "Tail":
        headers["X-Amz-Log-Result"] = base64.b64encode((outcome.stdout + outcome.stderr)[-4096:].encode()).decode()
    if outcome.ok:
        return response(request, 200, json.dumps(outcome.result), headers)
    headers["X-Amz-Function-Error"] = "Unhandled"
    if outcome.stopped:
        error = {"errorMessage": f"Task timed out after {function.timeout:.2f} seconds", "errorType": "Sandbox.Timedout"}
    else:
        error = {"errorMessage": outcome.error["Message"], "errorType": outcome.error["Type"],
                 "stackTrace": outcome.error["Traceback"].splitlines()[1:]}
    return response(request, 200, json.dumps(error), headers)


def _run(cloud, function, event, region):
    from ..runtime.python_process import run_handler

    credentials = cloud.assume_role_as_service("lambda.amazonaws.com", function.role,
                                               function.function_name[:64], cloud.operator(function.account_id),
                                               region, function.function_arn)
    env = {"PATH": "/usr/bin:/bin", **(function.environment_vars or {})}
    env.update(cloud.script_environment(credentials, region))
    env["AWS_LAMBDA_FUNCTION_NAME"] = function.function_name
    module, _, handler = function.handler.rpartition(".")
    with tempfile.TemporaryDirectory(prefix="xacct-lambda-") as tmp:
        with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
            archive.extractall(tmp)
        return run_handler(Path(tmp), module, handler, event, env, time_limit=float(function.timeout or 3))

"""The AWS calls an aws:executeScript step's Python script makes, read from its source with
`ast`: a boto3 client made for a service named by a literal (`boto3.client('ec2')`, also through a
Session, or `service_name='ec2'`), then its operations (`ec2.describe_instances(...)`,
`boto3.client('s3').list_buckets()`, `paginator = s3.get_paginator('list_objects_v2')`). The script
runs with the step's credentials (the execution role), so IAM judges each call as it judges an
aws:executeAwsApi step's ("aws:executeScript", Systems Manager User Guide:
https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html).

Only literal keyword arguments are kept; anything computed is unknown until the run, so the call
is judged without a resource. A script that is not Python, or not valid Python, yields nothing:
the validator reports it.
"""

from __future__ import annotations

import ast
from typing import Iterator

# methods of a client that make no AWS call
NOT_CALLS = {"get_paginator", "get_waiter", "can_paginate", "close", "generate_presigned_url",
             "generate_presigned_post", "exceptions", "meta"}


def _service_of(node: ast.AST) -> str | None:
    """'ec2' for boto3.client('ec2'), session.client(service_name='ec2'), ..."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "client"):
        return None
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    for keyword in node.keywords:
        if keyword.arg == "service_name" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return None


def _literal_params(node: ast.Call) -> dict:
    params = {}
    for keyword in node.keywords:
        if keyword.arg is None:
            continue
        try:
            params[keyword.arg] = ast.literal_eval(keyword.value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            params[keyword.arg] = "{{ " + keyword.arg + " }}"  # computed: unknown until the run
    return params


def script_calls(source: str) -> Iterator[tuple[str, str, dict]]:
    """(service, method as written, literal params) of each client call in `source`."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return
    clients: dict[str, str] = {}  # variable -> service
    paginators: dict[str, tuple[str, str]] = {}  # variable -> (service, operation)
    nodes = list(ast.walk(tree))
    for node in nodes:  # assignments first, wherever they are, as the script's functions may be in any order
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            service = _service_of(node.value)
            if service:
                clients[node.targets[0].id] = service
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "get_paginator" and value.args
                    and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str)):
                service = _receiver_service(value.func.value, clients)
                if service:
                    paginators[node.targets[0].id] = (service, value.args[0].value)
    for node in nodes:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        if method == "paginate" and isinstance(receiver, ast.Name) and receiver.id in paginators:
            service, operation = paginators[receiver.id]
            yield service, operation, _literal_params(node)
            continue
        if method.startswith("_") or method in NOT_CALLS or method == "client":
            continue
        service = _receiver_service(receiver, clients)
        if service:
            yield service, method, _literal_params(node)


def _receiver_service(receiver: ast.AST, clients: dict[str, str]) -> str | None:
    if isinstance(receiver, ast.Name):
        return clients.get(receiver.id)
    return _service_of(receiver)

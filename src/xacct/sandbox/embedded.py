"""The embedded sandbox: moto's simulated AWS in this process, reachable by boto3 clients built
here and, for script processes, over HTTP on 127.0.0.1.

moto picks the account of a request from its access key, so each principal gets real access
keys in its own account; the process-wide MOTO_ACCOUNT_ID is never used.
"""

from __future__ import annotations

import json
import os
import threading

from ..aws.sessions import create_client
from ..cloud import Cloud
from ..credentials import Credentials
from . import lambda_runtime

DEFAULT_ACCOUNT = "111111111111"
OPERATOR_USER = "xacct-operator"

_started = threading.Lock()
_mock = None
_users: dict[tuple[str, str], Credentials] = {}  # one access key per sandbox user for the process


def _start_moto() -> None:
    """Start moto once per process. Default AMIs are not loaded: they cost about a second per
    account and a sandbox's images come from its world."""
    global _mock
    with _started:
        if _mock is None:
            os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            from moto import mock_aws

            # State machines really run their states; Lambda functions run through lambda_runtime.
            # AWS managed policies come one by one when referred to (managed_policies.py).
            _mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True},
                                     "lambda": {"use_docker": False}})
            _mock.start()
            _remember_key_accounts()


def _remember_key_accounts() -> None:
    """moto finds the account of every request by scanning every account's IAM backend, in every
    partition, for the access key: work that grows with the number of accounts on every call, and
    that makes IAM backends for partitions no sandbox uses. Remember where a key was found; a key
    found there no longer (deleted) is looked up again."""
    import moto.iam.models as iam_models

    scan = iam_models.get_account_id_from
    found: dict[str, tuple[str, str]] = {}

    def get_account_id_from(access_key: str) -> str:
        place = found.get(access_key)
        if place is not None:
            account, partition = place
            if access_key in iam_models.iam_backends[account][partition].access_keys:
                return account
        account = scan(access_key)
        for partition in iam_models.PARTITION_NAMES:
            if account in iam_models.iam_backends and \
                    access_key in iam_models.iam_backends[account][partition].access_keys:
                found[access_key] = (account, partition)
                break
        return account

    iam_models.get_account_id_from = get_account_id_from


class SandboxCloud(Cloud):
    poll_seconds = 0.05

    def __init__(self, region: str = "us-east-1", account: str = DEFAULT_ACCOUNT, *, enforce: bool = True) -> None:
        """`enforce` (the default) puts the IAM gate in front of every client this sandbox builds
        and of its HTTP endpoint; without it the sandbox is moto as it is."""
        super().__init__()
        from .gate import Gate

        self.enforce = enforce
        self.gate = Gate()
        self.gate.cloud = self
        _start_moto()
        from ..aws.sessions import shared_session

        self._boto = shared_session(region)
        self.default_region = region
        self.account = account
        self._server = None
        self._server_lock = threading.Lock()
        self._operator = self._create_user(account, OPERATOR_USER, admin=True)
        self.faults = None  # a FaultPlan: throttling and server errors on purpose (faults.py)

    def boto_session(self):
        return self._boto

    def client(self, service: str, region: str, credentials: Credentials):
        client = super().client(service, region, credentials)
        if getattr(client, "_xacct_hooked", False):
            return client
        if self.enforce:
            self.gate.attach(client, region, credentials.access_key_id)
        if self.faults is not None:
            self.faults.attach(client)
        if service == "lambda":
            account = credentials.account or self.account
            client.meta.events.register_first(
                "before-send.lambda.Invoke",
                lambda request, **_: lambda_runtime.handle_invoke(self, request, account, region))
        client._xacct_hooked = True
        return client

    def _create_user(self, account: str, name: str, *, admin: bool) -> Credentials:
        """An IAM user with an access key in `account` (the x-moto-account-id header selects the
        account for this one bootstrap client). moto's state lives as long as the process, so a
        second SandboxCloud reuses the user and key the first made."""
        with _started:
            if (account, name) not in _users:
                _users[(account, name)] = self._make_user(account, name, admin=admin)
            return _users[(account, name)]

    def _make_user(self, account: str, name: str, *, admin: bool) -> Credentials:
        iam = self._boto.client("iam", region_name="us-east-1", aws_access_key_id="AKIAXACCTBOOTSTRAP00",
                                aws_secret_access_key="bootstrap")
        iam.meta.events.register("before-sign.iam.*", lambda request, **_: request.headers.__setitem__(
            "x-moto-account-id", account))
        user = iam.create_user(UserName=name)["User"]
        if admin:
            iam.put_user_policy(UserName=name, PolicyName="administrator", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return Credentials(key["AccessKeyId"], key["SecretAccessKey"], None, user["Arn"])

    def caller_credentials(self) -> Credentials:
        return self._operator

    def act_as(self, credentials: Credentials) -> None:
        """Start executions as these credentials (a world's user, or another account's operator)."""
        self._operator = credentials
        self.account = credentials.account or self.account

    def operator(self, account: str) -> Credentials:
        """Administrator credentials in any sandbox account, to build its contents."""
        return self._create_user(account, OPERATOR_USER, admin=True)

    def reading_client(self, service: str, region: str, credentials: Credentials):
        """A client past the gate, for what xacct itself reads of the sandbox (doctor's view of an
        account's IAM, SSM shares and organization): the reader stands outside the world, so the
        world's SCPs and RCPs do not bind it, where they bind every principal of the world."""
        return create_client(self.boto_session(), service, region_name=region, **credentials.as_client_kwargs())

    def assume_role_as_service(self, service: str, role_arn: str, session_name: str, caller: Credentials,
                               region: str, source_arn: str | None = None) -> Credentials:
        """As AWS does it: the caller must be allowed iam:PassRole on the role (to that service),
        and the role's trust policy must let the service assume it, with the aws:SourceAccount
        and aws:SourceArn the service sends ("Confused deputy prevention")."""
        if self.enforce:
            from .gate import AccessRefused

            # PassRole is judged as part of the request that passes the role: in its Region
            self.gate.authorize(caller.access_key_id, "iam:PassRole", role_arn,
                                {"iam:PassedToService": [service], "aws:RequestedRegion": [region]})
            context = {"aws:SourceAccount": [caller.account or self.account]}
            if source_arn:
                context["aws:SourceArn"] = [source_arn]
            decision = self.gate.service_may_assume(service, role_arn, context)
            if not decision.allowed:
                from ..iam import Caller, Request, denied_message

                request = Request(Caller(service), "sts:AssumeRole", role_arn, role_arn.split(":")[4], context)
                refused = AccessRefused("AccessDenied", denied_message(request, decision), decision=decision,
                                        request=request)
                self.gate.record(caller.access_key_id, refused, "AccessDenied")
                raise refused
        # the service's own call: made with an administrator of the role's account, past the gate
        admin = self.operator(role_arn.split(":")[4])
        sts = create_client(self.boto_session(), "sts", region_name=region, **admin.as_client_kwargs())
        response = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name[:64])
        credentials = Credentials.from_response(response["Credentials"], response["AssumedRoleUser"]["Arn"])
        self.gate.after_assume({"RoleArn": role_arn}, credentials.access_key_id, credentials.arn)
        return credentials

    def explain_denial(self, credentials: Credentials) -> dict | None:
        denial = self.gate.last_denial(credentials.access_key_id)
        if denial is None or denial.decision is None:
            return None
        from ..iam import explain

        return {**explain(denial.request, denial.decision, levels=self.gate.organization_levels(denial.request)),
                **denial.details}

    def role_exists(self, role_arn: str) -> bool | None:
        from .policies import role

        return role(role_arn) is not None

    def owned_document(self, name: str, region: str | None = None, version: str | None = None):
        from .owned import owned_document

        return owned_document(name, region, version)

    def check_call(self, credentials: Credentials, service: str, operation: str, params: dict, region: str) -> None:
        """The gate's decision on a call the sandbox answers itself; raises AccessRefused, which
        is recorded with its Decision as any other denial."""
        if self.enforce:
            self.gate.check_and_record(service, operation, params, region, credentials.access_key_id)

    def read_document(self, name: str, version: str | None, credentials: Credentials, region: str) -> dict:
        """As SSM reads a runbook for an execution: as the service, in the starter's account, so
        the starter needs no ssm:GetDocument and SCPs do not apply to the read; another account's
        runbook (by ARN) only when it is shared with this one ("Sharing SSM documents")."""
        from botocore.exceptions import ClientError

        from .sharing import serve_document

        account = credentials.account or self.account
        params = {"Name": name, **({"DocumentVersion": version} if version else {})}
        answer, missing = serve_document("GetDocument", params, account, region)
        if answer is None and missing is None:  # the account's own runbook
            answer, missing = _own_document(account, region, params)
        if missing is not None:
            raise ClientError({"Error": {"Code": missing[0], "Message": missing[1]}}, "GetDocument")
        return answer

    def serve_automation(self, store, options=None) -> None:
        """Answer SSM's Automation API (StartAutomationExecution, ...) from this sandbox, for
        clients over HTTP and in process, with executions recorded in `store` and run in the
        background, as SSM runs them."""
        from ..ssm import Context

        self.gate.automation = Context(store=store, cloud=self, options=options)

    def endpoint(self) -> str:
        """The sandbox over HTTP on 127.0.0.1, started on first use (script processes need it)."""
        with self._server_lock:
            if self._server is None:
                from .server import SandboxServer

                self._server = SandboxServer(self.gate if self.enforce else None)
                self._server.start()
            return self._server.url

    def script_environment(self, credentials: Credentials, region: str) -> dict[str, str]:
        env = super().script_environment(credentials, region)
        env["AWS_ENDPOINT_URL"] = self.endpoint()
        return env


def _own_document(account: str, region: str, params: dict) -> tuple[dict | None, tuple | None]:
    from moto.ssm.exceptions import InvalidDocument, InvalidDocumentVersion
    from moto.ssm.models import ssm_backends

    name = params["Name"].rsplit("document/", 1)[-1] if params["Name"].startswith("arn:") else params["Name"]
    try:
        backend = ssm_backends[account][region]
        version = params.get("DocumentVersion")
        if version and backend._get_documents(name).find(version, None, strict=False) is None:
            return None, ("InvalidDocumentVersion", f"The document {name} has no version {version}.")
        return backend.get_document(name, version, None, None), None
    except InvalidDocumentVersion as exc:
        return None, ("InvalidDocumentVersion", getattr(exc, "message", str(exc)))
    except (InvalidDocument, KeyError) as exc:
        return None, ("InvalidDocument", getattr(exc, "message", "The specified document does not exist."))

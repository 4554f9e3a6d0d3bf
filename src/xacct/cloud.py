"""One interface over the places runbooks run: the embedded sandbox or real AWS.

The engine asks a Cloud for clients (per service, Region and credentials), for role
credentials through STS, and for runbooks by name; it never knows which Cloud it has.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from .aws.sessions import CREATION_LOCK
from .credentials import Credentials


class Cloud:
    """What the engine needs from wherever it runs."""

    partition = "aws"
    default_region = "us-east-1"
    poll_seconds = 5.0  # how often waits poll an API
    MAX_CLIENTS = 256

    def __init__(self) -> None:
        # least recently used first; bounded, as a run across hundreds of accounts makes clients
        # for credentials it never uses again (about 1 MiB each)
        self._clients: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    # -- to implement -------------------------------------------------------------------------
    def boto_session(self):
        """The boto3 Session clients are made from (create them under aws.sessions.CREATION_LOCK)."""
        raise NotImplementedError

    def caller_credentials(self) -> Credentials:
        """The credentials of whoever starts executions (the user's profile, or the sandbox's
        operator)."""
        raise NotImplementedError

    def script_environment(self, credentials: Credentials, region: str) -> dict[str, str]:
        """Environment for a script process that should call AWS as `credentials`."""
        env = credentials.as_environment()
        env["AWS_DEFAULT_REGION"] = env["AWS_REGION"] = region
        return env

    def owned_document(self, name: str, region: str | None = None, version: str | None = None):
        """An AWS-owned runbook by name (in `region`, at `version`: any Region, its default version
        when None), or None (only the sandbox needs to provide them)."""
        return None

    def check_call(self, credentials: Credentials, service: str, operation: str, params: dict, region: str) -> None:
        """Authorize a call that xacct answers itself (the Automation API), as AWS would before
        answering it; raises the cloud's refusal. AWS decides its own calls, so here: nothing."""

    def read_document(self, name: str, version: str | None, credentials: Credentials, region: str) -> dict:
        """GetDocument of a runbook as SSM reads it for an execution that `credentials` start:
        in AWS, SSM reads with the caller's rights, so the caller's own call stands for it.
        Raises botocore's ClientError as GetDocument does."""
        args = {"Name": name, **({"DocumentVersion": version} if version else {})}
        return self.client("ssm", region, credentials).get_document(**args)

    def explain_denial(self, credentials: Credentials) -> dict | None:
        """Why the last request made with `credentials` was denied, when this cloud can know
        (the sandbox's gate keeps each Decision; AWS says only what its message says)."""
        return None

    def role_exists(self, role_arn: str) -> bool | None:
        """Whether the role exists, when this cloud can tell without asking the role's account
        (the sandbox sees every account; in AWS the caller may not read IAM there)."""
        return None

    # -- shared -------------------------------------------------------------------------------
    def client(self, service: str, region: str, credentials: Credentials):
        """A client for `service` in `region` acting as `credentials`, cached and shared.

        One botocore session serves every client: a session per account would cost about
        10 MiB each (measured with moto). Retries use botocore's standard mode, which backs
        off on throttling."""
        if not isinstance(region, str) or not region:
            # botocore checks a Region's characters but lets an empty one through to an endpoint
            # it cannot build ("https://kms..amazonaws.com", a bare ValueError): refuse it as
            # botocore refuses any other malformed Region
            from botocore.exceptions import InvalidRegionError

            raise InvalidRegionError(region_name=region)
        key = (service, region, credentials.access_key_id, credentials.session_token)
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
            else:
                from botocore.config import Config

                _reuse_client_classes()
                with CREATION_LOCK:
                    client = self.boto_session().client(
                        service,
                        region_name=region,
                        config=Config(retries={"mode": "standard", "max_attempts": 5}),
                        **self._client_extra(),
                        **credentials.as_client_kwargs(),
                    )
                self._clients[key] = client
                if len(self._clients) > self.MAX_CLIENTS:
                    self._clients.popitem(last=False)
            return client

    def _client_extra(self) -> dict:
        return {}

    def identity(self, credentials: Credentials, region: str) -> Credentials:
        """The same credentials with the ARN of the principal they act as."""
        if credentials.arn:
            return credentials
        arn = self.client("sts", region, credentials).get_caller_identity()["Arn"]
        return Credentials(credentials.access_key_id, credentials.secret_access_key, credentials.session_token, arn)

    def assume_role_as_service(self, service: str, role_arn: str, session_name: str, caller: Credentials,
                               region: str, source_arn: str | None = None) -> Credentials:
        """Credentials of `role_arn` as a service would get them for the caller (SSM for an
        automation's AutomationAssumeRole, Lambda for a function's role). In AWS xacct is not that
        service, so it assumes the role with the caller's own credentials: the role must trust
        the caller there."""
        return self.assume_role(role_arn, session_name, caller, region)

    def assume_role(self, role_arn: str, session_name: str, source: Credentials, region: str, **extra) -> Credentials:
        response = self.client("sts", region, source).assume_role(
            RoleArn=role_arn, RoleSessionName=session_name, **extra
        )
        return Credentials.from_response(response["Credentials"], response["AssumedRoleUser"]["Arn"])


_class_lock = threading.Lock()


def _reuse_client_classes() -> None:
    """botocore builds a new class, with a method per operation, for every client it creates: 10
    of the 13 ms a client costs (EC2 has some 600 operations). A run across accounts creates
    clients for every set of credentials, the same services over and over, so build each
    service's class once per session's event emitter (whose handlers may add to the class) and
    reuse it. The instances stay separate: credentials, endpoint and handlers are per client."""
    from botocore.client import ClientCreator

    with _class_lock:
        if getattr(ClientCreator, "_xacct_reuses_classes", False):
            return
        build = ClientCreator._create_client_class
        built: dict[tuple, tuple] = {}

        def create_client_class(self, service_name, service_model):
            key = (id(self._event_emitter), service_name, service_model.api_version)
            with _class_lock:
                found = built.get(key)
            if found is not None and found[0] is self._event_emitter:
                return found[1]
            made = build(self, service_name, service_model)
            with _class_lock:
                built[key] = (self._event_emitter, made)  # the emitter kept, so its id is not reused
            return made

        ClientCreator._create_client_class = create_client_class
        ClientCreator._xacct_reuses_classes = True


class AwsCloud(Cloud):
    """Real AWS, with the user's profile (`--aws --profile P`), or whatever answers as AWS at an
    endpoint: `endpoint_url` (as the AWS CLI's --endpoint-url, for every service), else what the
    profile's `endpoint_url` setting or AWS_ENDPOINT_URL says, which botocore reads itself
    (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html)."""

    def __init__(self, profile: str | None = None, region: str | None = None,
                 endpoint_url: str | None = None) -> None:
        super().__init__()
        import boto3

        self._boto = boto3.Session(profile_name=profile, region_name=region)
        self.default_region = self._boto.region_name or "us-east-1"
        self.profile, self.endpoint_url = profile, endpoint_url

    def boto_session(self):
        return self._boto

    def _client_extra(self) -> dict:
        return {"endpoint_url": self.endpoint_url} if self.endpoint_url else {}

    def caller_credentials(self) -> Credentials:
        frozen = self._boto.get_credentials()
        if frozen is None:
            raise RuntimeError("no AWS credentials found: configure a profile or pass --profile")
        frozen = frozen.get_frozen_credentials()
        return Credentials(frozen.access_key, frozen.secret_key, frozen.token)

"""The gate every sandbox request passes: who calls (from the access key), which IAM action on
which resource (iam.actions), the Decision (iam.evaluate), then either AWS's error, with AWS's code
and message text, or the call goes on to moto. Every denial is kept with its Decision so that a
failed step can be explained.

In process the gate is a pair of botocore handlers on each client the sandbox builds:
`before-parameter-build` keeps the call's parameters, `before-call` decides and, to deny, answers
in AWS's place (botocore's documented short-circuit: the first handler that returns a response);
`after-call` runs after_calls' table on the answer, as the served sandbox does over HTTP.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..iam import Caller, Decision, PolicySet, Request, authorization_message, denied_message, evaluate
from ..iam.actions import Authorization, authorizations
from ..iam.rcp_services import rcp_applies
from . import (after_calls, kms, launches, managed_policies, policies, queues_topics, resource_tags, session_policies,
               session_tokens, sharing)
from .principals import Holder, KeySecret, Principals
from .responses import response

S3_OUTSIDE_MESSAGE = "Access Denied"
MFA_FAILED = "MultiFactorAuthentication failed with invalid MFA one time pass code."
DURATION_TOO_LONG = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."


@dataclass
class Denial:
    access_key_id: str
    request: Request
    decision: Decision | None
    code: str
    message: str
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # what the explanation adds about the call itself: {"keyFromCiphertext": True} for a Decrypt
    # judged on the key its ciphertext names, which no check made before the run could read
    details: dict = field(default_factory=dict)


class AccessRefused(Exception):
    def __init__(self, code: str, message: str, status: int = 403, decision: Decision | None = None,
                 request: Request | None = None):
        super().__init__(message)
        self.code, self.message, self.status, self.decision, self.request = code, message, status, decision, request
        self.details: dict = {}


def error_code(service_model) -> str:
    """AWS's code for "not authorized", by protocol: EC2 has its own, JSON services say
    AccessDeniedException, query and REST-XML services AccessDenied."""
    if service_model.service_name == "ec2":
        return "UnauthorizedOperation"
    if service_model.service_name in queues_topics.ERROR_CODES:
        return queues_topics.ERROR_CODES[service_model.service_name]
    return "AccessDeniedException" if service_model.protocol in ("json", "rest-json") else "AccessDenied"


class Gate:
    def __init__(self) -> None:
        self.principals = Principals()
        self.denials: deque[Denial] = deque(maxlen=2000)
        # (management account, {member account: SCP levels, root first}) from a world's organization
        self.organization: tuple[str, dict[str, list]] | None = None
        self.cloud = None  # the SandboxCloud, for calls the gate carries to another account
        self.rcp_levels: dict[str, list] = {}  # resource account -> RCP levels, root first
        self.organization_id: str | None = None
        self.members: set[str] = set()  # the accounts of the organization
        # "scp"/"rcp" -> account -> where each of its levels is attached, root first (Root,
        # Root/Prod, account 123456789012), so that an explanation names the place, not a depth
        self.level_paths: dict[str, dict[str, list[str]]] = {"scp": {}, "rcp": {}}
        # "scp"/"rcp" -> policy name -> its ARN in the organization, named in explicit denials
        self.policy_arns: dict[str, dict[str, str]] = {"scp": {}, "rcp": {}}
        # account -> its organization entity path (o-.../r-.../ou-.../), for the OrgPaths keys
        self.org_paths: dict[str, str] = {}
        # xacct.ssm's Context for the Automation API, once a store is given (SandboxCloud.serve_automation)
        self.automation = None
        self._lock = threading.Lock()
        self._carriers: dict[tuple[str, str], object] = {}  # (account, Region) -> its SQS client

    # -- wiring --------------------------------------------------------------------------------
    def attach(self, client, region: str, access_key_id: str) -> None:
        events = client.meta.events
        events.register_first("before-parameter-build", self._keep_params)
        events.register_first("before-call", lambda **kw: self._before_call(region, access_key_id, **kw))
        # what follows an answer is after_calls' table, which the served sandbox runs too
        events.register("after-call", lambda **kw: self._after_call(region, access_key_id, **kw))

    @staticmethod
    def _keep_params(params, context, **_):
        context["xacct_params"] = dict(params)

    def last_denial(self, access_key_id: str) -> Denial | None:
        with self._lock:
            for denial in reversed(self.denials):
                if denial.access_key_id == access_key_id:
                    return denial
        return None

    # -- deciding -------------------------------------------------------------------------------
    def record(self, access_key_id: str, refused: "AccessRefused", code: str) -> None:
        with self._lock:
            self.denials.append(Denial(access_key_id, refused.request, refused.decision, code, refused.message,
                                       details=dict(refused.details)))

    def check_and_record(self, service: str, operation: str, params: dict, region: str, access_key_id: str) -> None:
        """`check`, with a refusal kept as every denial is and its code the service's own."""
        from ..aws import models

        try:
            self.check(service, operation, params, region, access_key_id)
        except AccessRefused as refused:
            if refused.code == "AccessDenied*":
                refused.code = error_code(models.service_model(service))
            self.record(access_key_id, refused, refused.code)
            raise

    def _before_call(self, region: str, access_key_id: str, model, context, **_):
        service = model.service_model.service_name
        params = context.get("xacct_params", {})
        try:
            self.check(service, model.name, params, region, access_key_id)
            served = self.serve(service, model.name, params, access_key_id, region)
        except AccessRefused as refused:
            code = refused.code if refused.code != "AccessDenied*" else error_code(model.service_model)
            self.record(access_key_id, refused, code)
            parsed = {"Error": {"Code": code, "Message": refused.message},
                      "ResponseMetadata": {"HTTPStatusCode": refused.status}}
            return response(context.get("xacct_request", _Url()), refused.status, b""), parsed
        if served is not None:
            return response(_Url(), 200, b""), {**served, "ResponseMetadata": {"HTTPStatusCode": 200}}
        return None

    def serve(self, service: str, operation: str, params: dict, access_key_id: str, region: str) -> dict | None:
        """Answer the calls moto cannot, across accounts (a shared document read by its ARN); None
        lets moto answer. Raises AccessRefused with the service's own error when AWS would."""
        if service == "sts" and operation in session_tokens.SERVED:
            return session_tokens.serve(self.principals, operation, params, access_key_id)
        if service == "sts" and operation == "DecodeAuthorizationMessage":
            try:
                return {"DecodedMessage": authorization_message.decode(params.get("EncodedMessage"))}
            except ValueError as invalid:
                raise AccessRefused("InvalidAuthorizationMessageException", str(invalid), status=400) from None
        if self.automation is not None and _automation_api().serves(service, operation):
            return self._serve_automation(operation, params, access_key_id, region)
        if service == "ssm" and operation in ("GetDocument", "DescribeDocument", "ListDocumentVersions"):
            holder = self.principals.resolve(access_key_id)
            answer, error = sharing.serve_document(operation, params, holder.account if holder else "", region)
            if error:
                raise AccessRefused(error[0], error[1], status=400)
            return answer
        if service == "ssm" and operation == "ListDocuments":
            from .document_list import list_documents

            holder = self.principals.resolve(access_key_id)
            return list_documents(params, holder.account, region) if holder is not None else None
        if service == "resource-groups" and operation == "ListGroupResources" and self.cloud is not None:
            from .resource_groups import list_group_resources

            return list_group_resources(self, params, access_key_id, region)
        if service == "autoscaling" and operation in ("DescribeScalingActivities", "DescribeAutoScalingGroups"):
            holder = self.principals.resolve(access_key_id)
            if holder is not None:
                launches.judge_groups(self, holder.account, region)
                if operation == "DescribeScalingActivities":
                    return {"Activities": launches.activities(holder.account, region,
                                                              params.get("AutoScalingGroupName"))}
            return None
        if service == "sqs" and self.cloud is not None:
            holder = self.principals.resolve(access_key_id)
            elsewhere = queues_topics.queue_owner(params, region, holder.account) if holder is not None else None
            if elsewhere is not None:  # another account's queue, which moto keeps in that account
                return self._carried(operation, params, elsewhere[1], elsewhere[0])
        if service == "kms" and self.cloud is not None:
            holder = self.principals.resolve(access_key_id)
            if holder is None:
                return None
            if isinstance(params.get("KeyId"), str):
                owner = kms.key_account(params["KeyId"], holder.account)
                region = params["KeyId"].split(":")[3] if owner != holder.account else region
            else:  # a Decrypt that names no key is carried to the account whose key made the ciphertext
                owner = kms.owner_of_ciphertext(params, region) or holder.account
            if owner != holder.account:
                return kms.forward(self.cloud.boto_session(), operation, params, region,
                                   self.cloud.operator(owner))
        return None

    def _carried(self, operation: str, params: dict, region: str, owner: str) -> dict:
        """An SQS call carried to the queue's own account; the service's error there is the caller's."""
        from botocore.exceptions import ClientError

        with self._lock:
            client = self._carriers.get((owner, region))
            if client is None:
                client = self._carriers[(owner, region)] = queues_topics.carrier(
                    self.cloud.boto_session(), region, self.cloud.operator(owner))
        try:
            return queues_topics.forward(client, operation, params)
        except ClientError as error:
            details = error.response.get("Error", {})
            raise AccessRefused(details.get("Code", "InternalError"), details.get("Message", str(error)),
                                status=error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)) \
                from None

    def _serve_automation(self, operation: str, params: dict, access_key_id: str, region: str) -> dict:
        """SSM's Automation API (xacct.ssm) for the caller, in its account and Region."""

        from ..credentials import Credentials

        ssm = _automation_api()
        # executions act as their caller, so they need its whole credentials (held in memory only)
        holder, secret = self.principals.resolve(access_key_id), self.principals.secret(access_key_id)
        if holder is None or secret is None:
            raise AccessRefused("InvalidClientTokenId", "The security token included in the request is invalid.")
        caller = Credentials(access_key_id, secret.secret, secret.token, holder.arn)
        try:
            return ssm.handle(operation, params, dataclasses.replace(self.automation, caller=caller, region=region))
        except ssm.SsmError as error:
            raise AccessRefused(error.code, error.message, status=error.status) from None

    def check(self, service: str, operation: str, params: dict, region: str, access_key_id: str) -> None:
        """Raise AccessRefused unless the holder of `access_key_id` may make this call."""
        holder = self.principals.resolve(access_key_id)
        if holder is None:
            raise AccessRefused("InvalidClientTokenId", "The security token included in the request is invalid.")
        if service == "sts" and operation == "GetSessionToken":
            return session_tokens.check(holder, params)  # authentication, which no policy controls
        session_tokens.restrict(holder, service, operation)
        extra: dict[str, list[str]] = {"aws:RequestedRegion": [region]}
        if service == "iam" and managed_policies.is_aws_managed(params.get("PolicyArn") or
                                                                params.get("PermissionsBoundary")):
            managed_policies.ensure(holder.account, params.get("PolicyArn") or params["PermissionsBoundary"])
        if service == "ssm" and operation in ("GetDocument", "DescribeDocument", "ListDocumentVersions"):
            # another account's document that is not shared "does not exist", before any IAM question
            _, missing = sharing.serve_document(operation, params, holder.account, region)
            if missing:
                raise AccessRefused(missing[0], missing[1], status=400)
        if service == "ec2" and operation in sharing.IMAGE_CALLS:
            sharing.sync_shared_images(holder.account, region)
            image = params.get("ImageId")
            if operation == "RunInstances" and image and not sharing.image_visible(holder.account, region, image):
                raise AccessRefused("InvalidAMIID.NotFound", f"The image id '[{image}]' does not exist", status=400)
        if service == "sts" and operation == "AssumeRole":
            extra.update(self._assume_context(holder, params))
        extra.update(resource_tags.request_tag_keys(operation, params))
        found = authorizations(service, operation, params, region=region, account=holder.account)
        if service == "kms":  # on the key, however the call names it (or its ciphertext does)
            found = kms.authorizations(operation, params, region, holder.account, found)
        elif service == "iam" and isinstance(params.get("RoleName"), str):  # the role's ARN has its path
            found = [dataclasses.replace(a, resource=policies.with_path(a.resource)) if ":role/" in a.resource else a
                     for a in found]
        for authorization in found:
            request, policy_set = self._request(holder, authorization, service, operation, extra)
            decision = evaluate(request, policy_set)
            if (not decision.allowed and decision.decision != "explicitDeny" and service == "kms"
                    and kms.grant_allows(authorization.resource, request.caller, authorization.action)):
                continue  # a grant allows what no policy does (grants cannot override a Deny)
            if decision.layer == "protected" and ":role/" in request.resource:
                # a service-linked role: IAM's own error, not an authorization failure
                raise AccessRefused("UnmodifiableEntity", decision.reason, status=400, decision=decision,
                                    request=request)
            if not decision.allowed:
                refused = AccessRefused("AccessDenied*", self.denial_text(service, request, decision),
                                        decision=decision, request=request)
                if authorization.found_by == "ciphertext":
                    refused.details["keyFromCiphertext"] = True
                raise refused

    def denial_text(self, service: str, request: Request, decision: Decision) -> str:
        """The message of a denial as the service words it. EC2 wraps IAM's sentence in its own and
        adds the encoded authorization message; S3 explains a denial only to its own account and
        organization, and says "Access Denied" to anyone else ("Access denied message examples",
        https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html)."""
        if service in ("sqs", "sns"):
            return denied_message(dataclasses.replace(request, action=queues_topics.denied_action(
                service, request.action)), decision) + self._denying_policy(request, decision)
        sentence = denied_message(request, decision) + self._denying_policy(request, decision)
        if service == "ec2":
            return authorization_message.ec2_message(sentence, request, decision)
        if service == "s3":
            caller, owner = request.caller.account, request.resource_account
            if owner and caller != owner and not (caller in self.members and owner in self.members):
                return S3_OUTSIDE_MESSAGE
        return sentence

    def _denying_policy(self, request: Request, decision: Decision) -> str:
        """": ARN" of the SCP or RCP whose Deny decided, as AWS's messages end since January 2026,
        for callers of the organization only ("Enhanced access denied error messages with policy
        ARNs", AWS Security Blog; AWS rolls it out service by service)."""
        if decision.decision != "explicitDeny" or decision.layer not in ("scp", "rcp") or not decision.statements:
            return ""
        if request.caller.account not in self.members:
            return ""
        arn = self.policy_arns.get(decision.layer, {}).get(decision.statements[0].policy)
        return f": {arn}" if arn else ""

    def authorize(self, access_key_id: str, action: str, resource: str, context: dict[str, list[str]]) -> None:
        """Raise AccessRefused unless the key's holder may do `action` on `resource` (for checks
        services make on the caller's behalf, such as iam:PassRole)."""
        holder = self.principals.resolve(access_key_id)
        if holder is None:
            raise AccessRefused("InvalidClientTokenId", "The security token included in the request is invalid.")
        account = resource.split(":")[4] if resource.startswith("arn:") and resource.count(":") >= 5 else None
        request, policy_set = self._request(holder, Authorization(action, resource, account or None),
                                            action.split(":", 1)[0], "", context)
        decision = evaluate(request, policy_set)
        if not decision.allowed:
            refused = AccessRefused("AccessDeniedException", denied_message(request, decision), decision=decision,
                                    request=request)
            self.record(access_key_id, refused, refused.code)
            raise refused

    def service_may_assume(self, service: str, role_arn: str, context: dict[str, list[str]]) -> Decision:
        """Whether a service principal (ssm.amazonaws.com) may assume a role: its trust policy
        decides, with the aws:SourceAccount and aws:SourceArn the service sends."""
        account = role_arn.split(":")[4]
        context = {**self._resource_keys(account), **context}
        request = Request(Caller(service), "sts:AssumeRole", role_arn, account, context)
        # RCPs of the role's account bind service principals too (STS is among their services)
        return evaluate(request, PolicySet(resource=policies.trust_policy(role_arn), resource_kind="trust",
                                           rcps=self.rcp_levels.get(account, []),
                                           management_account=self.organization[0] if self.organization else None))

    def decide(self, principal_arn: str, action: str, resource: str, context: dict[str, list[str]],
               session_policy=None):
        """The Decision for a principal of the sandbox (a user, or a role as one of its sessions,
        limited by `session_policy` when one is given) on an IAM action and resource, without
        making any call: `xacct explain --world`."""
        holder = dataclasses.replace(_holder_for(principal_arn), session_policy=session_policy)
        account = resource.split(":")[4] if resource.startswith("arn:") and resource.count(":") >= 5 else None
        operation = action.split(":", 1)[-1]
        if action.lower().startswith("kms:") and ":alias/" in resource and operation not in kms.ALIAS_CALLS:
            # an alias has no policy: the call is judged on the key it points to, as AWS does
            key_arn, _ = kms.resolve(resource, holder.account, "")
            if key_arn:
                context = {"kms:RequestAlias": [resource.split(":", 5)[5]], **context}
                resource = key_arn
        request, policy_set = self._request(holder, Authorization(action, resource, account or None),
                                            action.split(":", 1)[0], "", context)
        return request, evaluate(request, policy_set)

    def _request(self, holder: Holder, authorization: Authorization, service: str, operation: str,
                 extra: dict) -> tuple[Request, PolicySet]:
        identity, boundaries = policies.identity_policies(holder)
        resource, kind, owner = None, "resource", authorization.resource_account
        arn = authorization.resource
        if authorization.action.lower().startswith("sts:assumerole"):
            resource, kind = policies.trust_policy(arn), "trust"
        elif service == "s3" and arn.startswith("arn:aws:s3:::") and operation != "CreateBucket":
            # a new bucket is the caller's; a taken name is S3's own error (BucketAlreadyExists)
            bucket = arn[len("arn:aws:s3:::"):].split("/", 1)[0]
            owner = policies.bucket_owner(bucket) or holder.account
            resource = policies.bucket_policy(bucket)
        elif service == "kms" and ":key/" in arn:
            resource, kind = policies.key_policy(arn), "kms"
        elif service in ("sqs", "sns") and arn != "*":  # the queue's or topic's own policy
            resource = queues_topics.policy(service, arn)
        elif service == "ssm" and ":document/" in arn and authorization.resource_account not in (None, holder.account):
            resource = sharing.document_share_policy(arn)
        context = {**holder.context(), **self._principal_keys(holder), **self._resource_keys(owner or holder.account),
                   "aws:ViaAWSService": ["false"],  # a call the caller makes itself; services say otherwise
                   **({"kms:CallerAccount": [holder.account]} if service == "kms" else {}),
                   **extra, **authorization.context}
        request = Request(Caller(holder.arn, holder.role_arn), authorization.action, arn,
                          owner or holder.account, context,
                          lookup=resource_tags.lookup_for(arn) if arn != "*" else None)
        return request, PolicySet(identity=identity, resource=resource, boundaries=boundaries, resource_kind=kind,
                                  session=holder.session_policy,
                                  scps=self.scps_for(holder.account),
                                  management_account=self.organization[0] if self.organization else None,
                                  rcps=self.rcp_levels.get(owner or holder.account, [])
                                  if rcp_applies(authorization.action) else [])

    def _principal_keys(self, holder: Holder) -> dict[str, list[str]]:
        """aws:PrincipalTag/KEY from the user's or role's tags; aws:PrincipalOrgID and
        aws:PrincipalOrgPaths when the caller's account is in the organization."""
        keys: dict[str, list[str]] = {}
        for tag in policies.principal_tags(holder):
            keys[f"aws:PrincipalTag/{tag['Key']}"] = [tag["Value"]]
        if self.organization is not None and holder.account in self.members:
            keys["aws:PrincipalOrgID"] = [self.organization_id or organization_id(self.organization[0])]
            if holder.account in self.org_paths:
                keys["aws:PrincipalOrgPaths"] = [self.org_paths[holder.account]]
        return keys

    def _resource_keys(self, account: str) -> dict[str, list[str]]:
        """aws:ResourceAccount, the account that owns the resource (or that the call is made in);
        aws:ResourceOrgID and aws:ResourceOrgPaths when that account is in the organization ("AWS
        global condition context keys": "Properties of the resource"). Without them a data-perimeter
        policy ("StringNotEquals aws:ResourceOrgID", true when the key is absent) would deny every
        call of a world that AWS allows."""
        keys = {"aws:ResourceAccount": [account]} if account else {}
        if self.organization is not None and account in self.members:
            keys["aws:ResourceOrgID"] = [self.organization_id or organization_id(self.organization[0])]
            if account in self.org_paths:
                keys["aws:ResourceOrgPaths"] = [self.org_paths[account]]
        return keys

    def organization_levels(self, request: Request) -> dict[str, list[tuple[str, list[str]]]]:
        """For an explanation: the SCP levels above the caller's account and the RCP levels above
        the resource's, each as (where it is attached, the names of its policies), root first."""
        found: dict[str, list[tuple[str, list[str]]]] = {}
        for kind, account, levels in (("scp", request.caller.account, self.scps_for(request.caller.account or "")),
                                      ("rcp", request.resource_account or request.caller.account,
                                       self.rcp_levels.get(request.resource_account or request.caller.account or "",
                                                           []))):
            paths = self.level_paths.get(kind, {}).get(account or "", [])
            if levels and len(paths) == len(levels):
                found[kind] = [(where, [p.name for p in level]) for where, level in zip(paths, levels)]
        return found

    def scps_for(self, account: str) -> list:
        """SCPs apply to member accounts, not to the organization's management account."""
        if self.organization is None:
            return []
        management, levels = self.organization
        return [] if account == management else levels.get(account, [])

    def _assume_context(self, holder: Holder, params: dict) -> dict[str, list[str]]:
        context: dict[str, list[str]] = {}
        if params.get("ExternalId"):
            context["sts:ExternalId"] = [params["ExternalId"]]
        role = policies.role(str(params.get("RoleArn", "")))
        duration = params.get("DurationSeconds")
        try:  # over HTTP the wire is validated first; a caller in process may still pass anything
            seconds = int(duration) if duration not in (None, "") else None
        except (TypeError, ValueError):
            raise AccessRefused("ValidationError", f"1 validation error detected: Value '{duration}' at "
                                                   "'durationSeconds' failed to satisfy constraint: Member must be of "
                                                   "type Integer", status=400) from None
        if role is not None and seconds and seconds > int(role.max_session_duration or 3600):
            raise AccessRefused("ValidationError", DURATION_TOO_LONG, status=400)
        try:
            session_policies.inline(params)
        except session_policies.MalformedSessionPolicy as error:
            raise AccessRefused("MalformedPolicyDocument", str(error), status=400) from None
        if params.get("SerialNumber"):
            if not totp_ok(holder, str(params["SerialNumber"]), str(params.get("TokenCode", ""))):
                raise AccessRefused("AccessDenied", MFA_FAILED)
            context["aws:MultiFactorAuthPresent"] = ["true"]
            context["aws:MultiFactorAuthAge"] = ["0"]
        return context

    def _after_call(self, region: str, access_key_id: str, model, http_response, parsed, context, **_):
        if http_response is None or http_response.status_code >= 300:
            return
        after_calls.run(self, after_calls.Answered(model.service_model.service_name, model.name, region,
                                                   access_key_id, context.get("xacct_params", {})), parsed)

    def record_decision(self, access_key_id: str, denied: tuple, message: str) -> None:
        request, decision = denied
        with self._lock:
            self.denials.append(Denial(access_key_id, request, decision, "Client.InternalError", message))

    def key_use_denied(self, caller, account: str, key_arn: str, actions) -> tuple | None:
        """(request, Decision) that stops `caller` (of `account`) from using the key for `actions`,
        with grants counted, or None when every action is allowed."""
        holder = Holder(caller.arn, account, role_arn=caller.role_arn,
                        user_name=caller.arn.rsplit("/", 1)[-1] if caller.kind == "user" else None)
        # EC2 uses the key on the launcher's behalf: the request says so as AWS's does
        # (kms:ViaService, aws:ViaAWSService), and key policies often allow only such use
        on_behalf = {"kms:GrantIsForAWSResource": ["true"], "aws:ViaAWSService": ["true"],
                     "kms:ViaService": [f"ec2.{key_arn.split(':')[3]}.amazonaws.com"]}
        for action in actions:
            request, policy_set = self._request(holder, Authorization(action, key_arn, key_arn.split(":")[4]),
                                                "kms", "", on_behalf)
            decision = evaluate(request, policy_set)
            if decision.allowed or (decision.decision != "explicitDeny"
                                    and kms.grant_allows(key_arn, request.caller, action)):
                continue
            return request, decision
        return None

    def after_assume(self, params: dict, access_key_id: str, session_arn: str, secret: KeySecret | None = None) -> None:
        """Remember who holds the new session's key, whether it was obtained with MFA, and the
        session policies it was given; with the session's secret and token when the answer carried
        them (kept in memory, for the served sandbox's signature checks)."""
        role = policies.role(str(params.get("RoleArn", "")))
        account = str(params["RoleArn"]).split(":")[4]
        self.principals.add_session(access_key_id, Holder(
            session_arn, account,
            role_arn=role.arn if role is not None else str(params["RoleArn"]),
            mfa_at=datetime.now(timezone.utc) if params.get("SerialNumber") else None,
            session_policy=session_policies.of_call(params, account)), secret)


def _automation_api():
    from .. import ssm

    return ssm


def organization_id(management: str) -> str:
    """A stable organization ID for a sandbox organization, from its management account."""
    return "o-" + format(int(management) % (36 ** 10), "x").rjust(10, "0")[:10]


def _holder_for(principal_arn: str) -> Holder:
    account = principal_arn.split(":")[4]
    kind, _, name = principal_arn.split(":", 5)[5].partition("/")
    if kind == "role":
        short = name.rsplit("/", 1)[-1]
        return Holder(f"arn:aws:sts::{account}:assumed-role/{short}/xacct-explain", account, role_arn=principal_arn)
    if kind == "assumed-role":
        return Holder(principal_arn, account, role_arn=f"arn:aws:iam::{account}:role/{name.split('/')[0]}")
    return Holder(principal_arn, account, user_name=name.rsplit("/", 1)[-1])


def totp_ok(holder: Holder, serial: str, code: str) -> bool:
    """The code is the current one (or the one before or after) of the caller's own MFA device."""
    import pyotp
    from moto.iam.models import iam_backends

    account = serial.split(":")[4] if serial.startswith("arn:") else holder.account
    device = iam_backends[account]["global"].virtual_mfa_devices.get(serial)
    if device is None or device.user is None or device.user.arn != holder.arn:
        return False
    seed = device.base32_string_seed
    seed = seed.decode() if isinstance(seed, bytes) else seed
    return pyotp.TOTP(seed).verify(code, valid_window=1)


class _Url:
    url = "https://sandbox.xacct"

from ...actions import ACTIONS
from ...aws import models
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule


class ApiService(Rule):
    """`Service` of an API-calling step is a service namespace botocore knows (the boto3 client
    name, such as `ec2` or `securityhub`, in any case: AWS's own runbooks write `EC2` and `SQS`).
    A warning: botocore's models change, and a service this version lacks may be right."""

    id = "W6001"
    summary = "API steps name a known service"
    blocks_creation = False

    def check(self, doc: Document):
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            service = step.inputs.get("Service")
            if not spec or not spec.calls_any_api or not isinstance(service, str) or is_dynamic(service):
                continue
            if models.service_model(service.lower()) is None:
                close = models.close_service(service)
                hint = f"; did you mean '{close}'?" if close else ""
                yield Issue(step.path + ("inputs", "Service"), f"unknown service '{service}'{hint}")

from ...actions import ACTIONS
from ...aws import models
from ..hints import Hints
from ..model import Document
from ..values import is_dynamic
from .base import Issue, Rule


class ApiOperation(Rule):
    """`Api` names an operation of the service, in any casing runbooks use: ModifyImageAttribute,
    modify_image_attribute, modifyImageAttribute or modify-image-attribute. A warning: botocore's
    models change, and an operation this version lacks may be right."""

    id = "W6002"
    summary = "API steps name a known operation"
    blocks_creation = False

    def check(self, doc: Document):
        hints = Hints()
        for step in doc.all_steps():
            spec = ACTIONS.get(step.action or "")
            service, api = step.inputs.get("Service"), step.inputs.get("Api")
            if not spec or not spec.calls_any_api or not isinstance(service, str) or not isinstance(api, str):
                continue
            if is_dynamic(service) or is_dynamic(api) or models.service_model(service.lower()) is None:
                continue
            service = service.lower()
            if models.operation_name(service, api) is None:
                names = models.service_model(service).operation_names
                close = hints.close(api, names)
                hint = f"; did you mean '{close}'?" if close else ""
                yield Issue(step.path + ("inputs", "Api"), f"{service} has no operation '{api}'{hint}")

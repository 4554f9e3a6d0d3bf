"""aws:invokeWebhook: call an Automation webhook integration."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:invokeWebhook",
    page="aws:invokeWebhook – Invoke an Automation webhook integration",
    inputs=(Input("IntegrationName", required=True), Input("Body")),
    outputs={"Response": "String", "ResponseCode": "Integer"},
)

"""aws:invokeWebhook: call an Automation webhook integration."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:invokeWebhook",
    page="aws:invokeWebhook – Invoke an Automation webhook integration",
    inputs=(Input("IntegrationName", required=True), Input("Body")),
    outputs={"Response": "String", "ResponseCode": "Integer"},
)

# Where Automation keeps a webhook integration ("Creating webhook integrations for Automation").
INTEGRATION_PREFIX = "/d9d01087-4a3f-49e0-b0b4-d568d7826553/ssm/integrations/webhook/"


def run(call):
    import json
    import urllib.error
    import urllib.request

    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    name = call.inputs["IntegrationName"]
    client = call.client("ssm")
    try:
        stored = client.get_parameter(Name=INTEGRATION_PREFIX + name, WithDecryption=True)["Parameter"]["Value"]
    except Exception as exc:
        raise StepFailed(f"The webhook integration {name} was not found: {' '.join(str(exc).split())}",
                         retriable=False) from None
    config = json.loads(stored)
    body = call.inputs.get("Body", "")
    request = urllib.request.Request(config["url"], data=str(body).encode(), method="POST",
                                     headers=config.get("headers") or {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=call.remaining() or 30) as response:
            text, code = response.read().decode("utf-8", "replace"), response.status
    except urllib.error.HTTPError as exc:
        text, code = exc.read().decode("utf-8", "replace"), exc.code
    except OSError as exc:
        raise StepFailed(f"The webhook {name} could not be reached: {exc}") from None
    outputs = {"Response": text, "ResponseCode": code}
    return StepResult(outputs=outputs, response=outputs)

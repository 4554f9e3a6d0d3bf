"""aws:executeAwsApi: call any AWS API operation; outputs are selected from its response."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:executeAwsApi",
    page="aws:executeAwsApi – Call and run AWS API operations",
    inputs=(Input("Service", required=True), Input("Api", required=True)),
    calls_any_api=True,
)


def run(call):
    from ..engine.api import api_inputs, call_api
    from ..engine.call import StepResult

    inputs = call.inputs
    response = call_api(call, inputs["Service"], inputs["Api"], api_inputs(inputs, ("Service", "Api")))
    return StepResult(response=response)

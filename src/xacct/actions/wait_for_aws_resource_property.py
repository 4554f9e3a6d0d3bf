"""aws:waitForAwsResourceProperty: poll an API until a property has a desired value."""

from .assert_aws_resource_property import PROPERTY_CHECK_INPUTS
from .spec import ActionSpec

SPEC = ActionSpec(
    name="aws:waitForAwsResourceProperty",
    page="aws:waitForAwsResourceProperty – Wait on an AWS resource property",
    inputs=PROPERTY_CHECK_INPUTS,
    calls_any_api=True,
    default_timeout_seconds=3600,
)


def run(call):
    from ..engine.call import StepResult
    from .assert_aws_resource_property import property_matches

    while True:
        ok, _ = property_matches(call)
        if ok:
            return StepResult()
        call.wait(call.execution.cloud.poll_seconds)

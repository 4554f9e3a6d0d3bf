"""aws:changeInstanceState: change or assert the state of EC2 instances."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:changeInstanceState",
    page="aws:changeInstanceState – Change or assert instance state",
    inputs=(
        Input("InstanceIds", "StringList", required=True),
        Input("DesiredState", required=True, allowed=("running", "stopped", "terminated")),
        Input("CheckStateOnly", "Boolean"),
        Input("Force", "Boolean"),
        Input("FailOnUnexpectedStopped", "Boolean"),
        Input("AdditionalInfo"),
    ),
    default_timeout_seconds=3600,
)


def wait_for_state(call, instance_ids, desired: str, *, fail_on_stopped: bool = False) -> list[str]:
    """Poll until every instance is in `desired`; a launch that ends in `terminated` (as an
    instance whose encrypted volume cannot be decrypted does) fails with its state reason."""
    from ..engine.api import call_api
    from ..engine.errors import StepFailed

    while True:
        reservations = call_api(call, "ec2", "DescribeInstances", {"InstanceIds": list(instance_ids)})
        instances = [i for r in reservations.get("Reservations", []) for i in r.get("Instances", [])]
        states = [i["State"]["Name"] for i in instances]
        if states and all(state == desired for state in states):
            return states
        for instance in instances:
            state = instance["State"]["Name"]
            if desired in ("running", "stopped") and state == "terminated" or (
                    fail_on_stopped and desired == "running" and state == "stopped"):
                reason = instance.get("StateReason", {}).get("Message", "")
                raise StepFailed(f"Instance {instance['InstanceId']} is {state}" + (f": {reason}" if reason else "."))
        call.wait(call.execution.cloud.poll_seconds)


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult

    inputs = call.inputs
    ids = list(inputs["InstanceIds"])
    desired = inputs["DesiredState"]
    if inputs.get("CheckStateOnly") not in (True, "true", "True"):
        if desired == "running":
            call_api(call, "ec2", "StartInstances", {"InstanceIds": ids})
        elif desired == "stopped":
            call_api(call, "ec2", "StopInstances",
                     {"InstanceIds": ids, "Force": inputs.get("Force") in (True, "true", "True")})
        elif desired == "terminated":
            call_api(call, "ec2", "TerminateInstances", {"InstanceIds": ids})
    wait_for_state(call, ids, desired,
                   fail_on_stopped=inputs.get("FailOnUnexpectedStopped") in (True, "true", "True"))
    return StepResult()

"""RCPs cover only the services AWS lists (SQS among them, SNS not): the gate and doctor ask
iam.rcp_services, so an RCP can refuse a queue call in both and a topic call in neither."""

import pytest

from xacct.iam.rcp_services import rcp_applies


@pytest.mark.parametrize("action, covered", [("sqs:SendMessage", True), ("SQS:SendMessage", True),
                                             ("s3:GetObject", True), ("kms:Decrypt", True),
                                             ("sns:Publish", False), ("ec2:RunInstances", False)])
def test_rcps_cover_the_listed_services_only(action, covered):
    assert rcp_applies(action) is covered

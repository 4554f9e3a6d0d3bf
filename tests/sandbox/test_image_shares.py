"""AMI launch permissions made real across accounts (S2 step 2): an image shared with an account
is found by DescribeImages there and launches; an unshared one does not exist there; removing the
permission hides it again."""

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud

OWNER, OTHER = "999999999991", "999999999992"


@pytest.fixture(scope="module")
def clouds():
    cloud = SandboxCloud()
    owner = cloud.client("ec2", "us-east-1", cloud.operator(OWNER))
    other = cloud.client("ec2", "us-east-1", cloud.operator(OTHER))

    def image(name):
        return owner.register_image(Name=name, RootDeviceName="/dev/xvda", BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]

    shared, private = image("shared"), image("private")
    owner.modify_image_attribute(ImageId=shared, LaunchPermission={"Add": [{"UserId": OTHER}]})
    return owner, other, shared, private


def test_a_shared_image_is_found_and_launches(clouds):
    owner, other, shared, _ = clouds
    [found] = other.describe_images(ImageIds=[shared])["Images"]
    assert found["OwnerId"] == OWNER
    instance = other.run_instances(ImageId=shared, MinCount=1, MaxCount=1)["Instances"][0]
    assert instance["ImageId"] == shared


def test_an_unshared_image_does_not_exist_elsewhere(clouds):
    _, other, _, private = clouds
    assert other.describe_images(Filters=[{"Name": "image-id", "Values": [private]}])["Images"] == []
    with pytest.raises(ClientError) as err:
        other.run_instances(ImageId=private, MinCount=1, MaxCount=1)
    assert err.value.response["Error"]["Code"] == "InvalidAMIID.NotFound"


def test_removing_the_permission_hides_it_again(clouds):
    owner, other, shared, _ = clouds
    owner.modify_image_attribute(ImageId=shared, LaunchPermission={"Remove": [{"UserId": OTHER}]})
    assert other.describe_images(Filters=[{"Name": "image-id", "Values": [shared]}])["Images"] == []
    owner.modify_image_attribute(ImageId=shared, LaunchPermission={"Add": [{"UserId": OTHER}]})

"""The parameter and value types of Automation documents.

Basic types and AWS resource types are from "Data elements and parameters" and "Creating input
parameters that populate AWS resources" (AWS Systems Manager User Guide).
"""

BASIC = ("String", "StringList", "Integer", "Boolean", "MapList", "StringMap")

# Each resource type is a String (or a StringList for the List<> form) with a known pattern.
RESOURCE_TYPES = {
    "AWS::EC2::Instance::Id": r"^m?i-([a-z0-9]{8}|[a-z0-9]{17})$",
    "AWS::S3::Bucket::Name": r"^[0-9a-z][a-z0-9\-\.]{3,63}$",
    "AWS::IAM::Role::Arn": r"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::[0-9]{12}:role/.*$",
}
PARAMETER_TYPES = BASIC + tuple(RESOURCE_TYPES) + tuple(f"List<{t}>" for t in RESOURCE_TYPES)


def value_type(parameter_type: str | None) -> str | None:
    """The basic type a parameter's value has: AWS::S3::Bucket::Name is a String."""
    if parameter_type in BASIC:
        return parameter_type
    if parameter_type in RESOURCE_TYPES:
        return "String"
    if parameter_type and parameter_type.startswith("List<") and parameter_type[5:-1] in RESOURCE_TYPES:
        return "StringList"
    return None


def resource_pattern(parameter_type: str | None) -> str | None:
    if parameter_type and parameter_type.startswith("List<"):
        parameter_type = parameter_type[5:-1]
    return RESOURCE_TYPES.get(parameter_type or "")

"""AWS's rules for the names and values of a world, as checks: each takes a value and says why
AWS would refuse it, or None. Where botocore's service model carries the rule (IAM's names, SSM's
document names, KMS aliases, enums), it is read from there (aws_models.py); the rules written here
are those the models leave to the documentation, each with the page it comes from."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable

from .aws_models import Constraint, constraint, shape_constraint, tag_member
from .regions import region_problem

Check = Callable[[object], "str | None"]

ACCOUNT_ID = re.compile(r"[0-9]{12}")  # not \d, which takes any script's digits


def _xml_problem(value: str) -> str | None:
    """IAM, EC2, S3 and STS answer in XML, whose characters (XML 1.0, "Char") leave out most
    control characters, surrogates and U+FFFE/U+FFFF: a name holding one could be created but
    never read back."""
    for c in value:
        code = ord(c)
        if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000:
            continue
        return f"holds the character U+{code:04X}, which AWS's XML answers cannot carry"
    return None


def _all(*checks: Check) -> Check:
    def check(value):
        for one in checks:
            problem = one(value)
            if problem:
                return problem
        return None

    return check


def _printable(value) -> str | None:
    return _xml_problem(value) if isinstance(value, str) else None


def model(service: str, operation: str, member: str, *, prefix: str = "") -> Check:
    """The rules of botocore's model for `member` (checked on `prefix` + value: KMS aliases are
    `alias/NAME` in the API and NAME in a world)."""

    def check(value):
        given = prefix + value if isinstance(value, str) else value
        return constraint(service, operation, member).problem(given)

    return _all(_printable, check)


def shape(service: str, shape_name: str) -> Check:
    """The rules of botocore's model for a named shape."""
    return _all(_printable, lambda value: shape_constraint(service, shape_name).problem(value))


organization_id = shape("organizations", "OrganizationId")
bucket_encryption = shape("s3", "ServerSideEncryption")


def text(value) -> str | None:
    """Any string that reaches AWS: its characters must survive an XML answer."""
    return _printable(value)


def account_id(value) -> str | None:
    if isinstance(value, str) and ACCOUNT_ID.fullmatch(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return "is a number in YAML; an account ID is a string of 12 digits: quote it"
    return "is not an account ID: 12 digits, quoted"


def region(value) -> str | None:
    return region_problem(value)


def bucket_name(value) -> str | None:
    """"General purpose bucket naming rules" (Amazon S3 User Guide)."""
    if not isinstance(value, str):
        return None
    if not 3 <= len(value) <= 63:
        return "is not 3 to 63 characters long, as a bucket name is"
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", value):
        return ("is not a bucket name: lowercase letters, numbers, dots and hyphens, beginning and ending "
                "with a letter or number")
    if ".." in value:
        return "has two adjacent periods, which no bucket name has"
    try:
        ipaddress.IPv4Address(value)
        return "is an IP address, which no bucket name is"
    except ValueError:
        pass
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if value.startswith(prefix):
            return f"starts with {prefix}, which S3 reserves"
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if value.endswith(suffix):
            return f"ends with {suffix}, which S3 reserves"
    return None


def stack_name(value) -> str | None:
    """"A stack name can contain only alphanumeric characters (case-sensitive) and hyphens. It
    must start with an alphabetic character and can't be longer than 128 characters."
    (CloudFormation CreateStack)."""
    if isinstance(value, str) and not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{0,127}", value):
        return ("is not a stack name: letters, numbers and hyphens, starting with a letter, at most "
                "128 characters")
    return None


def _image_characters(value) -> str | None:
    """"Constraints: 3-128 alphanumeric characters, parentheses (()), square brackets ([]), spaces
    ( ), periods (.), slashes (/), dashes (-), single quotes ('), at-signs (@), or underscores(_)"
    (EC2 RegisterImage Name; the lengths are in the model)."""
    if isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9()\[\] ./\-'@_]*", value):
        return ("is not an image name: letters, numbers, parentheses, square brackets, spaces, periods, "
                "slashes, dashes, single quotes, at-signs and underscores")
    return None


image_name = _all(model("ec2", "RegisterImage", "Name"), _image_characters)


def _not_reserved(value) -> str | None:
    if isinstance(value, str) and value[:4].lower() == "aws:":
        return "starts with aws:, which AWS reserves for its own tags"
    return None


def _length(most: int, least: int = 0) -> Check:
    def check(value):
        if isinstance(value, str) and not least <= len(value) <= most:
            return f"is not {least} to {most} characters long"
        return None

    return check


# S3 bucket tags follow AWS's general tag rules, which IAM's model states as data (TagRole's Tag);
# EC2 takes any character in a tag ("Tag", EC2 API Reference: keys of at most 127 characters, not
# aws:, values of at most 256).
def _general_tag(member: str) -> Check:
    def check(value):
        rules = tag_member("iam", "TagRole", member)
        return Constraint(f"a tag {member.lower()}", rules.get("min"), rules.get("max"),
                          rules.get("pattern")).problem(value)

    return _all(_printable, check)


bucket_tag_key = _all(_not_reserved, _general_tag("Key"))
bucket_tag_value = _general_tag("Value")
instance_tag_key = _all(_printable, _not_reserved, _length(127, 1))
instance_tag_value = _all(_printable, _length(256))


def volume_size(value) -> str | None:
    """The builder's volumes are gp2, of 1 to 16,384 GiB ("Amazon EBS volume types")."""
    if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 16384:
        return "is not 1 to 16384 GiB, the sizes of a gp2 volume"
    return None


def kms_alias(value) -> str | None:
    """A world's key alias NAME is `alias/NAME`; "alias/aws/" is reserved for AWS managed keys."""
    if isinstance(value, str) and value.startswith("aws/"):
        return "starts with aws/, which KMS reserves for AWS managed keys"
    return model("kms", "CreateAlias", "AliasName", prefix="alias/")(value)


def _not_reserved_document(value) -> str | None:
    """"You can't use the following strings as document name prefixes ... aws, amazon, amzn,
    AWSEC2, AWSConfigRemediation, AWSSupport" (SSM CreateDocument, Name)."""
    if isinstance(value, str) and value.lower().startswith(("aws", "amazon", "amzn")):
        return "starts with a prefix SSM reserves for AWS's own documents (aws, amazon, amzn)"
    return None


document_name = _all(model("ssm", "CreateDocument", "Name"), _not_reserved_document)


def policy_reference(name_check: Check) -> Check:
    """A managed policy (or boundary) given by name, checked as a name, or by ARN."""
    arn_check = model("iam", "AttachRolePolicy", "PolicyArn")

    def check(value):
        if isinstance(value, str) and value.startswith("arn:"):
            return arn_check(value)
        return name_check(value)

    return check


def key_reference(value) -> str | None:
    """A key of the world by its alias, or a key ARN."""
    if isinstance(value, str) and value.startswith("arn:"):
        return model("kms", "CreateGrant", "KeyId")(value)
    return kms_alias(value)


def mfa_seed(value) -> str | None:
    """A base32 seed long enough for pyotp, which computes the codes (NIST SP 800-63B's 112 bits).
    The seed is a secret: no message repeats it."""
    import pyotp

    if not isinstance(value, str):
        return None
    padded = value.upper() + "=" * (-len(value) % 8)
    try:
        decoded = base64.b32decode(padded)
    except (binascii.Error, ValueError):
        return "is not base32 (letters A-Z and digits 2-7)"
    least = pyotp.OTP.min_secret_length_bits
    if len(decoded) * 8 < least:
        return f"is shorter than {least} bits ({-(-least // 5)} base32 characters), the least a TOTP seed holds"
    return None


def detachable_scp(value) -> str | None:
    """What a root or OU of the world may detach: only FullAWSAccess is attached by AWS without
    the world naming it; RCPFullAWSAccess cannot be detached ("Resource control policies")."""
    if value == "FullAWSAccess":
        return None
    if value == "RCPFullAWSAccess":
        return "cannot be detached: AWS keeps RCPFullAWSAccess on every root, OU and account"
    return "is not attached unless the world names it: only FullAWSAccess can be detached here"


def queue_name(value) -> str | None:
    """"A queue name can have up to 80 characters. Valid values: alphanumeric characters, hyphens
    (-), and underscores (_). A FIFO queue name must end with the .fifo suffix." (SQS CreateQueue,
    QueueName, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html)."""
    if isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9_-]{1,75}(\.fifo)?|[A-Za-z0-9_-]{1,80}", value):
        return ("is not a queue name: 1 to 80 letters, numbers, hyphens and underscores (a FIFO queue's "
                "ending in .fifo)")
    return None


def topic_name(value) -> str | None:
    """"Topic names must be made up of only uppercase and lowercase ASCII letters, numbers,
    underscores, and hyphens, and must be between 1 and 256 characters long" (a FIFO topic's ends
    in .fifo; SNS CreateTopic, Name, https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html)."""
    if isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9_-]{1,251}(\.fifo)?|[A-Za-z0-9_-]{1,256}", value):
        return ("is not a topic name: 1 to 256 letters, numbers, hyphens and underscores (a FIFO topic's "
                "ending in .fifo)")
    return None

"""World files that made `xacct run --world` raise or hang (found by fuzzing, tests/fuzz/worlds.py),
each as the smallest world that did: now a finding at its line and column, or a build that ends.
Worlds built here use accounts 7070707070xx, which no other test uses (moto's state is per process)."""

import json
import subprocess
import sys
import textwrap
import time

import pytest
from botocore.exceptions import ClientError
from botocore.exceptions import BotoCoreError, ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import WorldError, build_world, load_world

ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _write(tmp_path, text: str | bytes, name="world.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def load_findings(tmp_path, text) -> list:
    with pytest.raises(WorldError) as err:
        load_world(_write(tmp_path, text))
    return err.value.findings


def build_findings(tmp_path, text) -> list:
    world = load_world(_write(tmp_path, text))
    with pytest.raises(WorldError) as err:
        build_world(world, SandboxCloud(enforce=True))
    return err.value.findings


def ids_and_lines(findings) -> set:
    return {(f.id, f.line) for f in findings}


# -- TypeError and KeyError: what the loader did not check ------------------------------------

def test_accounts_that_are_a_number(tmp_path):
    findings = load_findings(tmp_path, "world: 1\naccounts: 1000000000000000000000000000000\n")
    assert ids_and_lines(findings) == {("E7003", 2)}


def test_an_account_id_written_as_a_number(tmp_path):
    """It was read as an int key, and the builder's lookups by str(account) missed it (KeyError)."""
    findings = load_findings(tmp_path, """\
        world: 1
        accounts:
          707070707001:
            iam:
              policies: {Boundary: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}
              roles: {r: {permissionsBoundary: Boundary}}
        """)
    [finding] = findings
    assert (finding.id, finding.line, finding.column) == ("E7005", 3, 3)
    assert "quote it" in finding.message


@pytest.mark.parametrize("region, line", [("us-east-9", 4), ("''", 4), ("cn-north-1", 4), ("us-east-1 ", 4)])
def test_a_region_that_is_not_one(tmp_path, region, line):
    """An unknown Region was a KeyError in moto's backends; an empty one a ValueError in botocore
    ("Invalid endpoint: https://kms..amazonaws.com")."""
    findings = load_findings(tmp_path, f"""\
        world: 1
        accounts:
          "707070707002":
            regions:
              {region!r}:
                kmsKeys: {{data: {{}}}}
        """.replace("\"''\"", "''"))
    assert ids_and_lines(findings) == {("E7011", line + 1)}


def test_a_template_region_that_is_not_one(tmp_path):
    findings = load_findings(tmp_path, """\
        world: 1
        accounts:
          "707070707003":
            templates: [{file: t.yaml, region: ""}]
        """)
    assert ids_and_lines(findings) == {("E7011", 4)}


def test_an_empty_region_is_botocores_own_refusal():
    cloud = SandboxCloud()
    with pytest.raises(BotoCoreError):
        cloud.client("kms", "", cloud.caller_credentials())


# -- ValueError: numbers and MFA seeds --------------------------------------------------------

def test_a_number_of_thousands_of_digits(tmp_path):
    """Python will not convert it ("Exceeds the limit (4300 digits)"): a finding at its place, from
    the parser (which keeps it as text: not a whole number) or, with a parser that raises, from the
    loader's boundary."""
    findings = load_findings(tmp_path, "world: 1\naccounts:\n  \"707070707004\":\n    iam:\n      roles:\n"
                                       "        r: {maxSessionDuration: " + "9" * 5000 + "}\n")
    [finding] = findings
    assert finding.id in ("E7001", "E7003") and finding.line == 6
    assert len(finding.message) < 200


@pytest.mark.parametrize("seed", ["JBSWY3DPEHPK3PX", "JBSWY3DP", "0000000000000000000000000000", "JBSWY3DP EHPK3PXP"])
def test_an_mfa_seed_too_short_or_not_base32_is_refused_without_saying_it(tmp_path, seed):
    findings = load_findings(tmp_path, f"""\
        world: 1
        accounts:
          "707070707005":
            iam:
              users:
                alice: {{mfa: {{seed: "{seed}"}}}}
        """)
    [finding] = findings
    assert (finding.id, finding.line) == ("E7007", 6)
    assert seed not in finding.message and seed not in finding.text()


# -- TypeError in IAM: a principal that is not one -------------------------------------------

@pytest.mark.parametrize("principal, line", [("5", 9), ("[1, 2]", 9), ("{AWS: 5}", 9),
                                             ("{AWS: [arn:aws:iam::707070707006:root, 7]}", 9), ("{Robot: x}", 9),
                                             ("arn:aws:iam::707070707006:root", 9), ("{}", 9)])
def test_a_principal_iam_refuses(tmp_path, principal, line):
    findings = load_findings(tmp_path, f"""\
        world: 1
        accounts:
          "707070707006":
            iam:
              roles:
                r:
                  trust:
                    Version: "2012-10-17"
                    Statement: [{{Effect: Allow, Action: sts:AssumeRole,
                                  Principal: {principal}}}]
        """)
    assert {f.id for f in findings} == {"E7004"}
    assert {f.line for f in findings} <= {line, line + 1}
    assert all("Principal" in f.message or "principal" in f.message for f in findings)


# -- UnicodeDecodeError: files the world names -------------------------------------------------

def test_a_document_file_that_is_not_utf8(tmp_path):
    (tmp_path / "doc.yaml").write_bytes(b"schemaVersion: '0.3'\n\xff\xfe\n")
    findings = build_findings(tmp_path, """\
        world: 1
        accounts:
          "707070707007":
            regions:
              us-east-1:
                documents: {Doc: {file: doc.yaml}}
        """)
    [finding] = findings
    assert (finding.id, finding.line) == ("E7013", 6)
    assert "line 2, column 1" in finding.message and "0xff" in finding.message


def test_a_template_file_that_is_not_utf8_or_not_yaml(tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"Resources:\n  \xc3(: {}\n")
    (tmp_path / "broken.yaml").write_text("Resources: {a: [\n")
    findings = build_findings(tmp_path, """\
        world: 1
        accounts:
          "707070707008":
            templates:
              - {file: binary.yaml}
              - {file: broken.yaml}
        """)
    assert ids_and_lines(findings) == {("E7013", 5), ("E7010", 6)}


# -- ResponseParserError: names AWS does not take ----------------------------------------------

@pytest.mark.parametrize("where, name", [
    ("iam: {roles: {NAME: {}}}", "Admin\x01"), ("iam: {users: {NAME: {}}}", "bob\x1b[31m"),
    ("iam: {roles: {NAME: {}}}", "r" * 65), ("iam: {groups: {NAME: {}}}", "a group"),
    ("regions: {us-east-1: {buckets: {NAME: {}}}}", "Logs"),
    ("regions: {us-east-1: {buckets: {NAME: {}}}}", "lo\x07gs"),
    ("regions: {us-east-1: {documents: {NAME: {file: d.yaml}}}}", "Do\x01c"),
    ("regions: {us-east-1: {kmsKeys: {NAME: {}}}}", "aws/mine"),
    ("regions: {us-east-1: {instances: {NAME: {image: ami-12345678}}}}", "web\x00"),
])
def test_a_name_aws_does_not_take(tmp_path, where, name):
    world = {"world": 1, "accounts": {"707070707009": {}}}
    text = json.dumps(world).replace("{}}}", "{" + where.replace("NAME", json.dumps(name)) + "}}}")
    findings = load_findings(tmp_path, text)
    assert {f.id for f in findings} == {"E7012"}, [f.text() for f in findings]
    assert all(f.message.isprintable() for f in findings)


# -- what the sandbox refuses while building: a finding naming the element, and the rest built -

def test_a_refusal_while_building_names_the_element_and_the_rest_is_built(tmp_path):
    cloud = SandboxCloud(enforce=True)
    world = load_world(_write(tmp_path, """\
        world: 1
        accounts:
          "707070707010":
            iam:
              users:
                ops:
                  accessKey: true
                  policies: {all: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}
            regions:
              us-east-1:
                instances: {web: {image: ami-12345678}}
                buckets: {kept-707070707010: {}}
        """))
    with pytest.raises(WorldError) as err:
        build_world(world, cloud)
    [finding] = err.value.findings
    assert (finding.id, finding.line) == ("E7009", 11)
    assert finding.message.startswith("accounts.707070707010.regions.us-east-1.instances.web: InvalidAMIID.NotFound")
    operator = cloud.operator("707070707010")
    assert cloud.client("s3", "us-east-1", operator).head_bucket(Bucket="kept-707070707010")
    assert cloud.client("iam", "us-east-1", operator).get_user(UserName="ops")


def test_an_association_automation_refuses_is_a_finding_at_its_template(tmp_path):
    """The S2 template with its partner account made empty: the association's runbook refuses the
    parameter (InvalidAutomationExecutionParametersException), which escaped the build."""
    import shutil
    from importlib import resources

    shutil.copy(resources.files("xacct") / "examples" / "s2-share-ami.yaml", tmp_path / "share.yaml")
    findings = build_findings(tmp_path, """\
        world: 1
        accounts:
          "707070707016":
            regions:
              us-east-1:
                images: {base: {name: base-image}}
                instances: {app-1: {image: base, tags: {Backup: Nightly}}}
            templates:
              - {file: share.yaml, parameters: {PartnerAccountId: ""}}
        """)
    [finding] = findings
    assert (finding.id, finding.line) == ("E7009", 9)
    assert finding.message.startswith("accounts.707070707016.templates.0: "
                                      "InvalidAutomationExecutionParametersException")


# -- moto's NoSuchEntity out of sandbox/policies.py ---------------------------------------------

def test_a_session_of_a_deleted_role_is_denied_not_a_moto_exception():
    cloud = SandboxCloud(enforce=True)
    operator = cloud.operator("707070707011")
    iam = cloud.client("iam", "us-east-1", operator)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": "arn:aws:iam::707070707011:root"}}]}
    arn = iam.create_role(RoleName="gone", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="gone", PolicyName="all", PolicyDocument=json.dumps(ADMIN))
    session = cloud.assume_role(arn, "before-delete", operator, "us-east-1")
    cloud.client("s3", "us-east-1", session).list_buckets()
    iam.delete_role_policy(RoleName="gone", PolicyName="all")
    iam.delete_role(RoleName="gone")
    with pytest.raises(ClientError) as err:
        cloud.client("s3", "us-east-1", session).list_buckets()
    assert err.value.response["Error"]["Code"] == "AccessDenied"


def test_policies_of_what_is_not_there_are_none():
    from xacct.sandbox import policies
    from xacct.sandbox.principals import Holder

    SandboxCloud()
    nobody = Holder("arn:aws:iam::707070707012:user/nobody", "707070707012", user_name="nobody")
    assert policies.identity_policies(nobody) == ([], [])
    assert policies.principal_tags(nobody) == []
    assert policies.role("not an ARN") is None
    assert policies.key_policy("x:key/y") is None
    assert policies.trust_policy("arn:aws:iam::707070707012:role/none") is None


# -- the hang: an SCP shaped to make a matcher backtrack ---------------------------------------

def test_an_scp_shaped_to_backtrack_is_matched_in_bounded_time(tmp_path):
    evil = "*a" * 30 + "b"
    started = time.monotonic()
    world = load_world(_write(tmp_path, f"""\
        world: 1
        organization:
          management: "707070707013"
          scps:
            Evil: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "*", Resource: "*"}},
                   {{Effect: Deny, NotAction: "{evil}", NotResource: "{evil}"}}]}}
          units: {{Members: {{accounts: ["707070707014"], scps: [Evil]}}}}
        accounts:
          "707070707013": {{}}
          "707070707014":
            iam: {{roles: {{{"a" * 60}: {{}}}}}}
        """))
    cloud = SandboxCloud(enforce=True)
    build_world(world, cloud)  # built as its builder: the world's SCPs bind what runs in it afterwards
    with pytest.raises(ClientError) as err:  # the SCP denies the member's own administrator
        cloud.client("iam", "us-east-1", cloud.operator("707070707014")).list_roles()
    assert time.monotonic() - started < 30
    assert "explicit deny in a service control policy" in err.value.response["Error"]["Message"]


# -- the commands: findings and exit status 2, never a traceback -------------------------------

BAD_WORLD = """\
world: 1
accounts:
  "707070707015":
    iam:
      users:
        alice: {mfa: {seed: JBSWY3DP}}
      roles:
        "Admin\\x01":
          trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: 5}]}
    regions:
      "":
        buckets: {logs-707070707015: {}}
"""


@pytest.mark.parametrize("command", [["run", "X"], ["doctor", "X"], ["sandbox", "serve"]])
def test_every_command_says_the_findings_and_exits_2(tmp_path, command):
    path = _write(tmp_path, BAD_WORLD)
    result = subprocess.run([sys.executable, "-m", "xacct", *command, "--world", path], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    found = {line.split(": ")[1].split()[0] for line in result.stderr.splitlines() if line.startswith(path)}
    assert found == {"E7004", "E7007", "E7011", "E7012"}, result.stderr
    assert "JBSWY3DP" not in result.stderr

"""`xacct run --profile P --ou OU --share` against `xacct sandbox serve`: SSM shares documents with
accounts, never with an OU, so xacct reads the OU's accounts from AWS Organizations (as SSM does
when it expands the OU for the run), shares the runbook with each, and SSM runs it in all of them.
A caller that may not read Organizations is told so with AWS's text, before anything is shared."""

import re

import botocore.session
import pytest

from tests.delegate.served import HERE, Served, client_env, copy_files
from tests.served import serving

REGION = "eu-central-1"
CENTRAL, APP_A, APP_B, DATA = "826000000001", "826000000002", "826000000003", "826000000004"

# The delegate tests' world under other account IDs, in an organization: the central account is
# its management account, two members in OU Apps (one of them in its child OU Apps/Edge), one in
# OU Data. The administration role may read the OUs' accounts, as AWS's template grants; a
# second user of the central account may not read Organizations at all.
ORGANIZATION = f"""
organization:
  management: '{CENTRAL}'
  units:
    Apps:
      accounts: ['{APP_A}']
      units:
        Edge:
          accounts: ['{APP_B}']
    Data:
      accounts: ['{DATA}']
"""


def _world() -> str:
    text = (HERE / "world.yaml").read_text().replace("810000000001", CENTRAL).replace(
        "810000000002", APP_A).replace("810000000003", APP_B).replace("ap-northeast-1", REGION)
    text = text.replace("""                Resource: arn:aws:iam::*:role/AWS-SystemsManager-AutomationExecutionRole
""", """                Resource: arn:aws:iam::*:role/AWS-SystemsManager-AutomationExecutionRole
              - Effect: Allow
                Action: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent']
                Resource: '*'
""", 1)
    text = text.replace("""      roles:
        operator-mfa:""", """        deployer:
          accessKey: true
          policies:
            everything-but-organizations:
              Version: '2012-10-17'
              Statement:
              - {Effect: Allow, Action: '*', Resource: '*'}
              - {Effect: Deny, Action: 'organizations:*', Resource: '*'}
      roles:
        operator-mfa:""", 1)
    member_b = text[text.index(f"  '{APP_B}':"):]
    data = member_b.replace(f"'{APP_B}'", f"'{DATA}'").replace("alias: member-b", "alias: data").replace(
        APP_B, DATA)
    return text + data.replace("          trust: *trust", "          trust: *trust", 1) + ORGANIZATION


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("share-ou")
    copy_files(folder, _world())
    with serving(folder / "world.yaml", folder, env={**client_env(folder), "XACCT_STORE": str(folder / "s.db")}) \
            as endpoint:
        yield Served(folder, client_env(folder), endpoint)


def _unit(served: Served, path: list[str]) -> str:
    session = botocore.session.Session(profile="central-ops")
    session.set_config_variable("config_file", served.env["AWS_CONFIG_FILE"])
    session.set_config_variable("credentials_file", served.env["AWS_SHARED_CREDENTIALS_FILE"])
    org = session.create_client("organizations", region_name="us-east-1")
    parent = org.list_roots()["Roots"][0]["Id"]
    for name in path:
        units = org.list_organizational_units_for_parent(ParentId=parent)["OrganizationalUnits"]
        parent = next(u["Id"] for u in units if u["Name"] == name)
    return parent


def _shared_with(served: Served) -> list[str]:
    session = botocore.session.Session(profile="central-ops")
    session.set_config_variable("config_file", served.env["AWS_CONFIG_FILE"])
    session.set_config_variable("credentials_file", served.env["AWS_SHARED_CREDENTIALS_FILE"])
    ssm = session.create_client("ssm", region_name=REGION)
    return sorted(ssm.describe_document_permission(Name="deploy", PermissionType="Share")["AccountIds"])


def test_a_caller_that_may_not_read_organizations_is_told_before_anything_is_shared(served):
    apps = _unit(served, ["Apps"])
    refused = served.xacct("run", "deploy.yaml", "--profile", "central-deployer", "--region", REGION,
                           "--ou", apps, "--share", "--poll-seconds", "0.2")
    assert refused.returncode == 1
    assert f"--share: cannot read the accounts of {apps} from AWS Organizations (AccessDeniedException: " in refused.stderr
    assert "organizations:ListAccountsForParent" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_ous_accounts_are_shared_with_and_ssm_runs_in_all_of_them(served):
    apps = _unit(served, ["Apps"])
    ran = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION, "--ou", apps,
                       "--include-child-ous", "--share", "--poll-seconds", "0.2", timeout=180)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Shared deploy with {APP_A}, {APP_B} in {REGION}" in ran.stdout
    assert _shared_with(served) == [APP_A, APP_B]  # not the Data OU's account
    execution = re.search(r"^Execution ([0-9a-f-]{36}) of ", ran.stdout, re.M).group(1)
    children = served.show(execution)["ChildExecutions"]
    assert [c["AutomationExecutionStatus"] for c in children] == ["Success", "Success"]
    ran_as = {c["StepExecutions"][1]["Outputs"]["Arn"][0].split(":")[4] for c in children}
    assert ran_as == {APP_A, APP_B}


def test_excluded_accounts_are_not_shared_with(served):
    apps = _unit(served, ["Apps"])
    ran = served.xacct("run", "deploy.yaml", "--profile", "central-ops", "--region", REGION, "--ou", apps,
                       "--include-child-ous", "--exclude-accounts", APP_A, "--share", "--poll-seconds", "0.2",
                       timeout=180)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Shared deploy with {APP_B} in {REGION}" in ran.stdout

"""A world's organization in moto's Organizations: the organization of the management account,
one OU per unit (nested as in the world), and each member account in its unit, so that
ListAccountsForParent and ListOrganizationalUnitsForParent answer as AWS would (a run across OUs
lists them with the administration role).

The organization and its OUs are made through the ordinary API as the management account's
administrator. moto gives accounts it creates random IDs, and a world names its accounts, so a
member is created through the API and then given the world's ID in moto's model (as build.py sets
an MFA device's seed)."""

from __future__ import annotations

from botocore.exceptions import ClientError

PARTITION = "aws"


def build_organization(cloud, spec: dict) -> dict[str, str]:
    """Make the organization; return each unit's OU ID by its path ("Workloads/Prod")."""
    management = str(spec.get("management", ""))
    org = cloud.client("organizations", "us-east-1", cloud.operator(management))
    try:
        org.create_organization(FeatureSet="ALL")
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "AlreadyInOrganizationException":
            raise  # the same world built twice in one process keeps its organization
    _same_id(management, spec)
    root = org.list_roots()["Roots"][0]["Id"]
    units: dict[str, str] = {}
    _units(org, management, spec.get("units") or {}, root, root, "", units)
    placed = {str(a) for unit in _unit_specs(spec.get("units") or {}, "") for a in unit[1].get("accounts") or []}
    for account in spec.get("accounts") or {}:  # an account with policies of its own, in no unit: under the root
        if str(account) not in placed:
            _place(org, management, str(account), root, root)
    for kind, policy_type in POLICY_TYPES.items():
        if spec.get(kind):
            _organization_policies(org, spec, root, units, kind, policy_type, cloud.gate.policy_arns[kind[:3]])
    cloud.gate.org_paths.update(_entity_paths(org.describe_organization()["Organization"]["Id"], management, root,
                                              spec, units))
    return units


def _entity_paths(org_id: str, management: str, root: str, spec: dict, units: dict[str, str]) -> dict[str, str]:
    """Each account's organization entity path, as aws:PrincipalOrgPaths and aws:ResourceOrgPaths
    give it: o-id/r-id/ou-id/.../ (the OUs from the root down), o-id/r-id/ for one under the root."""
    paths = {management: f"{org_id}/{root}/"}
    for account in spec.get("accounts") or {}:
        paths.setdefault(str(account), f"{org_id}/{root}/")
    for path, unit in _unit_specs(spec.get("units") or {}, ""):
        names = path.split("/")
        ids = "".join(f"{units['/'.join(names[:depth])]}/" for depth in range(1, len(names) + 1))
        for account in unit.get("accounts") or []:
            paths[str(account)] = f"{org_id}/{root}/{ids}"
    return paths


POLICY_TYPES = {"scps": "SERVICE_CONTROL_POLICY", "rcps": "RESOURCE_CONTROL_POLICY"}


def _organization_policies(org, spec: dict, root: str, units: dict[str, str], kind: str, policy_type: str,
                           arns: dict[str, str]) -> None:
    """The world's SCPs (or RCPs), attached where the world names them, so that whoever reads
    the organization through the API (xacct doctor, the AWS CLI) sees what the gate enforces;
    each one's ARN goes into `arns` by name.
    FullAWSAccess, which AWS attaches to every root, OU and account, stays attached beside them
    unless the level says `detach: [FullAWSAccess]`; RCPFullAWSAccess always stays."""
    import json

    try:
        org.enable_policy_type(RootId=root, PolicyType=policy_type)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "PolicyTypeAlreadyEnabledException":
            raise
    existing = {p["Name"]: p for p in org.list_policies(Filter=policy_type)["Policies"]}
    ids = {}
    for name, document in spec[kind].items():
        summary = existing.get(name) or org.create_policy(
            Name=name, Type=policy_type, Description=f"{name} (world file)",
            Content=json.dumps(document))["Policy"]["PolicySummary"]
        ids[name] = summary["Id"]
        arns[name] = summary["Arn"]
    levels = [(root, spec.get("root") or {})]
    levels += [(units[path], unit) for path, unit in _unit_specs(spec.get("units") or {}, "")]
    levels += [(str(account), place or {}) for account, place in (spec.get("accounts") or {}).items()
               if str(account) != str(spec.get("management", ""))]
    for target, place in levels:
        names = place.get(kind) or []
        detached = set(place.get("detach") or []) if kind == "scps" else set()
        attached = {p["Name"]: p["Id"] for p in org.list_policies_for_target(
            TargetId=target, Filter=policy_type)["Policies"]}
        for name in names:
            if name in ids and name not in attached:
                org.attach_policy(PolicyId=ids[name], TargetId=target)
        for name, policy_id in attached.items():
            if name in detached and name not in names:
                org.detach_policy(PolicyId=policy_id, TargetId=target)


def _same_id(management: str, spec: dict) -> None:
    """The organization's ID as the gate gives aws:PrincipalOrgID (the world's `id`, else one made
    from the management account), so that DescribeOrganization answers the same ID."""
    from moto.organizations.models import organizations_backends

    from .gate import organization_id

    backend = organizations_backends[management][PARTITION]
    if backend.org is not None:
        backend.org.id = str(spec.get("id") or organization_id(management))


def _unit_specs(units: dict, above: str):
    for name, unit in units.items():
        yield f"{above}{name}", unit or {}
        yield from _unit_specs((unit or {}).get("units") or {}, f"{above}{name}/")


def _units(org, management: str, units: dict, root: str, parent: str, above: str, found: dict) -> None:
    existing = {u["Name"]: u["Id"] for u in _children(org, parent)}
    for name, unit in units.items():
        path = f"{above}{name}"
        ou = existing.get(name) or org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
        found[path] = ou
        for account in unit.get("accounts") or []:
            _place(org, management, str(account), root, ou)
        _units(org, management, unit.get("units") or {}, root, ou, f"{path}/", found)


def _children(org, parent: str) -> list[dict]:
    listed, args = [], {"ParentId": parent}
    while True:
        page = org.list_organizational_units_for_parent(**args)
        listed += page["OrganizationalUnits"]
        if not page.get("NextToken"):
            return listed
        args["NextToken"] = page["NextToken"]


def _place(org, management: str, account: str, root: str, ou: str) -> None:
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[management][PARTITION]
    if account == management:
        source = root
    elif any(a.id == account for a in backend.accounts):
        source = next(a.parent_id for a in backend.accounts if a.id == account)
    else:
        created = org.create_account(AccountName=account, Email=f"{account}@example.com")
        made = created["CreateAccountStatus"]["AccountId"]
        fake = backend.get_account_by_id(made)
        organizations_backends.master_accounts.pop(made, None)
        fake.id, fake.joined_method = account, "INVITED"  # a world's account exists before it joins
        organizations_backends.master_accounts[account] = (management, PARTITION)
        source = fake.parent_id
    if source != ou:
        org.move_account(AccountId=account, SourceParentId=source, DestinationParentId=ou)

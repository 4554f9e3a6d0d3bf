"""Target locations given as organizational units ("Running automations in multiple AWS Regions
and accounts": "Accounts and organizational units (OUs)"; API_TargetLocation:
IncludeChildOrganizationUnits, ExcludeAccounts). SSM expands an OU into its accounts as the
administration role, which is why AWS's administration role template grants
organizations:ListAccountsForParent; child OUs need organizations:ListOrganizationalUnitsForParent
too."""

from __future__ import annotations

import re

from ..cloud import Cloud
from ..credentials import Credentials

OU = re.compile(r"ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}")
ACCOUNT = re.compile(r"\d{12}")
# The pattern of a TargetLocation's ExcludeAccounts members (botocore's ssm model).
EXCLUDE_PATTERN = r"^((ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})|(\d{12}))$"


def has_units(accounts: list[str]) -> bool:
    return any(OU.fullmatch(a) for a in accounts)


def expand(accounts: list[str], *, include_children: bool, exclude: list[str], cloud: Cloud,
           credentials: Credentials) -> list[str]:
    """The accounts of a location, in the order given, each OU replaced by its accounts (and, with
    include_children, those of the OUs below it), without the excluded accounts and the accounts
    of excluded OUs. Suspended or closed accounts are left out: they cannot run anything."""
    org = cloud.client("organizations", "us-east-1", credentials)
    excluded_units = {e for e in exclude if OU.fullmatch(e)}
    excluded = {e for e in exclude if ACCOUNT.fullmatch(e)}
    for unit in excluded_units:
        excluded.update(_accounts_under(org, unit, include_children, set()))
    found: list[str] = []
    for entry in accounts:
        listed = _accounts_under(org, entry, include_children, excluded_units) if OU.fullmatch(entry) else [entry]
        found += [a for a in listed if a not in excluded]
    return list(dict.fromkeys(found))


def _accounts_under(org, unit: str, include_children: bool, skip: set[str]) -> list[str]:
    if unit in skip:
        return []
    accounts = [a["Id"] for a in _pages(org.list_accounts_for_parent, "Accounts", ParentId=unit)
                if a.get("Status", "ACTIVE") == "ACTIVE"]
    if include_children:
        for child in _pages(org.list_organizational_units_for_parent, "OrganizationalUnits", ParentId=unit):
            accounts += _accounts_under(org, child["Id"], True, skip)
    return accounts


def _pages(call, key: str, **args) -> list[dict]:
    items = []
    while True:
        page = call(**args)
        items += page.get(key, [])
        if not page.get("NextToken"):
            return items
        args["NextToken"] = page["NextToken"]
